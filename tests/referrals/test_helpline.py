"""The helpline in the staff area: a call recorded as a referral (source "helpline") or as an
advice contact with no personal data; who may record and see them; bad input answered next
to its field with everything typed shown again."""

import re
from html import unescape

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from portal.localities import Locality
from portal.models import AuditEvent, OutboxMessage
from referrals import services
from referrals.models import AdviceContact, CallerType, Kind, Referral, Source
from tests.factories import UserFactory
from tests.staff import sign_in_to_staff_area

ADVICE = "Suggested they look at the safety page together"
CALL = {
    "channels": ["phone_call"],
    "phone": "07700 900982",
    "voicemail_allowed": "no",
    "service_may_be_named": "no",
    "location_in_calendar": "no",
    "interpreter_needed": "no",
    "caller_type": CallerType.FRIEND,
    "help_wanted": "local",
    "name": "Robin Caller-Friend",
    "email": "",
    "locality": "north",
    "helper_name": "Alex Friend",
    "helper_contact": "Only after 6pm",
}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        people = {
            "north coordinator": UserFactory(roles=["Coordinator"], localities=["north"]),
            "south coordinator": UserFactory(roles=["Coordinator"], localities=["south"]),
            "community worker": UserFactory(roles=["Community worker"], localities=["north"]),
            "commissioner": UserFactory(roles=["Commissioner"], localities=["north"]),
        }
        north = Locality.objects.get(slug="north")
        in_north = services.record_advice(
            by=people["north coordinator"],
            caller_type=CallerType.FAMILY,
            topic="worried",
            locality=north,
            advice=ADVICE,
        )
        nowhere = services.record_advice(
            by=people["north coordinator"],
            caller_type=CallerType.PROFESSIONAL,
            topic="referring",
            advice="Explained the professional referral form",
        )
        clients = {}
        for name, user in people.items():
            clients[name] = Client()
            sign_in_to_staff_area(clients[name], user)
        yield {"people": people, "clients": clients, "north": in_north, "nowhere": nowhere}
        transaction.set_rollback(True)


def field_errors(response) -> str:
    """The messages Wagtail shows beside the fields, as text."""
    found = re.findall(r'class="w-field__errors"[^>]*>(.*?)</div>', response.text, re.S)
    return unescape(" ".join(" ".join(re.sub(r"<[^>]+>", " ", f).split()) for f in found))


@pytest.mark.django_db
def test_an_advice_contact_keeps_what_was_advised_encrypted_and_audited(world):
    contact = world["north"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT advice FROM referrals_advicecontact WHERE id = %s", [contact.pk])
        (raw,) = cursor.fetchone()
    assert ADVICE not in raw and "safety" not in raw
    assert AdviceContact.objects.get(pk=contact.pk).advice == ADVICE
    assert AuditEvent.objects.filter(
        target_id=str(contact.pk), action="create", actor=world["people"]["north coordinator"]
    ).exists()


@pytest.mark.django_db
def test_an_advice_contact_needs_what_was_advised(world):
    with pytest.raises(services.ReferralError) as refused:
        services.record_advice(
            by=world["people"]["north coordinator"], caller_type="other", topic="other", advice=" "
        )
    assert refused.value.field == "advice"


@pytest.mark.django_db
def test_a_coordinator_records_an_advice_call_with_no_personal_data(world):
    client = world["clients"]["north coordinator"]
    form = client.get(reverse("referrals_call_advice"))
    assert form.status_code == 200 and "no-store" in form["Cache-Control"]
    assert "autofocus" in form.text
    response = client.post(
        reverse("referrals_call_advice"),
        {"caller_type": CallerType.PERSON, "topic": "safety", "locality": "", "advice": "Plan"},
    )
    contact = AdviceContact.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals_advice", args=[contact.pk])
    assert (contact.caller_type, contact.topic, contact.locality) == ("person", "safety", None)
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change, field_message",
    [
        ({"caller_type": ""}, "Select who called"),
        ({"advice": ""}, "Enter what was advised"),
        ({"advice": "x" * 2001}, "Keep this to 2000 characters or fewer"),
        ({"locality": "999999"}, "Select a valid choice"),
    ],
)
def test_bad_advice_input_is_answered_next_to_the_field(world, change, field_message):
    typed = {"caller_type": "friend", "topic": "safety", "locality": "", "advice": "Typed this"}
    response = world["clients"]["north coordinator"].post(
        reverse("referrals_call_advice"), {**typed, **change}
    )
    assert response.status_code == 400
    assert field_message in field_errors(response)
    assert "There is a problem" in response.text
    if "advice" not in change:
        assert "Typed this" in response.text  # nothing typed is lost


