from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from portal import audit, notify
from portal.attendance import selectors, services
from portal.attendance.models import AttendanceMark
from portal.attendance.registry import source_for
from portal.models import OutboxMessage
from tests.attendance import factories
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _attendees(session, booker, n):
    people = [(f"Person {i}", f"person{i}@example.org", None) for i in range(n)]
    return list(factories.booking(session, booker, people=people).attendees.all())


def test_taking_the_register_records_each_status_and_audits_it(past_session, trainer, learner):
    first, second = _attendees(past_session, learner, 2)
    changed = services.take_register(
        past_session, {first.pk: "present", second.pk: "apologies"}, by=trainer
    )
    assert changed == 2
    marks = {m.person_id: m for m in services.marks_of(past_session)}
    assert marks[first.pk].status == "present"
    assert marks[second.pk].status == "apologies"
    assert marks[first.pk].marked_by == trainer
    assert audit.trail_for(marks[first.pk]).get().detail == {"status": "present"}

    # Changing a mark updates the one row and audits the change; saving it again changes nothing.
    services.mark(past_session, second, "late", by=trainer)
    assert services.marks_of(past_session).count() == 2
    assert audit.trail_for(marks[second.pk]).first().detail == {
        "status": "late",
        "previous": "apologies",
    }
    assert services.take_register(past_session, {second.pk: "late"}, by=trainer) == 0


def test_only_people_on_the_register_and_known_statuses_are_accepted(
    past_session, trainer, learner, course_page
):
    (attendee,) = _attendees(past_session, learner, 1)
    other_session = factories.session(course_page, trainers=[trainer])
    (stranger,) = _attendees(other_session, learner, 1)
    with pytest.raises(services.RegisterError, match="not on this register"):
        services.take_register(past_session, {stranger.pk: "present"}, by=trainer)
    with pytest.raises(services.RegisterError, match="not a register status"):
        services.take_register(past_session, {attendee.pk: "asleep"}, by=trainer)
    assert not AttendanceMark.objects.exists()


def test_mark_all_present_marks_only_those_not_yet_marked(past_session, trainer, learner):
    first, second, third = _attendees(past_session, learner, 3)
    services.mark(past_session, first, "apologies", by=trainer)
    assert services.mark_all_present(past_session, by=trainer) == 2
    statuses = dict(services.marks_of(past_session).values_list("person_id", "status"))
    assert statuses == {first.pk: "apologies", second.pk: "present", third.pk: "present"}
    assert services.mark_all_present(past_session, by=trainer) == 0


def test_only_the_sessions_trainers_and_coordinators_may_take_its_register(
    past_session, trainer, coordinator, learner
):
    (attendee,) = _attendees(past_session, learner, 1)
    other_trainer = UserFactory(roles=["Trainer"])
    for outsider in (other_trainer, learner):
        with pytest.raises(PermissionDenied):
            services.take_register(past_session, {attendee.pk: "present"}, by=outsider)
        with pytest.raises(PermissionDenied):
            services.mark_all_present(past_session, by=outsider)
    assert not AttendanceMark.objects.exists()
    services.mark(past_session, attendee, "absent", by=coordinator)
    services.mark(past_session, attendee, "present", by=trainer)


def test_a_cancelled_attendee_stays_on_the_register_once_marked(past_session, trainer, learner):
    first, second = _attendees(past_session, learner, 2)
    services.mark(past_session, second, "absent", by=trainer)
    second.status = "cancelled"
    second.save()
    rows = selectors.register_rows(source_for(past_session), past_session)
    assert [(r.entry.person.pk, r.status) for r in rows] == [(first.pk, ""), (second.pk, "absent")]
    assert rows[1].entry.detail == "No longer booked"


def test_completion_counts_present_and_late_and_is_stored_as_marks_change(
    past_session, trainer, learner
):
    first, second, third = _attendees(past_session, learner, 3)
    services.take_register(
        past_session, {first.pk: "present", second.pk: "late", third.pk: "apologies"}, by=trainer
    )
    source = source_for(past_session)

    def completed(person):
        return selectors.completion_of(source, past_session, person).completed

    # A course session is a series of one: being there completes it.
    assert completed(first) and completed(second)
    assert not completed(third)
    services.mark(past_session, first, "absent", by=trainer)
    row = selectors.completion_of(source, past_session, first)
    assert (row.attended, row.held, row.completed, row.completed_at) == (0, 1, False, None)


