"""Every page of the translated areas, in every language: 200, `<html lang>` set, the heading in
that language. The language is the user's choice (User.language), as /preferences/ saves it."""

import re
from html import unescape

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from accounts.models import User
from dashboard.audit.models import AuditEvent
from dashboard.integrations.models import Integration
from sandbox.naxon.credentials import API_TOKEN as NAXON_TOKEN
from sandbox.uchat.credentials import BOT_TOKEN
from tests.accounts.helpers import platform_as
from tests.broadcasts.helpers import draft_broadcast
from tests.connectiveone.helpers import connect_connectiveone
from tests.fixtures.sandbox import AGENT_EMAIL, MANAGER_EMAIL

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "tr", "de", "es")

# (path, its <h1> in en, tr, de, es). "{visitor}", "{conversation}" and "{key}" are seeded ids.
MANAGER_PAGES = [
    (
        "/workspace/",
        (
            "Workspace settings",
            "Çalışma alanı ayarları",
            "Einstellungen des Arbeitsbereichs",
            "Ajustes del espacio de trabajo",
        ),
    ),
    ("/agents/", ("Agents", "Temsilciler", "Agenten", "Agentes")),
    (
        "/agents/bulk/invite/",
        (
            "Invite agents from a CSV",
            "CSV'den temsilci davet et",
            "Agenten aus einer CSV-Datei einladen",
            "Invitar agentes desde un CSV",
        ),
    ),
    (
        "/keys/",
        ("Widget keys", "Pencere öğesi anahtarları", "Widget-Schlüssel", "Claves del widget"),
    ),
    (
        "/keys/new/",
        (
            "New widget key",
            "Yeni pencere öğesi anahtarı",
            "Neuer Widget-Schlüssel",
            "Nueva clave del widget",
        ),
    ),
    ("/visitors/", ("Visitors", "Ziyaretçiler", "Besucher", "Visitantes")),
    ("/conversations/", ("Conversations", "Görüşmeler", "Unterhaltungen", "Conversaciones")),
    ("/reports/", ("Reports", "Raporlar", "Berichte", "Informes")),
    ("/audit/", ("Audit log", "Denetim kaydı", "Protokoll", "Registro de auditoría")),
    (
        "/preferences/",
        ("Your preferences", "Tercihleriniz", "Ihre Einstellungen", "Sus preferencias"),
    ),
    ("/broadcasts/", ("Broadcasts", "Toplu mesajlar", "Rundsendungen", "Difusiones")),
    (
        "/broadcasts/new/",
        ("New broadcast", "Yeni toplu mesaj", "Neue Rundsendung", "Nueva difusión"),
    ),
]
# Pages whose <h1> is a record's own name, or that have none: a text of theirs in each language.
DETAIL_PAGES = [
    ("/visitors/{visitor}/", ("Profile", "Profil", "Profil", "Perfil")),
    ("/conversations/{conversation}/", ("Messages", "Mesajlar", "Nachrichten", "Mensajes")),
    ("/", ("Widget keys", "Pencere öğesi anahtarları", "Widget-Schlüssel", "Claves del widget")),
    (
        "/keys/{key}/rotate/",
        ("Rotate key", "Anahtarı değiştir", "Schlüssel rotieren", "Rotar clave"),
    ),
    (
        "/keys/{key}/revoke/",
        (
            "This cannot be undone.",
            "Bu işlem geri alınamaz.",
            "Das lässt sich nicht rückgängig machen.",
            "Esto no se puede deshacer.",
        ),
    ),
    (
        "/confirm/?next=/keys/",
        (
            "Confirm it's you",
            "Siz olduğunuzu doğrulayın",
            "Bestätigen Sie, dass Sie es sind",
            "Confirme que es usted",
        ),
    ),
    (
        "/visitors/bulk/tags/",
        ("Add these tags", "Bu etiketleri ekle", "Diese Tags hinzufügen", "Añadir estas etiquetas"),
    ),
    (
        "/conversations/bulk/assign/",
        ("Assign them all", "Tümünü ata", "Alle zuweisen", "Asignarlas todas"),
    ),
    (
        "/broadcasts/{broadcast}/",
        (
            "Send to everyone matching",
            "Eşleşen herkese gönder",
            "An alle Passenden senden",
            "Enviar a todos los que coinciden",
        ),
    ),
]
AGENT_PAGES = [
    ("/", ("Your profile", "Profiliniz", "Ihr Profil", "Su perfil")),
    ("/conversations/", ("Conversations", "Görüşmeler", "Unterhaltungen", "Conversaciones")),
    ("/visitors/", ("Visitors", "Ziyaretçiler", "Besucher", "Visitantes")),
    ("/reports/", ("Reports", "Raporlar", "Berichte", "Informes")),
]
NAVIGATION = {
    "en": ("Overview", "Visitors", "Conversations"),
    "tr": ("Genel bakış", "Ziyaretçiler", "Görüşmeler"),
    "de": ("Übersicht", "Besucher", "Unterhaltungen"),
    "es": ("Resumen", "Visitantes", "Conversaciones"),
}


