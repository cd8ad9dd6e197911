import pytest

from tests.courses import helpers
from tests.stripe_standin import stripe_standin  # noqa: F401 - the fixture, for test_payments


@pytest.fixture
def course_page(home_page):
    return helpers.course(home_page)


@pytest.fixture
def training_session(course_page):
    return helpers.session(course_page, capacity=3)


@pytest.fixture(autouse=True)
def deliver_at_once(monkeypatch):
    """Tests here run inside one transaction that never commits, so deliver each message as
    soon as it is written (the rollback behaviour is portal.notify's own test)."""
    from types import SimpleNamespace

    from django.db import transaction

    from portal import notify

    monkeypatch.setattr(
        notify,
        "transaction",
        SimpleNamespace(atomic=transaction.atomic, on_commit=lambda func, **kwargs: func()),
    )
