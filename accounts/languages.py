"""Which language a page is in: the signed-in user's own choice, else the workspace's, else
English; an anonymous page (sign-in) follows the language cookie the signed-in pages set (the
user's last language), else the browser's Accept-Language.

The workspace's language is a platform setting (`language`: en | tr | de | es). Like its time
zone (accounts.zones), the session remembers it from the sign-in on, the pages that read or save
the workspace refresh it, and `WorkspaceLanguage` keeps the last one read per workspace for
agents, who cannot read the settings. `LanguageMiddleware` (accounts.middleware) activates it.
"""

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest
from django.utils import timezone, translation

from accounts import vault
from accounts.models import User, WorkspaceLanguage


def supported(code: str) -> str:
    """The code if the console speaks it ("" otherwise): a platform may send any text, and a
    regional variant ("de-AT") falls back to its language."""
    if not isinstance(code, str) or not code:
        return ""
    codes = {code for code, _name in settings.LANGUAGES}
    code = code.strip().lower().replace("_", "-")
    if code in codes:
        return code
    base = code.split("-", 1)[0]
    return base if base in codes else ""


def language_for(user: User | None, session: SessionBase, request: HttpRequest) -> str:
    """The language of this viewer's pages."""
    if user is None:
        return translation.get_language_from_request(request)
    return (
        supported(user.language)
        or supported(vault.workspace_language(session))
        or settings.LANGUAGE_CODE
    )


def remember_workspace_language(session: SessionBase, tenant_id: str, code: str) -> None:
    """The workspace's language as just read from the platform: for this session, and for the
    sessions of its agents to come."""
    code = supported(code)
    if not code or vault.workspace_language(session) == code:
        return
    vault.remember_workspace_language(session, code)
    if tenant_id:
        WorkspaceLanguage.objects.update_or_create(
            tenant_id=tenant_id, defaults={"language": code, "updated_at": timezone.now()}
        )


def known_workspace_language(tenant_id: str) -> str:
    """The language last read for this workspace ("" if none was): what an agent's sign-in
    uses."""
    rows = WorkspaceLanguage.objects.filter(tenant_id=tenant_id)
    return rows.values_list("language", flat=True).first() or ""