def choose(email: str, code: str) -> None:
    User.objects.filter(email=email).update(language=code)


def page_in(client: Client, path: str, code: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, code, response.status_code)
    html = response.content.decode()
    assert f'<html lang="{code}">' in html, (path, code)
    assert response["Content-Language"] == code
    return html


def heading(html: str) -> str:
    """The page's heading as the reader sees it (each engine escapes an apostrophe its own way)."""
    match = re.search(r'<h1 class="page-title[^"]*">(.*?)</h1>', html, re.S)
    assert match, "no page heading"
    return unescape(match.group(1).strip())


@pytest.fixture
def seeded_ids(console_platform):
    tenant = platform_as(console_platform, MANAGER_EMAIL).tenant
    return {
        "visitor": tenant.list_visitors(limit=1).items[0].id,
        "conversation": tenant.list_conversations(limit=1).items[0].id,
        "key": tenant.list_api_keys()[0].id,
    }


@pytest.fixture
def a_broadcast(manager_client) -> dict[str, int]:
    """A draft broadcast of the manager's workspace (its page: the dry run and the send)."""
    broadcast = draft_broadcast(
        User.objects.get(email=MANAGER_EMAIL),
        "Holiday hours",
        "We are closed on Monday.",
        audience_estimate=12,
        sample=[{"key": "cnv_1", "label": "Jane Cooper"}],
    )
    return {"broadcast": broadcast.pk}


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_manager_page_is_in_the_chosen_language(
    manager_client, seeded_ids, a_broadcast, code
):
    choose(MANAGER_EMAIL, code)
    index = LANGUAGES.index(code)
    for path, headings in MANAGER_PAGES:
        html = page_in(manager_client, path, code)
        assert heading(html) == headings[index], path
        for label in NAVIGATION[code]:
            assert f">{label}</a>" in html, (path, label)
    for path, sections in DETAIL_PAGES:
        html = page_in(manager_client, path.format(**seeded_ids, **a_broadcast), code)
        assert sections[index] in html, path


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_agent_page_is_in_the_chosen_language(agent_client, code):
    choose(AGENT_EMAIL, code)
    index = LANGUAGES.index(code)
    for path, texts in AGENT_PAGES:
        html = page_in(agent_client, path, code)
        assert texts[index] in html, path


@pytest.mark.parametrize(
    ("accept", "code", "title"),
    [
        ("", "en", "Sign in to Switchboard"),
        ("tr-TR,tr;q=0.9,en;q=0.5", "tr", "Switchboard'da oturum açın"),
        ("de-AT,de;q=0.9", "de", "Bei Switchboard anmelden"),
        ("es", "es", "Inicie sesión en Switchboard"),
        ("fr-FR,fr;q=0.9", "en", "Sign in to Switchboard"),
    ],
)
def test_the_sign_in_page_follows_the_browser(client, db, accept, code, title):
    headers = {"Accept-Language": accept} if accept else {}
    response = client.get("/login/", headers=headers)

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{code}">' in html
    assert title in html
    assert "Accept-Language" in response["Vary"]


def test_lists_say_their_counts_with_plurals_and_the_times_in_words(manager_client):
    choose(MANAGER_EMAIL, "de")

    html = page_in(manager_client, "/visitors/", "de")

    assert re.search(r"\d+ Besucher\b", html)
    assert re.search(r"\d+–\d+ von \d+ Ergebnissen", html)
    assert re.search(r"vor \d+ (Min\.|Std\.|Tagen?)|gerade eben", html)
    assert "ago" not in re.sub(r"<[^>]+>", " ", html)


