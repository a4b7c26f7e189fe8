"""What a worker stored in English (a job's pause reason, its last error, an item's error) is
read in the viewer's language: the runner's sentences and a platform error's title and the
console's own words translated, the platform's own words as they came."""

import pytest
from django.utils import translation

from dashboard.apikeys.revocation import GONE_NOTE
from dashboard.integrations.connections import NotConfigured
from dashboard.jobs.leases import LOST_IN_FLIGHT
from dashboard.jobs.templatetags.job_tags import stored
from dashboard.platforms.errors import (
    PlatformRateLimited,
    PlatformUnavailable,
    PlatformValidationError,
    stored_text,
)

NOT_SET_UP = str(NotConfigured("UChat is not configured"))
PAUSED = f"Paused: {NOT_SET_UP}. Fix it, then resume."
AUTO = (
    "Paused automatically after 5 consecutive platform errors. Last: "
    f"{PlatformUnavailable('error 503', status=503)}"
)
REFUSED = str(PlatformValidationError("name: too long", status=400))
LIMITED = str(PlatformRateLimited("", status=429, retry_after=30))


@pytest.mark.parametrize(
    ("text", "turkish"),
    [
        (
            PAUSED,
            "Duraklatıldı: Entegrasyon ayarlanmamış (UChat ayarlanmamış). "
            "Sorunu giderin, ardından sürdürün.",
        ),
        (
            AUTO,
            "Art arda 5 platform hatasından sonra otomatik olarak duraklatıldı. "
            "Sonuncusu: Platform şu anda kullanılamıyor (hata 503)",
        ),
        (REFUSED, "Platform girilen verileri reddetti (name: too long)"),  # the platform's words
        (LIMITED, "Platform istekleri sınırlıyor (30 sn sonra yeniden deneyin)"),
        (
            LOST_IN_FLIGHT,
            "Bu gönderilirken çalışan durdu: ulaşmış da olabilir, ulaşmamış da. "
            "Yeniden göndermeden önce kontrol edin.",
        ),
        (
            "LivePerson: skipped, already reached through UChat",
            "LivePerson: atlandı, UChat üzerinden zaten ulaşıldı",
        ),
        ("something the platform said", "something the platform said"),
        ("", ""),
    ],
)
def test_a_stored_text_is_read_in_turkish(text, turkish):
    with translation.override("tr"):
        assert stored(text) == turkish


ALREADY_REACHED = "LivePerson: skipped, already reached through UChat"


@pytest.mark.parametrize("text", [PAUSED, AUTO, REFUSED, LIMITED, LOST_IN_FLIGHT, ALREADY_REACHED])
def test_in_english_a_stored_text_reads_as_it_was_stored(text):
    with translation.override("en"):
        assert stored(text) == text


def test_a_key_rotations_stored_note_and_error_are_read_in_german():
    with translation.override("de"):
        assert stored_text(GONE_NOTE) == (
            "Der Schlüssel war auf der Plattform schon nicht mehr vorhanden; es gab nichts mehr "
            "zu widerrufen."
        )
        assert stored_text(str(PlatformUnavailable("timeout"))) == (
            "Die Plattform ist gerade nicht verfügbar (Zeitüberschreitung)"
        )
