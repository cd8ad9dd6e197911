"""Closing a case that is with a community worker: the allocated worker or a coordinator of
its locality records why support ended; nobody else can reach it; retention then counts
from the closure, not from the allocation."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.models import AuditEvent
from referrals import retention, services
from referrals.models import Closure, Outcome, Referral, Status
from tests.factories import UserFactory
from tests.referrals import factories
from tests.staff import sign_in_to_staff_area

pytestmark = pytest.mark.django_db
SECRET = "Cass Closing"


@pytest.fixture
def case():
    coordinator = UserFactory(roles=["Coordinator"], localities=["north"])
    worker = UserFactory(roles=["Community worker"], localities=["north"])
    referral = factories.referral(name=SECRET)
    services.decide(referral, by=coordinator, outcome=Outcome.COMMUNITY_WORKER, worker=worker)
    return {"referral": referral, "coordinator": coordinator, "worker": worker}


_signed_in: dict[int, Client] = {}


def client_for(user) -> Client:
    """One signed-in client per user (an authenticator code is accepted once only)."""
    if user.pk not in _signed_in:
        _signed_in[user.pk] = Client()
        sign_in_to_staff_area(_signed_in[user.pk], user)
    return _signed_in[user.pk]


def close_url(referral) -> str:
    return reverse("referrals_close", args=[referral.pk])


def test_the_allocated_worker_closes_with_an_outcome_and_a_note(case):
    referral, worker = case["referral"], case["worker"]
    response = client_for(worker).post(
        close_url(referral), {"closure": Closure.MOVED_AWAY, "closure_note": "Moved to Leeds"}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.CLOSED and referral.closure == Closure.MOVED_AWAY
    assert referral.closure_note == "Moved to Leeds" and referral.closed_by == worker
    assert referral.closed_at and referral.outcome == Outcome.COMMUNITY_WORKER
    assert referral.allocated_to == worker, "who had the case stays on it"
    event = AuditEvent.objects.filter(target_id=str(referral.pk), actor=worker).latest("at")
    assert event.action == "change" and event.detail["change"] == "closed"
    assert "Leeds" not in str(event.detail)
    # Shown on the case; no longer among the worker's cases; the referrer sees "Closed".
    html = client_for(worker).get(reverse("referrals_detail", args=[referral.pk])).content
    assert b"They moved away" in html and b'id="close-form"' not in html
    queue = client_for(worker).get(reverse("referrals_queue")).content.decode()
    assert referral.reference not in queue
    assert referral.referrer_status == "Closed"


def test_a_coordinator_of_the_locality_closes_it(case):
    referral = case["referral"]
    response = client_for(case["coordinator"]).post(
        close_url(referral), {"closure": Closure.SUPPORT_COMPLETED}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.CLOSED and referral.closure_note == ""


@pytest.mark.parametrize(
    "who",
    [
        {"roles": ["Community worker"], "localities": ["north"]},
        {"roles": ["Coordinator"], "localities": ["south"]},
        {"roles": ["Commissioner"], "localities": ["north"]},
    ],
    ids=["another worker", "a coordinator of another locality", "a commissioner"],
)
def test_nobody_else_can_close_it_or_tell_it_exists(case, who):
    referral = case["referral"]
    client = client_for(UserFactory(**who))
    response = client.post(close_url(referral), {"closure": Closure.DECLINED})
    assert response.status_code == 404 and SECRET not in response.content.decode()
    missing = reverse("referrals_close", args=[referral.pk + 1000])
    assert client.post(missing, {"closure": Closure.DECLINED}).status_code == 404
    referral.refresh_from_db()
    assert referral.status == Status.ALLOCATED


def test_bad_input_is_shown_next_to_the_field_and_nothing_typed_is_lost(case):
    referral = case["referral"]
    client = client_for(case["worker"])
    response = client.post(close_url(referral), {"closure_note": "Kept note"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Choose why the case is closing" in html and "Kept note" in html
    assert 'href="#id_closure_0"' in html
    response = client.post(close_url(referral), {"closure": "vanished", "closure_note": "x"})
    assert response.status_code == 400
    response = client.post(
        close_url(referral), {"closure": Closure.DECLINED, "closure_note": "x" * 2001}
    )
    assert response.status_code == 400 and "at most 2000 characters" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.ALLOCATED


def test_only_a_case_with_a_worker_can_be_closed_this_way(case):
    waiting = factories.referral()
    with pytest.raises(services.ReferralError, match="community worker"):
        services.close_case(waiting, by=case["coordinator"], closure=Closure.DECLINED)
    services.close_case(case["referral"], by=case["worker"], closure=Closure.DECLINED)
    with pytest.raises(services.ReferralError):
        services.close_case(case["referral"], by=case["worker"], closure=Closure.DECLINED)
    # Through the screen: a case already closed answers with the message, not a 500.
    response = client_for(case["worker"]).post(
        close_url(case["referral"]), {"closure": Closure.DECLINED}
    )
    assert response.status_code == 400


def test_retention_counts_from_the_closure(case, settings):
    settings.REFERRALS_RETENTION_DAYS = 730
    referral = case["referral"]
    long_ago = timezone.now() - timedelta(days=800)
    Referral.objects.filter(pk=referral.pk).update(decided_at=long_ago)
    assert retention.anonymise_finished_referrals() == 0, "still with its worker"
    services.close_case(referral, by=case["worker"], closure=Closure.NO_CONTACT, note="Gone")
    assert retention.anonymise_finished_referrals() == 0, "closed today, allocated long ago"
    Referral.objects.filter(pk=referral.pk).update(closed_at=timezone.now() - timedelta(days=731))
    assert retention.anonymise_finished_referrals() == 1
    referral.refresh_from_db()
    assert referral.anonymised_at and referral.closure_note == ""
    assert referral.closure == Closure.NO_CONTACT, "kept for the figures"


def test_the_endings_report_counts_closed_cases_by_why_in_the_readers_localities(case):
    from referrals.reports import rows as reports

    services.close_case(case["referral"], by=case["worker"], closure=Closure.SUPPORT_COMPLETED)
    today = timezone.localdate()
    rows = {
        row["closure"]: row["cases"]
        for row in reports.support_endings(today, today, user=case["coordinator"])
    }
    assert rows[Closure.SUPPORT_COMPLETED.label] == 1 and rows[Closure.MOVED_AWAY.label] == 0
    assert rows["Total"] == 1
    south = UserFactory(roles=["Coordinator"], localities=["south"])
    assert reports.support_endings(user=south) == []
    assert reports.support_endings(today + timedelta(days=1), user=case["coordinator"]) == []