# Words of the console's own chrome on the list pages; none may be left in English in Turkish.
ENGLISH_CHROME = (
    "Search",
    "Reset",
    "Rows per page",
    "Last seen",
    "Last message",
    "Showing",
    "Previous",
    "Next",
    "Sign out",
    "Skip to content",
    "Live: refreshes",
    "Export CSV",
    "matching",
    " ago",
)


@pytest.mark.parametrize("path", ["/visitors/", "/conversations/", "/agents/", "/keys/"])
def test_no_english_chrome_is_left_on_a_turkish_list_page(manager_client, path):
    def words_on(code: str) -> list[str]:
        choose(MANAGER_EMAIL, code)
        text = re.sub(r"<[^>]+>", "\n", page_in(manager_client, path, code).split("<body", 1)[1])
        return [word for word in ENGLISH_CHROME if word in text]

    assert len(words_on("en")) >= 3  # the words are the page's own: the check can fail
    assert words_on("tr") == []


# The other platforms' areas (ConnectiveOne, UChat, Naxon AI connected) and the jobs: (path, its
# <h1> in en, tr, de, es).
PLATFORM_PAGES = [
    ("/naxon/", ("Models", "Modeller", "Modelle", "Modelos")),
    (
        "/naxon/conversations/",
        ("All conversations", "Tüm görüşmeler", "Alle Unterhaltungen", "Todas las conversaciones"),
    ),
    (
        "/alerts/",
        (
            "Keyword alerts",
            "Anahtar kelime uyarıları",
            "Stichwort-Warnungen",
            "Alertas de palabras clave",
        ),
    ),
    (
        "/alerts/rejected/",
        (
            "Rejected deliveries",
            "Reddedilen teslimatlar",
            "Abgelehnte Zustellungen",
            "Entregas rechazadas",
        ),
    ),
    ("/uchat/", ("Subscribers", "Aboneler", "Abonnenten", "Suscriptores")),
    ("/uchat/tags/", ("Flow tags", "Akış etiketleri", "Flow-Tags", "Etiquetas de flujo")),
    ("/connectiveone/chats/", ("Chats", "Sohbetler", "Chats", "Chats")),
    ("/connectiveone/tickets/", ("Tickets", "Talepler", "Tickets", "Tickets")),
    ("/contacts/?q=jane.cooper%40example.net", ("Contacts", "Kişiler", "Kontakte", "Contactos")),
    ("/jobs/", ("Jobs", "İşler", "Aufträge", "Trabajos")),
    (
        "/uchat/bulk/tags/",
        (
            "Tag UChat subscribers",
            "UChat abonelerini etiketle",
            "UChat-Abonnenten taggen",
            "Etiquetar suscriptores de UChat",
        ),
    ),
]


@pytest.fixture
def other_platforms(manager_client, sandbox):
    """ConnectiveOne, UChat and Naxon AI connected for the manager's workspace."""
    connect_connectiveone(MANAGER_EMAIL, sandbox.url)
    tenant_id = User.objects.get(email=MANAGER_EMAIL).tenant_id
    for kind, config, secrets in (
        (
            Integration.Kind.UCHAT,
            {"base_url": sandbox.url + "/uchat/api"},
            {"bot_token": BOT_TOKEN},
        ),
        (Integration.Kind.NAXON, {"base_url": sandbox.url + "/naxon"}, {"api_token": NAXON_TOKEN}),
    ):
        integration = Integration(tenant_id=tenant_id, kind=kind, config=config)
        integration.store_secrets(secrets)
        integration.save()


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_other_platforms_pages_are_in_the_chosen_language(
    manager_client, other_platforms, code
):
    choose(MANAGER_EMAIL, code)
    index = LANGUAGES.index(code)
    for path, headings in PLATFORM_PAGES:
        html = page_in(manager_client, path, code)
        assert heading(html) == headings[index], path
        assert "could not be reached" not in html and "cannot be read" not in html, path


