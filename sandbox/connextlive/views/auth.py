"""POST /api/auth/login."""

from django.contrib.auth.hashers import check_password
from django.http import HttpRequest

from sandbox.connextlive import serializers
from sandbox.connextlive.auth import issue_token
from sandbox.connextlive.http import ApiError, String, json_object, validate_body
from sandbox.connextlive.models import User

LOGIN_FIELDS = {
    "email": String(min_length=1, max_length=254, email=True),
    # doc: "Password (min 6 characters)"; the maximum is a guess.
    "password": String(min_length=6, max_length=200),
}


def login(request: HttpRequest) -> dict:
    body = validate_body(json_object(request), LOGIN_FIELDS, required=("email", "password"))
    record = User.objects.select_related("tenant").filter(email__iexact=body["email"]).first()
    if record is None or not check_password(body["password"], record.password):
        raise ApiError(401, "Invalid email or password")
    token, expires_at = issue_token(record)
    return serializers.login(token, expires_at, record)
