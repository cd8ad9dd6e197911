"""Every email referrals sends to staff says only that a referral is waiting, with a link:
nothing of the referral (who, where from, what was said, its reference) in the subject, the
sender or the body, whether it comes from a new referral or a transfer between localities."""

import pytest
from django.core import mail

from portal.localities import Locality
from portal.models import OutboxMessage
from referrals import dash, services
from referrals.models import Kind, Source
from tests.factories import UserFactory
from tests.referrals import factories

pytestmark = pytest.mark.django_db


def test_staff_emails_hold_no_referral_data(django_capture_on_commit_callbacks):
    north = UserFactory(
        roles=["Coordinator"], localities=["north"], email="north@council.example.gov.uk"
    )
    south = UserFactory(
        roles=["Coordinator"], localities=["south"], email="south@council.example.gov.uk"
    )
    with django_capture_on_commit_callbacks(execute=True):
        referral = factories.referral(
            "north",
            name="Jordan Private",
            email="jordan@example.com",
            phone="07700 900444",
            date_of_birth="1990-05-06",
            kind=Kind.PROFESSIONAL,
            source=Source.SCHOOL,
            risk=services.Risk(judgement=dash.HIGH),
            details={
                "postcode": "RV1 9ZZ",
                "details": "Jordan disclosed at school",
                "referrer_name": "Ms Teacher",
                "referrer_agency": "Riverside Primary",
                "school_name": "Riverside Primary",
            },
        )
        services.hand_over(
            referral, by=north, reason="Jordan moved", locality=Locality.objects.get(slug="south")
        )
    staff = {north.email, south.email}
    sent = [m for m in mail.outbox if set(m.to) & staff]
    assert {tuple(m.to) for m in sent} == {(north.email,), (south.email,)}  # new, then moved
    assert {m.kind for m in OutboxMessage.objects.filter(concerns_id=str(referral.pk))} <= {
        "referral_waiting",
        "referral_received",
    }
    data = [
        "Jordan",
        "jordan@example.com",
        "07700",
        "1990",
        "RV1",
        "school",
        "Teacher",
        "Riverside",
        "North",
        "South",
        "high",
        "risk",
        referral.reference,
    ]
    for message in sent:
        assert message.subject == "A new referral is waiting"
        text = " ".join(
            [message.subject, message.from_email, message.body]
            + [content for content, _ in getattr(message, "alternatives", [])]
        )
        assert f"/admin/referrals/{referral.pk}/" in message.body
        found = [item for item in data if item.lower() in text.lower()]
        assert found == [], found