@pytest.mark.parametrize(
    ("code", "texts"),
    [
        ("en", ("Still loading Naxon AI…", "No records of")),
        ("tr", ("Naxon AI hâlâ yükleniyor…", "için kayıt yok")),
        ("de", ("Naxon AI wird noch geladen…", "Keine Einträge zu")),
        ("es", ("Todavía cargando Naxon AI…", "No hay registros de")),
    ],
)
def test_a_contact_lookup_speaks_the_language_in_its_panels(
    manager_client, other_platforms, code, texts
):
    choose(MANAGER_EMAIL, code)
    loading, none_found = texts

    search = page_in(manager_client, "/contacts/?q=nobody.at.all%40example.org", code)
    panel_url = re.search(r'hx-get="(/contacts/panels/naxon/[^"]*)"', search).group(1)
    panel = page_in(manager_client, unescape(panel_url), code)

    assert loading in search
    assert none_found in panel


@pytest.mark.parametrize(
    ("code", "matching"),
    [
        ("en", r'<span id="bulk-count">\d+</span> subscribers? match'),
        ("tr", r'<span id="bulk-count">\d+</span> abone eşleşiyor'),
        ("de", r'<span id="bulk-count">\d+</span> Abonnent(en)? passen?'),
        ("es", r'<span id="bulk-count">\d+</span> suscriptor(es)? coincid'),
    ],
)
def test_a_bulk_page_counts_its_audience_in_the_language(
    manager_client, other_platforms, code, matching
):
    choose(MANAGER_EMAIL, code)

    page = page_in(manager_client, "/uchat/bulk/tags/", code)

    assert re.search(matching, page)


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("en", "Tag UChat subscribers"),
        ("tr", "UChat abonelerini etiketle"),
        ("de", "UChat-Abonnenten taggen"),
        ("es", "Etiquetar suscriptores de UChat"),
    ],
)
def test_the_jobs_name_their_kinds_in_the_language(manager_client, code, kind):
    choose(MANAGER_EMAIL, code)

    page = page_in(manager_client, "/jobs/", code)

    assert f">{kind}</option>" in page


def test_every_registered_job_kind_has_its_label_in_the_catalogue():
    from django.utils import translation

    from dashboard.jobs.kinds import KIND_LABELS, KINDS

    assert {kind.label for kind in KINDS.values()} <= set(KIND_LABELS)
    with translation.override("tr"):
        assert [label for label in KIND_LABELS if translation.gettext(label) == label] == []


@pytest.fixture
def every_integration(manager_client, other_platforms):
    """The sender agent and the LivePerson app too, besides the other platforms: every card of
    /integrations/ set up (stored as a save would, never checked here)."""
    tenant_id = User.objects.get(email=MANAGER_EMAIL).tenant_id
    for kind, config, secrets in (
        (Integration.Kind.CONNEXTLIVE_SENDER, {"email": AGENT_EMAIL}, {"password": "secret"}),
        (
            Integration.Kind.LIVEPERSON,
            {"account_id": "90233546", "client_id": "connector-app", "hook_id": "hook-1"},
            {"client_secret": "app-secret", "webhook_secret": "hook-secret"},
        ),
    ):
        integration = Integration(tenant_id=tenant_id, kind=kind, config=config)
        integration.store_secrets(secrets)
        integration.save()


