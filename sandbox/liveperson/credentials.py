"""The sandbox's published LivePerson credentials. Pure Python, no Django: tests and benchmarks of
the console import them without loading the sandbox's models.

An account (LivePerson calls it a brand; its id is a number in a string, obs) has a connector
app with a client id and secret (doc: client credentials); the app's AppJWT opens the account's
Connector API. Consumers need no seeding: any `ext_consumer_id` gets a ConsumerJWS (doc). The
sample consumers below are the people shared across platforms (sandbox/people.py), with the
`ext_consumer_id` a brand would give them.
"""

from sandbox.people import PEOPLE

ACCOUNT_ID = "90233546"
OTHER_ACCOUNT_ID = "71532210"
# Shapes seen on the real service (obs): a UUID for the client id, 26 letters and digits for the
# secret.
CLIENT_ID = "5e2c9b14-7a3d-4f6e-8b1c-2d4f6a8c0e13"
CLIENT_SECRET = "sbx4lp7q2vw9xe4rt6yu1io3pa"
OTHER_CLIENT_ID = "c81d4e2a-9f3b-4a6c-b5d7-e9f1a3c5e7b9"
OTHER_CLIENT_SECRET = "sbx9gl5dk7fj9gh1qw3er5ty7u"


def ext_consumer_id(phone_digits: str) -> str:
    """The brand's own id for a consumer: here, its customer number from the phone."""
    return f"acme-{phone_digits}"


def published() -> dict:
    return {
        "baseUrl": "/liveperson",
        "accountId": ACCOUNT_ID,
        "clientId": CLIENT_ID,
        "clientSecret": CLIENT_SECRET,
        "otherAccount": {
            "accountId": OTHER_ACCOUNT_ID,
            "clientId": OTHER_CLIENT_ID,
            "clientSecret": OTHER_CLIENT_SECRET,
        },
        "consumers": [
            {
                "extConsumerId": ext_consumer_id(person.phone_digits),
                "firstName": person.first_name,
                "lastName": person.last_name,
                "email": person.email,
                "phone": person.phone,
            }
            for person in PEOPLE
        ],
    }
