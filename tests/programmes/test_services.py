"""Every transition of a place, a week and a check-in, through the services."""

from datetime import timedelta

import pytest
import time_machine
import vobject
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone
from icalendar import Calendar

from portal.attendance.models import AttendanceStatus
from portal.attendance.services import mark
from portal.models import OutboxMessage
from portal.places import HoldingStatus
from programmes import services
from programmes.models import CheckIn, Enrolment
from programmes.services import ProgrammeError
from tests.programmes.builders import (
    assessed,
    cohort,
    coordinator,
    enrolled,
    referred,
)

pytestmark = pytest.mark.django_db


def _messages(enrolment):
    return OutboxMessage.objects.filter(
        concerns_type=ContentType.objects.get_for_model(Enrolment), concerns_id=str(enrolment.pk)
    ).order_by("pk")


def test_sessions_are_generated_weekly_with_the_rolling_topics(freedom):
    group = cohort(freedom, weeks=24)
    weeks = list(group.sessions.order_by("week"))
    assert len(weeks) == 24
    assert (
        weeks[0].topic == "Topic 1"
        and weeks[12].topic == "Topic 1"
        and weeks[23].topic == "Topic 12"
    )
    assert all(
        (b.starts_at - a.starts_at) >= timedelta(days=7)
        for a, b in zip(weeks, weeks[1:], strict=False)
    )
    assert group.starts_at == weeks[0].starts_at and group.ends_at == weeks[-1].ends_at


def test_a_cohort_in_person_needs_its_venue(toolkit):
    with pytest.raises(ProgrammeError, match="venue"):
        cohort(toolkit, venue="  ")


def test_offer_accept_by_link_confirms_and_sends_discreet_invites(toolkit):
    by = coordinator("north")
    person = referred(by=by, plan={"service_may_be_named": True})
    with pytest.raises(ProgrammeError, match="assessment"):
        services.offer_place(cohort(toolkit), referral=person, by=by)
    group = cohort(toolkit)
    assessed(toolkit, person, by)
    enrolment = services.offer_place(group, referral=person, by=by)
    assert enrolment.status == HoldingStatus.OFFERED and enrolment.expires_at
    offer = _messages(enrolment).get()
    link = next(line for line in offer.body.splitlines() if "/appointments/answer/" in line)
    token = link.rsplit("/answer/", 1)[1].strip("/")
    accepted = services.accept_by_token(token)
    assert accepted.status == HoldingStatus.CONFIRMED and accepted.joined_week == 1
    with pytest.raises(ProgrammeError, match="used or has expired"):
        services.accept_by_token(token)  # single use
    confirmation = _messages(enrolment).last()
    # Discreet although their plan lets the service be named: a survivor's programme.
    assert confirmation.discreet and confirmation.subject == "Your appointment"
    assert "Recovery" not in confirmation.body and "Hope Centre" not in confirmation.body
    import json

    invites = json.loads(confirmation.attachments)
    assert len(invites) == 12
    for invite in invites:
        event = Calendar.from_ical(invite["content"]).walk("VEVENT")[0]
        assert str(event["SUMMARY"]) == "Appointment" and "LOCATION" not in event
        second = vobject.readOne(invite["content"])  # an independent parser
        assert second.method.value == "REQUEST"
        assert second.vevent.summary.value == "Appointment"
        assert not hasattr(second.vevent, "location")
        assert not hasattr(second.vevent, "description")
        assert "Recovery" not in invite["content"] and "Community DA" not in invite["content"]


def test_the_venue_is_given_only_to_someone_who_chose_to_be_told(toolkit):
    by = coordinator("north")
    person = referred(by=by, plan={"location_in_calendar": True})
    enrolment = enrolled(cohort(toolkit), person, by=by)
    confirmation = _messages(enrolment).last()
    assert "Hope Centre" in confirmation.body


def test_a_full_cohort_puts_people_on_the_waiting_list_high_risk_first(toolkit):
    by = coordinator("north")
    group = cohort(toolkit, capacity=1)
    first = enrolled(group, by=by)
    standard = referred(by=by)
    medium = referred(by=by)
    medium.risk_level = "medium"
    medium.save()
    for person in (standard, medium):
        assessed(toolkit, person, by)
    waiting_standard = services.offer_place(group, referral=standard, by=by)
    waiting_medium = services.offer_place(group, referral=medium, by=by)
    assert waiting_standard.status == waiting_medium.status == HoldingStatus.WAITING
    services.withdraw(first, reason="Moved away")
    waiting_medium.refresh_from_db()
    waiting_standard.refresh_from_db()
    assert waiting_medium.status == HoldingStatus.OFFERED
    assert waiting_standard.status == HoldingStatus.WAITING
    first.refresh_from_db()
    assert first.status == HoldingStatus.CANCELLED and first.withdrawal_reason == "Moved away"


def test_phone_answers_are_recorded_by_staff(toolkit):
    by = coordinator("north")
    group = cohort(toolkit)
    person = referred(by=by)
    assessed(toolkit, person, by)
    declined = services.answer_by_phone(
        services.offer_place(group, referral=person, by=by), accepted=False, by=by
    )
    assert declined.status == HoldingStatus.CANCELLED and declined.answered_by_staff == by
    with pytest.raises(ProgrammeError):
        services.answer_by_phone(declined, accepted=True, by=by)


def test_a_closed_programme_takes_no_one_after_its_first_week(toolkit):
    by = coordinator("north")
    group = cohort(toolkit)
    person = referred(by=by)
    assessed(toolkit, person, by)
    with (
        time_machine.travel(group.starts_at + timedelta(days=1)),
        pytest.raises(ProgrammeError, match="first week"),
    ):
        services.offer_place(group, referral=person, by=by)