# Each card of /integrations/ says what is stored, and its form and actions, in each language.
INTEGRATIONS_PAGE = {
    "en": (
        "Password stored: yes",
        "Credential stored: yes",
        "Token stored: yes",
        "Client secret stored: yes",
        "Agent email",
        "Authenticate with",
        "Requests per second",
        "Test connection",
        "Create webhook URL",
        "Paste these into the app's webhook settings",
    ),
    "tr": (
        "Parola kayıtlı: evet",
        "Kimlik bilgisi kayıtlı: evet",
        "Belirteç kayıtlı: evet",
        "İstemci gizli anahtarı kayıtlı: evet",
        "Temsilci e-postası",
        "Kimlik doğrulama yöntemi",
        "Saniyede istek",
        "Bağlantıyı sına",
        "Webhook URL'si oluştur",
        "Bunları LivePerson'daki uygulamanın webhook ayarlarına yapıştırın",
    ),
    "de": (
        "Passwort gespeichert: ja",
        "Zugangsdaten gespeichert: ja",
        "Token gespeichert: ja",
        "Client-Secret gespeichert: ja",
        "E-Mail-Adresse des Agenten",
        "Authentifizieren mit",
        "Anfragen pro Sekunde",
        "Verbindung testen",
        "Webhook-URL erstellen",
        "Fügen Sie diese in die Webhook-Einstellungen der App in LivePerson ein",
    ),
    "es": (
        "Contraseña guardada: sí",
        "Credencial guardada: sí",
        "Token guardado: sí",
        "Secreto de cliente guardado: sí",
        "Correo electrónico del agente",
        "Autenticarse con",
        "Solicitudes por segundo",
        "Probar la conexión",
        "Crear URL del webhook",
        "Pegue estos datos en los ajustes de webhook de la aplicación en LivePerson",
    ),
}
INTEGRATIONS_HEADING = {
    "en": "Integrations",
    "tr": "Entegrasyonlar",
    "de": "Integrationen",
    "es": "Integraciones",
}
# Each kind's removal page: its <h1> names the integration, in each language.
REMOVE_HEADING = {
    "en": "Remove {}?",
    "tr": "{} entegrasyonu kaldırılsın mı?",
    "de": "{} entfernen?",
    "es": "¿Quitar {}?",
}
SENDER_LABEL = {
    "en": "Connextlive sender agent",
    "tr": "Connextlive gönderen temsilcisi",
    "de": "Connextlive-Absender-Agent",
    "es": "Agente remitente de Connextlive",
}
REMOVABLE = {
    "connectiveone": "ConnectiveOne",
    "naxon": "Naxon AI",
    "uchat": "konversation (UChat)",
    "liveperson": "LivePerson",
}
WHAT_HAPPENS = {"en": "What happens", "tr": "Ne olur", "de": "Was passiert", "es": "Qué ocurre"}


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_integrations_pages_are_in_the_chosen_language(manager_client, every_integration, code):
    choose(MANAGER_EMAIL, code)

    html = unescape(page_in(manager_client, "/integrations/", code))
    assert heading(html) == INTEGRATIONS_HEADING[code]
    for text in INTEGRATIONS_PAGE[code]:
        assert text in html, text
    assert html.count(INTEGRATIONS_PAGE[code][7]) == 5  # each card's "Test connection"
    assert "{#" not in html  # a template comment over two lines is shown as text
    for slug, label in {"connextlive": SENDER_LABEL[code], **REMOVABLE}.items():
        page = page_in(manager_client, f"/integrations/{slug}/remove/", code)
        assert unescape(heading(page)) == REMOVE_HEADING[code].format(label), slug
        assert WHAT_HAPPENS[code] in page


# English words of the integrations page's own; none may be left on it in Turkish.
INTEGRATIONS_ENGLISH = (
    "stored:",
    "Test connection",
    "Remove…",
    "Save",
    "Requests per second",
    "Authenticate with",
    "Operator",
    "Leave blank",
    "Where broadcasts",
    "Create webhook URL",
    "Rejected deliveries",
    "Paste these",
    "Secret",
    "sender agent",
    "Bot token",
    "Client secret",
)


def test_no_english_is_left_on_the_turkish_integrations_page(manager_client, every_integration):
    def words_on(code: str) -> list[str]:
        choose(MANAGER_EMAIL, code)
        html = page_in(manager_client, "/integrations/", code).split("<body", 1)[1]
        text = unescape(re.sub(r"<[^>]+>", "\n", html))
        return [word for word in INTEGRATIONS_ENGLISH if word in text]

    assert len(words_on("en")) == len(INTEGRATIONS_ENGLISH)  # the words are the page's own
    assert words_on("tr") == []


def test_a_platform_failure_banner_is_in_turkish(manager_client, console_platform, settings):
    settings.PLATFORM_MAX_RETRIES = 0
    choose(MANAGER_EMAIL, "tr")
    console_platform.set_faults(errorRate=1.0, errorStatus=503, paths="/api/tenant/agents")

    response = manager_client.get("/agents/")

    html = response.content.decode()
    assert response.status_code == 503
    assert '<html lang="tr">' in html
    assert "Connextlive bu isteği tamamlayamadı" in html
    assert "Platform şu anda kullanılamıyor (hata 503)" in html  # not h3's "Service Unavailable"
    assert "navailable" not in html and "error 503" not in html


