import pytest

from tests.i18n.catalogues import fresh_catalogues


@pytest.fixture(autouse=True, scope="session")
def _compiled_catalogues() -> None:
    """The pages are read in each language from the compiled catalogues."""
    fresh_catalogues()
