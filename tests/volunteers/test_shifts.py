"""Shifts through the places engine: who may sign up, overlap, the cut-off, approval,
filling by hand, the waiting list, invites (discreet) and the reminder job."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from icalendar import Calendar

from portal.models import OutboxMessage
from portal.places import HoldingStatus
from tests.factories import UserFactory
from tests.volunteers import helpers
from volunteers.models import ShiftSignup, SignUpMode, Stage
from volunteers.services import shifts
from volunteers.services.shifts import ShiftError

pytestmark = pytest.mark.django_db


@pytest.fixture
def volunteer(roles, coordinator):
    return helpers.cleared(role=roles["drop_in"], coordinator=coordinator)


def _messages(kind: str):
    return OutboxMessage.objects.filter(kind=kind)


def test_a_cleared_volunteer_signs_up_and_is_sent_a_discreet_invite(roles, volunteer):
    shift = helpers.shift(roles["drop_in"])
    signup = shifts.sign_up(shift, volunteer)
    assert signup.status == HoldingStatus.CONFIRMED
    message = _messages("volunteers.shift_confirmed").get()
    invite = Calendar.from_ical(json.loads(message.attachments)[0]["content"])
    event = next(iter(invite.walk("VEVENT")))
    assert str(event["SUMMARY"]) == "Appointment"
    assert "DESCRIPTION" not in event
    assert "Drop-in" not in message.subject


def test_a_lapsed_dbs_is_refused(roles, coordinator):
    application = helpers.active(
        role=roles["drop_in"],
        coordinator=coordinator,
        dbs_issued_on=timezone.localdate() - timedelta(days=3 * 365 + 5),
    )
    helpers.attend(roles["course"], application.user)
    with pytest.raises(ShiftError, match="DBS check needs renewing"):
        shifts.sign_up(helpers.shift(roles["drop_in"]), application)
    assert not ShiftSignup.objects.exists()


def test_a_dbs_lapsing_before_the_shift_day_is_refused_for_that_shift_only(roles, coordinator):
    application = helpers.active(
        role=roles["drop_in"],
        coordinator=coordinator,
        dbs_issued_on=timezone.localdate() - timedelta(days=3 * 365 - 10),
    )
    helpers.attend(roles["course"], application.user)
    assert shifts.sign_up(helpers.shift(roles["drop_in"], starts_in_days=3), application)
    with pytest.raises(ShiftError, match="renewing"):
        shifts.sign_up(helpers.shift(roles["drop_in"], starts_in_days=30), application)


@pytest.mark.parametrize(
    "missing", ["dbs", "level", "training", "role", "not_active"], ids=lambda m: m
)
def test_requirements_are_checked(roles, coordinator, missing):
    role = roles["drop_in"]
    application = helpers.active(
        role=roles["office"] if missing == "role" else role,
        coordinator=coordinator,
        dbs_issued_on=None if missing == "dbs" else timezone.localdate() - timedelta(days=30),
    )
    if missing == "level":
        application.dbs_check.level = "basic"
        application.dbs_check.save()
    if missing != "training":
        helpers.attend(roles["course"], application.user)
    if missing == "not_active":
        application.stage = Stage.ON_HOLD
        application.save()
    with pytest.raises(ShiftError):
        shifts.sign_up(helpers.shift(role), application)


def test_overlapping_shifts_are_refused_but_back_to_back_is_fine(roles, volunteer):
    first = helpers.shift(roles["drop_in"], hours=3)
    shifts.sign_up(first, volunteer)
    overlapping = helpers.shift(roles["drop_in"], hours=2)
    overlapping.starts_at += timedelta(hours=2)
    overlapping.ends_at += timedelta(hours=2)
    overlapping.save()
    with pytest.raises(ShiftError, match="already have a place at that time"):
        shifts.sign_up(overlapping, volunteer)
    after = helpers.shift(roles["drop_in"], hours=2)
    after.starts_at, after.ends_at = first.ends_at, first.ends_at + timedelta(hours=2)
    after.save()
    assert shifts.sign_up(after, volunteer).is_confirmed


def test_a_full_shift_puts_the_next_on_the_waiting_list_and_offers_the_freed_place(
    roles, coordinator, volunteer
):
    other = helpers.cleared(role=roles["drop_in"], coordinator=coordinator)
    shift = helpers.shift(roles["drop_in"], capacity=1)
    mine = shifts.sign_up(shift, volunteer)
    theirs = shifts.sign_up(shift, other)
    assert theirs.status == HoldingStatus.WAITING
    shifts.cancel(mine)
    theirs.refresh_from_db()
    assert theirs.is_offered and theirs.expires_at <= shift.starts_at
    assert shifts.accept_offer(theirs).is_confirmed
    assert shift.places_taken() == 1


def test_signing_up_twice_and_after_the_deadline_are_refused(roles, volunteer):
    shift = helpers.shift(roles["drop_in"])
    shifts.sign_up(shift, volunteer)
    with pytest.raises(ShiftError, match="already signed up"):
        shifts.sign_up(shift, volunteer)
    closed = helpers.shift(roles["drop_in"], starts_in_days=5)
    closed.sign_up_closes_at = timezone.now() - timedelta(minutes=1)
    closed.save()
    with pytest.raises(ShiftError, match="closed"):
        shifts.sign_up(closed, volunteer)


def test_cancelling_is_allowed_up_to_the_cut_off(roles, volunteer, settings):
    settings.VOLUNTEER_SHIFT_CANCEL_HOURS = 48
    shift = helpers.shift(roles["drop_in"], starts_in_days=3)
    signup = shifts.sign_up(shift, volunteer)
    with time_machine.travel(shift.starts_at - timedelta(hours=49)):
        assert shifts.may_cancel(signup)
    with (
        time_machine.travel(shift.starts_at - timedelta(hours=47)),
        pytest.raises(ShiftError, match="too close"),
    ):
        shifts.cancel(signup)
    signup.refresh_from_db()
    assert signup.is_confirmed
    shifts.cancel(signup)
    signup.refresh_from_db()
    assert signup.status == HoldingStatus.CANCELLED
    assert json.loads(_messages("volunteers.shift_ended").get().attachments)[0]["filename"]


def test_approval_holds_the_place_until_a_coordinator_answers(roles, coordinator, volunteer):
    other = helpers.cleared(role=roles["drop_in"], coordinator=coordinator)
    shift = helpers.shift(roles["drop_in"], capacity=1, sign_up=SignUpMode.APPROVAL)
    request = shifts.sign_up(shift, volunteer)
    assert request.awaits_approval
    assert shifts.sign_up(shift, other).is_waiting
    shifts.refuse(request, by=coordinator)
    theirs = ShiftSignup.objects.get(application=other)
    assert theirs.is_offered
    theirs = shifts.accept_offer(theirs)
    assert theirs.awaits_approval
    assert shifts.approve(theirs, by=coordinator).is_confirmed
    with pytest.raises(ShiftError, match="already been answered"):
        shifts.approve(theirs, by=coordinator)


def test_a_coordinator_fills_by_hand_past_the_deadline_but_never_over_capacity(
    roles, coordinator, volunteer
):
    other = helpers.cleared(role=roles["drop_in"], coordinator=coordinator)
    shift = helpers.shift(roles["drop_in"], capacity=1, sign_up=SignUpMode.APPROVAL)
    shift.sign_up_closes_at = timezone.now()
    shift.save()
    assert shifts.fill_by_hand(shift, volunteer, by=coordinator).is_confirmed
    with pytest.raises(ShiftError, match="not enough places"):
        shifts.fill_by_hand(shift, other, by=coordinator)
    with pytest.raises(ShiftError, match="already have a place"):
        shifts.fill_by_hand(shift, volunteer, by=coordinator)


def test_capacity_cannot_go_below_the_places_taken(roles, coordinator, volunteer):
    shift = helpers.shift(roles["drop_in"], capacity=1)
    shifts.sign_up(shift, volunteer)
    with pytest.raises(ShiftError, match="at least 1"):
        shifts.edit_shift(shift, by=coordinator, capacity=0)


def test_moving_a_shift_sends_the_update_and_cancelling_it_tells_everyone(
    roles, coordinator, volunteer
):
    shift = helpers.shift(roles["drop_in"])
    shifts.sign_up(shift, volunteer)
    shifts.edit_shift(
        shift,
        by=coordinator,
        capacity=3,
        starts_at=shift.starts_at + timedelta(hours=1),
        ends_at=shift.ends_at + timedelta(hours=1),
    )
    moved = _messages("volunteers.shift_moved").get()
    assert "SEQUENCE:2" in json.loads(moved.attachments)[0]["content"]
    assert shifts.cancel_shift(shift, by=coordinator) == 1
    ended = _messages("volunteers.shift_ended").get()
    assert "METHOD:CANCEL" in json.loads(ended.attachments)[0]["content"]


def test_the_reminder_goes_once_the_day_before(roles, volunteer):
    shift = helpers.shift(roles["drop_in"], starts_in_days=3)
    shifts.sign_up(shift, volunteer)
    assert shifts.send_reminders() == 0
    with time_machine.travel(shift.starts_at - timedelta(hours=20)):
        assert shifts.send_reminders() == 1
        assert shifts.send_reminders() == 0
    assert _messages("volunteers.shift_reminder").count() == 1


def test_the_shift_is_in_the_private_feed_discreetly(roles, volunteer):
    from portal import calendars

    shift = helpers.shift(roles["drop_in"])
    shifts.sign_up(shift, volunteer)
    feed = calendars.personal_feed(volunteer.user).decode()
    assert "SUMMARY:Appointment" in feed
    assert "Drop-in" not in feed
    assert UserFactory() and "VEVENT" not in calendars.personal_feed(UserFactory()).decode()
