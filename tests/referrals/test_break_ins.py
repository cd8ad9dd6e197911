"""Break-in checks: a community worker on a referral not allocated to them, a referrer on
another referrer's referral, the same form sent twice, and a coordinator of another locality
on the newest URLs. Each is refused with a 404 that reads like a missing referral (or, for
the form sent twice, one referral and one set of messages)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from portal.models import OutboxMessage
from referrals import services
from referrals.models import Outcome, Referral, Status
from tests.factories import UserFactory
from tests.referrals import factories
from tests.referrals.test_helpline import CALL
from tests.referrals.test_public_forms import ASK, ASKING, PROFESSIONAL, REFERRING
from tests.referrals.test_staff import urls
from tests.staff import sign_in_to_staff_area

pytestmark = pytest.mark.django_db
SECRET = "Bryn Breakin"


def signed_in(user) -> Client:
    client = Client()
    sign_in_to_staff_area(client, user)
    return client


def submission_key(client, url: str) -> str:
    html = client.get(url).content.decode()
    return re.search(r'name="submission" value="([^"]+)"', html)[1]


def refuses_like_a_missing_referral(client, referral) -> None:
    """Every staff URL of the referral answers 404 without a trace of it, as for none."""
    for name, (method, url, data) in urls(referral.pk).items():
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, name
        assert SECRET not in response.content.decode()
        missing = urls(referral.pk + 1000)[name][1]
        assert getattr(client, method)(missing, data).status_code == 404, name


def test_a_community_worker_without_the_allocation_gets_nothing():
    coordinator = UserFactory(roles=["Coordinator"], localities=["north"])
    allocated = UserFactory(roles=["Community worker"], localities=["north"])
    colleague = UserFactory(roles=["Community worker"], localities=["north"])
    waiting = factories.referral(name=SECRET)
    someone_elses = factories.referral(name=SECRET)
    services.decide(
        someone_elses, by=coordinator, outcome=Outcome.COMMUNITY_WORKER, worker=allocated
    )
    client = signed_in(colleague)
    for referral in (waiting, someone_elses):
        refuses_like_a_missing_referral(client, referral)
    queue = client.get(reverse("referrals_queue")).content.decode()
    assert waiting.reference not in queue and someone_elses.reference not in queue
    someone_elses.refresh_from_db()
    assert someone_elses.status == Status.ALLOCATED and not someone_elses.notes.exists()


def test_a_referrer_cannot_reach_another_referrers_referral(client):
    client.force_login(UserFactory())
    client.post(PROFESSIONAL, REFERRING)
    theirs = Referral.objects.latest("pk")
    client.force_login(UserFactory())  # another professional, with an account
    made = client.get(reverse("referrals:made", args=[theirs.reference]))
    missing = client.get(reverse("referrals:made", args=["SNOSUCH2"]))
    assert made.status_code == missing.status_code == 404 and made.content == missing.content
    # The staff area is not theirs either: sent to sign in as staff, nothing shown.
    for _name, (method, url, data) in urls(theirs.pk).items():
        response = getattr(client, method)(url, data)
        assert response.status_code in (302, 404) and "Pat Person" not in response.content.decode()
    assert Referral.objects.filter(referred_by__isnull=False).count() == 1


@pytest.mark.parametrize("url, form", [(ASK, ASKING), (PROFESSIONAL, REFERRING)])
def test_the_same_form_sent_twice_records_one_referral(
    client, url, form, django_capture_on_commit_callbacks
):
    UserFactory(roles=["Coordinator"], localities=["north", "south"])  # told of each one
    data = {**form, "submission": submission_key(client, url)}
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, data)
    messages = OutboxMessage.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url, data)
    referral = Referral.objects.get()
    assert first.status_code == again.status_code == 200
    assert referral.reference in first.content.decode()
    assert referral.reference in again.content.decode()
    assert messages and OutboxMessage.objects.count() == messages, "told once"
    # A new form is a new referral.
    client.post(url, {**form, "submission": submission_key(client, url)})
    assert Referral.objects.count() == 2


def test_a_failed_submit_keeps_its_key_so_the_corrected_one_is_recorded_once(client):
    key = submission_key(client, ASK)
    failed = client.post(ASK, {**ASKING, "submission": key, "postcode": "NOPE"})
    assert failed.status_code == 400 and f'value="{key}"' in failed.content.decode()
    for _ in range(2):
        client.post(ASK, {**ASKING, "submission": key})
    assert Referral.objects.count() == 1


def test_the_same_call_recorded_twice_is_one_referral():
    client = signed_in(UserFactory(roles=["Coordinator"], localities=["north"]))
    url = reverse("referrals_call_referral")
    data = {**CALL, "submission": submission_key(client, url)}
    first, again = client.post(url, data), client.post(url, data)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert Referral.objects.count() == 1


def test_a_coordinator_of_another_locality_on_every_new_url(client):
    north = UserFactory(roles=["Coordinator"], localities=["north"])
    worker = UserFactory(roles=["Community worker"], localities=["north"])
    client.force_login(UserFactory())
    client.post(PROFESSIONAL, {**REFERRING, "name": SECRET, "locality": "north"})
    referral = Referral.objects.get()
    services.decide(referral, by=north, outcome=Outcome.COMMUNITY_WORKER, worker=worker)
    south = signed_in(UserFactory(roles=["Coordinator"], localities=["south"]))
    newest = {
        "close": ("post", reverse("referrals_close", args=[referral.pk]), {"closure": "declined"}),
        "person": ("get", reverse("referrals_subject_request", args=[referral.pk]), {}),
        "person, erasing": (
            "post",
            reverse("referrals_subject_request", args=[referral.pk]),
            {"referrals": [referral.pk], "confirm": "on", "action": "erase"},
        ),
        "made": ("get", reverse("referrals:made", args=[referral.reference]), {}),
    }
    for name, (method, url, data) in newest.items():
        response = getattr(south, method)(url, data)
        assert response.status_code == 404, name
        assert SECRET not in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.ALLOCATED and referral.plan.name == SECRET