@pytest.mark.django_db
def test_a_call_recorded_as_a_referral(world, django_capture_on_commit_callbacks):
    coordinator = world["people"]["north coordinator"]
    client = world["clients"]["north coordinator"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("referrals_call_referral"), CALL)
    referral = Referral.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals_detail", args=[referral.pk])
    assert (referral.kind, referral.source, referral.caller_type) == (
        Kind.HELPLINE,
        Source.HELPLINE,
        CallerType.FRIEND,
    )
    assert referral.plan.name == "Robin Caller-Friend"
    assert referral.referrer_name == "Alex Friend"
    assert referral.plan.phone_call_is_safe and not referral.plan.email_is_safe
    # The person is not written to; only the locality's coordinator is told it is waiting.
    assert not OutboxMessage.objects.filter(kind="referral_received").exists()
    assert AuditEvent.objects.filter(
        target_id=str(referral.pk), action="create", actor=coordinator
    ).exists()
    # It joins the triage queue like any other referral.
    assert referral.reference in client.get(reverse("referrals_queue")).text


@pytest.mark.django_db
def test_a_call_for_another_locality_goes_to_its_queue_not_the_recorder(world):
    response = world["clients"]["north coordinator"].post(
        reverse("referrals_call_referral"), {**CALL, "locality": "south"}
    )
    referral = Referral.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == reverse("referrals_calls")
    assert referral.locality.slug == "south"
    assert (
        referral.reference
        in world["clients"]["south coordinator"].get(reverse("referrals_queue")).text
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change, field_message",
    [
        ({"phone": "12ab"}, "phone number"),
        ({"caller_type": ""}, "Select who called"),
        ({"helper_name": ""}, "Enter the caller's name, so we know who asked"),
        ({"postcode": "NOTPC"}, "postcode"),
        ({"details": "x" * 2001}, "Keep this to 2000 characters or fewer"),
    ],
)
def test_bad_call_input_is_answered_next_to_the_field_and_nothing_is_lost(
    world, change, field_message
):
    count = Referral.objects.count()
    response = world["clients"]["north coordinator"].post(
        reverse("referrals_call_referral"), {**CALL, **change}
    )
    assert response.status_code == 400
    assert field_message in field_errors(response)
    assert "Robin Caller-Friend" in response.text
    assert Referral.objects.count() == count


@pytest.mark.django_db
@pytest.mark.parametrize("person", ["south coordinator", "community worker", "commissioner"])
def test_another_locality_or_role_gets_a_404_revealing_nothing(world, person):
    client = world["clients"][person]
    response = client.get(reverse("referrals_advice", args=[world["north"].pk]))
    assert response.status_code == 404 and ADVICE not in response.text
    missing = client.get(reverse("referrals_advice", args=[world["north"].pk + 1000]))
    assert missing.status_code == 404
    listing = client.get(reverse("referrals_calls"))
    if person == "south coordinator":
        assert listing.status_code == 200
        assert reverse("referrals_advice", args=[world["north"].pk]) not in listing.text
        assert reverse("referrals_advice", args=[world["nowhere"].pk]) not in listing.text
    else:
        assert listing.status_code == 404
        assert client.get(reverse("referrals_call_referral")).status_code == 404
        assert client.post(reverse("referrals_call_advice"), {}).status_code == 404


@pytest.mark.django_db
def test_the_recorder_sees_their_calls_with_and_without_a_locality(world):
    client = world["clients"]["north coordinator"]
    listing = client.get(reverse("referrals_calls"))
    for contact in (world["north"], world["nowhere"]):
        assert reverse("referrals_advice", args=[contact.pk]) in listing.text
    detail = client.get(reverse("referrals_advice", args=[world["north"].pk]))
    assert ADVICE in detail.text
    assert AuditEvent.objects.filter(target_id=str(world["north"].pk), action="view").exists()
