"""Subject access and erasure of a person's referrals, by a coordinator with the permission,
in scope: the export holds their data and is audited; erasure leaves nothing of them in any
text column of any table (outbox and audit detail included), only the fact it happened."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from portal.models import AuditEvent, OutboxMessage
from referrals import services
from referrals.models import Kind, Referral, Source
from tests.factories import UserFactory
from tests.referrals import factories
from tests.referrals.leftovers import leftovers
from tests.staff import sign_in_to_staff_area

pytestmark = pytest.mark.django_db
NAME, EMAIL, PHONE = "Morgan Erasable", "morgan@example.com", "07700 900333"


def staff_client(user) -> Client:
    client = Client()
    sign_in_to_staff_area(client, user)
    return client


@pytest.fixture
def world():
    coordinator = UserFactory(roles=["Coordinator"], localities=["north"])
    first = factories.referral(
        "north",
        name=NAME,
        email=EMAIL,
        phone=PHONE,
        kind=Kind.PROFESSIONAL,
        source=Source.GP,
        details={"details": "Morgan told the GP", "referrer_name": "Dr Lowe"},
    )
    services.log_attempt(
        first, by=coordinator, channel="phone_call", outcome="spoke", note="Morgan is safe now"
    )
    services.add_note(first, by=coordinator, text="Morgan wants counselling")
    again = factories.referral("north", name=NAME, email=EMAIL)  # known before: a repeat
    south = factories.referral("south", name=NAME, email=EMAIL)  # not this coordinator's
    someone_else = factories.referral("north", name="Alex Other", phone=PHONE)  # a shared phone
    return coordinator, first, again, south, someone_else


def url(referral) -> str:
    return reverse("referrals_subject_request", args=[referral.pk])


def test_the_export_holds_the_chosen_referrals_and_is_audited(world):
    coordinator, first, again, south, someone_else = world
    client = staff_client(coordinator)
    page = client.get(url(first)).content.decode()
    assert first.reference in page and again.reference in page and someone_else.reference in page
    assert south.reference not in page and 'id="elsewhere"' in page
    response = client.post(url(first), {"action": "export", "referrals": [first.pk, again.pk]})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert [r["reference"] for r in data["referrals"]] == [first.reference, again.reference]
    exported = data["referrals"][0]
    assert exported["person"]["email"] == EMAIL and exported["details"] == "Morgan told the GP"
    assert exported["case_notes"][0]["text"] == "Morgan wants counselling"
    assert "Alex Other" not in response.content.decode()
    exports = AuditEvent.objects.filter(action="export", actor=coordinator)
    assert {e.target_id for e in exports} == {str(first.pk), str(again.pk)}


def test_erasure_leaves_nothing_of_the_person(world):
    coordinator, first, again, south, someone_else = world
    client = staff_client(coordinator)
    assert OutboxMessage.objects.filter(concerns_id=str(first.pk)).exists()
    chosen = {"referrals": [first.pk, again.pk]}
    unconfirmed = client.post(url(first), {"action": "erase", **chosen})
    assert (
        unconfirmed.status_code == 400
        and "Confirm you have checked" in unconfirmed.content.decode()
    )
    assert Referral.objects.filter(pk=first.pk).exists()

    response = client.post(url(first), {"action": "erase", "confirm": "on", **chosen})
    assert response.status_code == 302
    assert not Referral.objects.filter(pk__in=[first.pk, again.pk]).exists()
    # Only what remains elsewhere: the South referral (not in scope) and the other person's.
    remaining = leftovers(NAME, EMAIL, "Morgan")
    assert remaining and all(
        place.startswith(("SafeContactPlan.", "OutboxMessage.")) for place in remaining
    ), remaining
    # Its coordinator erases that one too.
    south_coordinator = UserFactory(roles=["Coordinator"], localities=["south"])
    erased = staff_client(south_coordinator).post(
        url(south), {"action": "erase", "confirm": "on", "referrals": [south.pk]}
    )
    assert erased.status_code == 302
    assert leftovers(NAME, EMAIL, "Morgan", "Dr Lowe") == []
    # The audit trail keeps the facts, and the erasure, with no detail about them.
    about_first = AuditEvent.objects.filter(target_id=str(first.pk), target_type__model="referral")
    assert about_first.filter(action="erase", actor=coordinator).exists()
    assert all(e.detail in ({"erased": True}, {"request": "erasure"}) for e in about_first)
    # The other person on the shared phone is untouched.
    someone_else.refresh_from_db()
    assert someone_else.plan.phone == PHONE


@pytest.mark.parametrize("who", ["south coordinator", "community worker", "commissioner"])
def test_anyone_else_gets_a_404(world, who):
    coordinator, first, *_ = world
    user = {
        "south coordinator": lambda: UserFactory(roles=["Coordinator"], localities=["south"]),
        "community worker": lambda: UserFactory(roles=["Community worker"], localities=["north"]),
        "commissioner": lambda: UserFactory(roles=["Commissioner"]),
    }[who]()
    client = staff_client(user)
    assert client.get(url(first)).status_code == 404
    erase = client.post(url(first), {"action": "erase", "confirm": "on", "referrals": [first.pk]})
    assert erase.status_code == 404 and Referral.objects.filter(pk=first.pk).exists()
