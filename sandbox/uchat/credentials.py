"""The sandbox's published UChat (konversation Connect) credentials and seed ids. Pure Python, no
Django: tests and benchmarks of the console import them without loading the sandbox's models.

A token belongs to one workspace and one bot (doc) and carries permission scopes; the endpoints
the sandbox serves all need "Manage Flow" (obs: the scope UChat's own API description gives
them). Tokens look like UChat's (obs: 60 letters and digits).
"""

MANAGE_FLOW = "Manage Flow"
MANAGE_TEAM = "Manage Team"

MAIN_WORKSPACE_ID = 1
OTHER_WORKSPACE_ID = 2
# A bot is a flow; every namespace of its records starts with the flow's (obs: f190385u…).
MAIN_FLOW_NS = "f190385"
EVENTS_FLOW_NS = "f190390"  # a second bot of the main workspace
OTHER_FLOW_NS = "f204511"  # the other workspace's bot

BOT_TOKEN = "sbxUChatMainBot7Kq2Vw9Xe4Rt6Yu1Io3Pa5Sd8Fg0Hj2Kl4Zx6Cv8Bn1Mq3W"
EVENTS_BOT_TOKEN = "sbxUChatEventsBot3Ls5Dk7Fj9Gh1Qw3Er5Ty7Ui9Op2As4Df6Gh8Jk0L"
OTHER_WORKSPACE_TOKEN = "sbxUChatGlobexBot5Mn7Bv9Cx1Za3Sd5Fg7Hj9Kl2Qw4Er6Ty8Ui0Op"
TEAM_ONLY_TOKEN = "sbxUChatTeamOnly9Pl8Ok7Ij6Uh5Yg4Tf3Rd2Es1Wa0Qz9Xs8Cd7Vf6B"

# The document's own examples are records of the seed.
FIRST_USER_NS = "f190385u394247863"
SPRING_SUB_FLOW_NS = "f190385s2693635"


def published() -> dict:
    def token(value: str, workspace: int, flow_ns: str, scopes: list[str]) -> dict:
        return {"token": value, "workspaceId": workspace, "bot": flow_ns, "scopes": scopes}

    return {
        "baseUrl": "/uchat/api",
        "tokens": {
            "bot": token(BOT_TOKEN, MAIN_WORKSPACE_ID, MAIN_FLOW_NS, [MANAGE_FLOW]),
            "eventsBot": token(EVENTS_BOT_TOKEN, MAIN_WORKSPACE_ID, EVENTS_FLOW_NS, [MANAGE_FLOW]),
            "otherWorkspace": token(
                OTHER_WORKSPACE_TOKEN, OTHER_WORKSPACE_ID, OTHER_FLOW_NS, [MANAGE_FLOW]
            ),
            "teamOnly": token(TEAM_ONLY_TOKEN, MAIN_WORKSPACE_ID, MAIN_FLOW_NS, [MANAGE_TEAM]),
        },
        "bots": {"main": MAIN_FLOW_NS, "events": EVENTS_FLOW_NS, "other": OTHER_FLOW_NS},
        "firstUserNs": FIRST_USER_NS,
        "subFlows": {"springSale": SPRING_SUB_FLOW_NS},
    }
