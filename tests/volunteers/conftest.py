import pytest

from tests.volunteers import helpers


@pytest.fixture
def roles(db):
    return helpers.roles()


@pytest.fixture
def coordinator(db):
    return helpers.coordinator()