def test_a_rolling_programme_takes_joiners_and_records_their_week(freedom):
    by = coordinator("north")
    group = cohort(freedom)
    week_five = group.sessions.get(week=5)
    with time_machine.travel(week_five.ends_at + timedelta(hours=1)):
        enrolment = enrolled(group, by=by)
    assert enrolment.joined_week == 6


def test_only_a_referral_for_a_programme_is_offered_a_place(toolkit):
    by = coordinator("north")
    person = referred(by=by)
    person.outcome = "drop_in"
    with pytest.raises(ProgrammeError, match="recovery programme"):
        services.offer_place(cohort(toolkit), referral=person, by=by)


def test_apologies_for_a_week_to_come_but_not_a_past_one(toolkit):
    enrolment = enrolled(cohort(toolkit))
    weeks = list(enrolment.cohort.sessions.order_by("week"))
    apology = services.send_apologies(enrolment, weeks[2], reason="Hospital appointment")
    assert apology.reason == "Hospital appointment"
    with (
        time_machine.travel(weeks[1].starts_at + timedelta(minutes=5)),
        pytest.raises(ProgrammeError, match="already started"),
    ):
        services.send_apologies(enrolment, weeks[1])
    with pytest.raises(ProgrammeError, match="2000 characters"):
        services.send_apologies(enrolment, weeks[3], reason="x" * 5000)


def test_moving_and_cancelling_a_week_tells_participants_with_a_higher_sequence(toolkit):
    enrolment = enrolled(cohort(toolkit))
    week = enrolment.cohort.sessions.get(week=3)
    before = _messages(enrolment).count()
    moved = services.move_session(week, starts_at=week.starts_at + timedelta(days=1))
    assert moved.sequence == 1
    import json

    update = _messages(enrolment).last()
    (invite,) = json.loads(update.attachments)
    event = Calendar.from_ical(invite["content"]).walk("VEVENT")[0]
    assert int(event["SEQUENCE"]) == enrolment.sequence + 1
    assert event["UID"].startswith(str(enrolment.calendar_uid))
    cancelled = services.cancel_session(moved)
    assert cancelled.cancelled and _messages(enrolment).count() == before + 2
    (cancellation,) = json.loads(_messages(enrolment).last().attachments)
    assert Calendar.from_ical(cancellation["content"])["METHOD"] == "CANCEL"


def test_an_absence_without_apologies_puts_a_check_in_on_the_list(toolkit):
    by = coordinator("north")
    person = referred(by=by, plan={"safe_days": [2], "safe_windows": [["10:00", "12:00"]]})
    enrolment = enrolled(cohort(toolkit), person, by=by)
    weeks = list(enrolment.cohort.sessions.order_by("week"))
    services.send_apologies(enrolment, weeks[1])
    with time_machine.travel(weeks[1].ends_at + timedelta(hours=1)):
        mark(weeks[0], enrolment, AttendanceStatus.ABSENT, by=by)
        mark(weeks[1], enrolment, AttendanceStatus.ABSENT, by=by)
    check_in = CheckIn.objects.get(enrolment=enrolment)
    assert check_in.session == weeks[0]
    assert timezone.localtime(check_in.due_at).weekday() == 2
    assert timezone.localtime(check_in.due_at).hour == 10
    with pytest.raises(ProgrammeError, match="not mark that way as safe"):
        services.log_check_in_attempt(check_in, by=by, channel="letter", outcome="spoke")
    services.log_check_in_attempt(check_in, by=by, channel="phone_call", outcome="no_answer")
    attempt = services.log_check_in_attempt(
        check_in, by=by, channel="phone_call", outcome="spoke", note="Safe, ill that week"
    )
    check_in.refresh_from_db()
    assert not check_in.is_open and attempt.note == "Safe, ill that week"


def test_a_mark_corrected_to_present_closes_an_untried_check_in(toolkit):
    by = coordinator("north")
    enrolment = enrolled(cohort(toolkit), by=by)
    week = enrolment.cohort.sessions.get(week=1)
    with time_machine.travel(week.ends_at):
        mark(week, enrolment, AttendanceStatus.ABSENT, by=by)
        mark(week, enrolment, AttendanceStatus.PRESENT, by=by)
    assert not CheckIn.objects.get(enrolment=enrolment).is_open


def test_personal_text_is_encrypted_at_rest(toolkit):
    by = coordinator("north")
    enrolment = enrolled(cohort(toolkit, venue="Secret Venue Hall"), by=by)
    services.withdraw(enrolment, reason="Unsafe-to-say reason")
    dump = ""
    with connection.cursor() as cursor:
        for table in ("programmes_enrolment", "programmes_cohort", "programmes_assessment"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - our own table names
            dump += repr(cursor.fetchall())
    assert "Secret Venue Hall" not in dump and "Unsafe-to-say" not in dump
    assert Enrolment.objects.get(pk=enrolment.pk).withdrawal_reason == "Unsafe-to-say reason"


def test_cancelling_a_cohort_ends_every_place_and_tells_everyone(toolkit):
    by = coordinator("north")
    group = cohort(toolkit, capacity=1)
    placed = enrolled(group, by=by)
    person = referred(by=by)
    assessed(toolkit, person, by)
    waiting = services.offer_place(group, referral=person, by=by)
    services.cancel_cohort(group)
    group.refresh_from_db()
    assert group.is_cancelled and not group.sessions.filter(cancelled=False).exists()
    for enrolment in (placed, waiting):
        enrolment.refresh_from_db()
        assert enrolment.status == HoldingStatus.CANCELLED
        assert _messages(enrolment).last().kind == "programme_ended"
    with pytest.raises(ProgrammeError, match="cancelled"):
        services.offer_place(group, referral=referred(by=by), by=by)
