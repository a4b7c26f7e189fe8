import pytest

from tests.platforms.helpers import Sleeps


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()
