"""Connextlive's endpoints, one module per section of seeds/003."""

from django.http import HttpRequest


def base_url(request: HttpRequest) -> str:
    """Scheme and host the client used, for absolute attachment URLs."""
    return request.build_absolute_uri("/").rstrip("/")