def _feedback_messages():
    return OutboxMessage.objects.filter(kind="attendance.feedback_request")


def test_feedback_is_asked_once_of_those_who_came_after_a_past_session(
    past_session, trainer, learner, mailoutbox, django_capture_on_commit_callbacks
):
    first, second = _attendees(past_session, learner, 2)
    with django_capture_on_commit_callbacks(execute=True):
        services.take_register(past_session, {first.pk: "present", second.pk: "absent"}, by=trainer)
    assert _feedback_messages().count() == 1
    (email,) = mailoutbox
    assert email.to == [first.email]
    assert "/attendance/feedback/" in email.body
    assert "/attendance/certificates/link/" in email.body
    services.take_register(past_session, {first.pk: "late"}, by=trainer)
    assert services.send_due_feedback() == 0
    assert _feedback_messages().count() == 1


def test_erasing_a_person_erases_the_feedback_request_they_were_sent(
    past_session, trainer, learner
):
    first, second = _attendees(past_session, learner, 2)
    services.mark_all_present(past_session, by=trainer)
    assert _feedback_messages().count() == 2
    assert notify.erase_for(first) == 1
    assert list(_feedback_messages().values_list("recipient", flat=True)) == [second.email]


def test_feedback_for_a_register_taken_during_the_session_waits_until_it_ends(
    upcoming_session, trainer, learner
):
    import time_machine

    (attendee,) = _attendees(upcoming_session, learner, 1)
    with time_machine.travel(upcoming_session.starts_at + timedelta(minutes=10), tick=False):
        services.mark_all_present(upcoming_session, by=trainer)
    assert not _feedback_messages().exists()
    assert services.send_due_feedback() == 0
    after = upcoming_session.ends_at + timedelta(minutes=5)
    assert services.send_due_feedback(now=after) == 1
    assert services.send_due_feedback(now=after) == 0
    assert _feedback_messages().count() == 1


def test_a_register_cannot_be_taken_before_the_session_starts(upcoming_session, trainer, learner):
    import time_machine

    (attendee,) = _attendees(upcoming_session, learner, 1)
    for take in (
        lambda: services.take_register(upcoming_session, {attendee.pk: "present"}, by=trainer),
        lambda: services.mark_all_present(upcoming_session, by=trainer),
    ):
        with pytest.raises(services.RegisterError, match="can be taken once it starts, at"):
            take()
    assert not services.marks_of(upcoming_session).exists()
    with time_machine.travel(upcoming_session.starts_at, tick=False):
        assert services.mark_all_present(upcoming_session, by=trainer) == 1


@pytest.mark.parametrize(
    "names, ordered",
    [
        (
            ["zoë", "Adam", "adam 10", "Adam 2", "Émile", "emma", "Bea"],
            ["Adam", "Adam 2", "adam 10", "Bea", "Émile", "emma", "zoë"],
        ),
        (["Group 10 b", "Group 9 b", "group 9 a"], ["group 9 a", "Group 9 b", "Group 10 b"]),
        (["2nd", "10th", "1st", "alpha"], ["1st", "2nd", "10th", "alpha"]),
    ],
)
def test_register_names_sort_in_natural_order(names, ordered):
    from portal.attendance.registry import name_order

    assert sorted(names, key=name_order) == ordered


def test_the_register_lists_people_by_name_with_their_needs(past_session, trainer, learner):
    people = [
        ("sam 10", "s10@example.org", None),
        ("Sam 9", "s9@example.org", None),
        ("alex", "alex@example.org", None),
    ]
    booking = factories.booking(past_session, learner, people=people)
    alex = next(a for a in booking.attendees.all() if a.name == "alex")
    alex.needs = "Step-free access, please.\n"
    alex.save()
    rows = selectors.register_rows(source_for(past_session), past_session)
    assert [row.entry.name for row in rows] == ["alex", "Sam 9", "sam 10"]
    assert [row.entry.needs for row in rows] == ["Step-free access, please.", "", ""]