def test_a_failed_connection_check_is_said_in_turkish(manager_client, platform, every_integration):
    choose(MANAGER_EMAIL, "tr")
    platform.set_faults(errorRate=1.0, errorStatus=503, paths="^/naxon/")

    response = manager_client.post("/integrations/naxon/test/", headers={"HX-Request": "true"})

    html = response.content.decode()
    assert "Başarısız" in html and "Platform şu anda kullanılamıyor (hata 503)" in html
    assert "Failed" not in html and "navailable" not in html
    # The audit log, read by every manager in their own language, keeps it in English.
    event = AuditEvent.objects.get(action="integration.test")
    assert event.error == "The platform is unavailable right now (error 503)"


@pytest.mark.parametrize(
    ("code", "title"),
    [
        ("en", "Page not found"),
        ("tr", "Sayfa bulunamadı"),
        ("de", "Seite nicht gefunden"),
        ("es", "Página no encontrada"),
    ],
)
def test_the_not_found_page_is_in_the_chosen_language(manager_client, code, title):
    choose(MANAGER_EMAIL, code)

    response = manager_client.get("/integrations/no-such-platform/remove/")

    html = response.content.decode()
    assert response.status_code == 404
    assert f'<html lang="{code}">' in html and title in html


def test_a_refused_csrf_token_is_explained_in_turkish(manager_client):
    choose(MANAGER_EMAIL, "tr")
    manager_client.handler.enforce_csrf_checks = True  # as a browser's request is checked

    response = manager_client.post("/logout/")  # no CSRF token: the form "expired"

    html = response.content.decode()
    assert response.status_code == 403
    assert '<html lang="tr">' in html and "Formun süresi doldu" in html
    assert "CSRF verification failed" not in html


@pytest.mark.parametrize(
    ("code", "title"),
    [("tr", "Bir şeyler ters gitti"), ("de", "Etwas ist schiefgelaufen"), ("es", "Algo salió mal")],
)
def test_the_server_error_page_is_in_the_active_language(code, title):
    # Django renders 500.html without a request or context: only the active language.
    with translation.override(code):
        html = render_to_string("500.html")

    assert f'<html lang="{code}">' in html and title in html


@pytest.mark.parametrize(
    ("code", "texts"),
    [
        (
            "en",
            (
                "Connextlive conversations matching a filter",
                "Only conversations already assigned to the sender, or unassigned",
                "Check the audience",
                "12 recipients",
                "12 conversations will be assigned to",
                "Choose a recipient…",
            ),
        ),
        (
            "tr",
            (
                "Bir filtreyle eşleşen Connextlive görüşmeleri",
                "Yalnızca zaten göndericiye atanmış ya da atanmamış görüşmeler",
                "Hedef kitleyi denetle",
                "12 alıcı",
                "12 görüşme <strong>",
                "Bir alıcı seçin…",
            ),
        ),
        (
            "de",
            (
                "Connextlive-Unterhaltungen, die zu einem Filter passen",
                "Nur Unterhaltungen, die schon dem Absender oder niemandem zugewiesen sind",
                "Zielgruppe prüfen",
                "12 Empfänger",
                "12 Unterhaltungen werden <strong>",
                "Empfänger auswählen…",
            ),
        ),
        (
            "es",
            (
                "Conversaciones de Connextlive que coinciden con un filtro",
                "Solo conversaciones ya asignadas al remitente o sin asignar",
                "Comprobar la audiencia",
                "12 destinatarios",
                "12 conversaciones se asignarán a <strong>",
                "Elija un destinatario…",
            ),
        ),
    ],
)
def test_a_broadcast_is_composed_and_checked_in_the_language(
    manager_client, a_broadcast, code, texts
):
    choose(MANAGER_EMAIL, code)
    choice, option, button, count, assignment, recipient = texts

    compose = unescape(page_in(manager_client, "/broadcasts/new/", code))
    draft = unescape(page_in(manager_client, f"/broadcasts/{a_broadcast['broadcast']}/", code))

    assert choice in compose and option in compose and button in compose
    assert count in draft and assignment in draft and recipient in draft
