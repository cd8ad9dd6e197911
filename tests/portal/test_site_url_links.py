"""Every link the portal writes starts with SITE_URL (which `make run PORT=...` sets), so a
demo on another port, or a site behind its public address, links to itself."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import Audience, Booking
from courses.services import AttendeeDetails
from portal.attendance import services as attendance
from portal.calendars.services import feed_token
from tests.courses import helpers
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SITE_URL = "http://127.0.0.1:8123"
URL = re.compile(r"https?://[^\s\"'<>\\]+")


def _links(text: str) -> list[str]:
    # iCalendar folds long lines (CRLF and a space): unfold before looking.
    return URL.findall(text.replace("\r\n ", "").replace("\n ", ""))


def _everything_sent() -> str:
    parts = []
    for email in mail.outbox:
        parts += [email.body, *(content for content, _ in email.alternatives)]
        parts += [str(content) for _, content, _ in email.attachments]
    return "\n".join(parts)


def test_emails_invites_feeds_and_certificates_link_to_the_site_url(
    settings, client, home_page, django_capture_on_commit_callbacks, time_machine
):
    settings.SITE_URL = settings.WAGTAILADMIN_BASE_URL = SITE_URL
    trainer = UserFactory(roles=["Trainer"])
    person = UserFactory()
    course = helpers.course(home_page)
    upcoming = helpers.session(course, capacity=1)
    held = helpers.session(course, starts_at=timezone.now() + timedelta(hours=1), capacity=5)
    held.trainers.add(trainer)
    with django_capture_on_commit_callbacks(execute=True):
        for session in (upcoming, held):
            services.book(
                session=session,
                user=person,
                audience=Audience.PUBLIC,
                attendees=[AttendeeDetails(name="Sam Person", email=person.email)],
            )
        # The session is full: the next booker waits, and is offered the place when it frees.
        waiting = services.book(
            session=upcoming,
            user=UserFactory(),
            audience=Audience.PUBLIC,
            attendees=[AttendeeDetails(name="Kim Other", email="kim@example.com")],
        )
        first = Booking.objects.filter(session=upcoming).exclude(pk=waiting.pk).get()
        services.cancel_booking(first, by=person)
    time_machine.move_to(held.ends_at + timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        attendance.mark_all_present(held, by=trainer)
    client.force_login(person)
    feeds = [
        client.get(reverse("courses:public_feed")).content.decode(),
        client.get(reverse("calendar_feed", args=[feed_token(person).token])).content.decode(),
    ]
    sent = _everything_sent()
    links = _links(sent) + _links("\n".join(feeds))
    for expected in ("/training/bookings/", "/training/offers/", "/attendance/certificates/"):
        assert any(link.startswith(SITE_URL + expected) for link in links), expected
    elsewhere = [link for link in links if not link.startswith(SITE_URL + "/")]
    assert elsewhere == []
