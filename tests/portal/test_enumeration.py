"""Password reset and sign-up do the same work whether or not an address has an account, so
how long the answer takes tells nobody who has one. Timing itself is not asserted (it is
noisy); the work is: the same queries, the same deferred tasks, the same password hashing."""

import re
from unittest import mock

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.models import OutboxMessage
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _shape(sql: str) -> str:
    """A query without its values: what was asked of which table, not about whom."""
    return re.sub(r"'[^']*'|\b\d+\b", "?", sql)


def _reset(client, email, capture_on_commit):
    with CaptureQueriesContext(connection) as queries, capture_on_commit() as deferred:
        response = client.post("/accounts/password/reset/", {"email": email})
    return response, [_shape(q["sql"]) for q in queries.captured_queries], deferred


def test_a_reset_request_does_the_same_work_for_known_and_unknown_addresses(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="known@example.com")
    known, known_queries, known_tasks = _reset(
        client, "known@example.com", django_capture_on_commit_callbacks
    )
    unknown, unknown_queries, unknown_tasks = _reset(
        client, "unknown@example.com", django_capture_on_commit_callbacks
    )
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert known_queries == unknown_queries
    assert len(known_tasks) == len(unknown_tasks) == 1  # the reset, queued for the worker
    assert OutboxMessage.objects.count() == 0  # nothing looked up or written while waiting

    # The worker then sends the link to the account holder, and nothing to the stranger.
    with django_capture_on_commit_callbacks(execute=True):
        for task in known_tasks + unknown_tasks:
            task()
    assert [m.to for m in mail.outbox] == [["known@example.com"]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    assert mail.outbox[0].body.count("http://127.0.0.1:8000/accounts/password/reset/key/") == 1


def _sign_up(client, email, capture_on_commit):
    messages_before = OutboxMessage.objects.count()
    with (
        mock.patch.object(
            MD5PasswordHasher, "encode", autospec=True, side_effect=MD5PasswordHasher.encode
        ) as encode,
        capture_on_commit(execute=True),
    ):
        response = client.post(
            "/accounts/signup/",
            {"first_name": "Sam", "email": email, "password1": PASSWORD, "password2": PASSWORD},
        )
    return response, encode.call_count, OutboxMessage.objects.count() - messages_before


def test_a_sign_up_does_the_same_work_for_a_new_and_a_taken_address(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="taken@example.com")
    new, new_hashes, new_messages = _sign_up(
        client, "new@example.com", django_capture_on_commit_callbacks
    )
    client.logout()
    taken, taken_hashes, taken_messages = _sign_up(
        client, "taken@example.com", django_capture_on_commit_callbacks
    )
    assert new.status_code == taken.status_code == 302
    assert new["Location"] == taken["Location"]
    # The password is hashed either way (the slow part of making an account) ...
    assert new_hashes == taken_hashes == 1
    # ... and one email is written to the outbox: "confirm your address" or "you have an
    # account already", to the address's owner.
    assert new_messages == taken_messages == 1
