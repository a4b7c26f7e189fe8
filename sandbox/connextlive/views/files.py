"""Attachment downloads: the URLs that messages carry (`/connextlive/files/<id>/<name>`).

The real platform hands out pre-signed storage URLs; the sandbox serves the bytes itself,
without a token, to whoever has the URL (guess at the equivalent).
"""

from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header

from sandbox.connextlive.http import not_found
from sandbox.connextlive.models import Attachment

_SHOWN_INLINE = frozenset({"image/jpeg", "image/png", "image/webp", "application/pdf"})


def download(request: HttpRequest, attachment_id: str, file_name: str) -> HttpResponse:
    attachment = Attachment.objects.filter(id=attachment_id, file_name=file_name).first()
    if attachment is None:
        raise not_found("File")
    response = HttpResponse(bytes(attachment.data), content_type=attachment.mime_type)
    response["Content-Disposition"] = content_disposition_header(
        attachment.mime_type not in _SHOWN_INLINE, attachment.file_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
