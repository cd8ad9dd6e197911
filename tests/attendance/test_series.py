"""Registers of series, through the tests' own register source (tests/attendance/series_app):
a group of four meetings, one cancelled and one still to come; completion stored as marks
change, by a share of the meetings held or by topics covered; time recorded on marks; one
certificate per group; the bulk selector reports read; the register screen's own words."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from portal.attendance import selectors, services
from portal.attendance.models import AttendanceMark, SeriesCompletion
from portal.attendance.registry import source_for
from portal.attendance.signals import completion_changed
from portal.models import OutboxMessage
from tests.attendance.series_app.models import Group, Meeting, Member
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(db):
    return UserFactory(roles=["Trainer"], first_name="Lee", last_name="Leader")


@pytest.fixture
def group(leader):
    """Four two-hour meetings: two weeks ago, last week (cancelled), yesterday, next week."""
    made = Group.objects.create(title="Thursday group", share=Decimal("0.75"))
    made.leaders.add(leader)
    now = timezone.now()
    for days, cancelled, topics in [
        (-14, False, "safety"),
        (-7, True, "rights"),
        (-1, False, "rights, trust"),
        (7, False, "future"),
    ]:
        starts = now + timedelta(days=days)
        Meeting.objects.create(
            group=made,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            cancelled=cancelled,
            topics=topics,
        )
    return made


@pytest.fixture
def meetings(group):
    return list(group.meetings.order_by("starts_at"))


@pytest.fixture
def members(group):
    return [
        Member.objects.create(group=group, name=name, email=f"{name.lower()}@example.org")
        for name in ("Ana", "Bo", "Cy")
    ]


def during(meeting):
    """The clock during a meeting, when its register is taken."""
    return time_machine.travel(meeting.starts_at + timedelta(hours=1), tick=False)


def _progress(group, person):
    row = selectors.completion_of(source_for(group.meetings.first()), group, person)
    return (row.attended, row.held, row.completed) if row else None


def test_completion_counts_the_meetings_held_and_is_stored_as_each_mark_changes(
    group, meetings, members, leader
):
    first, cancelled, yesterday, future = meetings
    ana, bo, cy = members
    with during(first):
        services.take_register(
            first, {ana.pk: "present", bo.pk: "absent", cy.pk: "late"}, by=leader
        )
    # One meeting held so far (the cancelled one and next week's are not counted).
    assert [_progress(group, m) for m in members] == [(1, 1, True), (0, 1, False), (1, 1, True)]
    services.take_register(
        yesterday, {ana.pk: "present", bo.pk: "present", cy.pk: "apologies"}, by=leader
    )
    # Two held: Ana came to both; Bo and Cy to one of two, short of three quarters.
    assert [_progress(group, m) for m in members] == [(2, 2, True), (1, 2, False), (1, 2, False)]
    assert SeriesCompletion.objects.count() == 3
    ana_row = selectors.completion_of(source_for(first), group, ana)
    assert ana_row.completed_at is not None

    # A mark corrected: completion follows in the same transaction, and says so.
    changes = []

    def receiver(sender, completion, **kwargs):
        changes.append((sender, completion.person_id, completion.completed))

    completion_changed.connect(receiver)
    try:
        services.mark(yesterday, ana, "absent", by=leader)
    finally:
        completion_changed.disconnect(receiver)
    assert changes == [(Group, ana.pk, False)]
    ana_row.refresh_from_db()
    assert (ana_row.attended, ana_row.held, ana_row.completed, ana_row.completed_at) == (
        1,
        2,
        False,
        None,
    )


def test_a_cancelled_meeting_takes_no_register_and_cancelling_one_recomputes(
    group, meetings, members, leader
):
    first, cancelled, yesterday, future = meetings
    ana, bo, cy = members
    with pytest.raises(services.RegisterError, match="was cancelled"):
        services.take_register(cancelled, {ana.pk: "present"}, by=leader)
    with pytest.raises(services.RegisterError, match="can be taken once it starts"):
        services.take_register(future, {ana.pk: "present"}, by=leader)
    services.take_register(first, {ana.pk: "absent", bo.pk: "present"}, by=leader)
    services.take_register(yesterday, {ana.pk: "present", bo.pk: "present"}, by=leader)
    assert _progress(group, ana) == (1, 2, False)
    # The first meeting is cancelled after its register was taken: it no longer counts.
    Meeting.objects.filter(pk=first.pk).update(cancelled=True)
    assert services.recompute_completion(first) == 2
    assert _progress(group, ana) == (1, 1, True)
    assert _progress(group, bo) == (1, 1, True)


def test_a_topics_rule_completes_when_every_topic_is_covered(group, meetings, members, leader):
    group.required_topics = "safety, rights"
    group.save()
    first, cancelled, yesterday, future = meetings
    ana, bo, cy = members
    with during(first):
        services.take_register(first, {ana.pk: "present", bo.pk: "present"}, by=leader)
    assert _progress(group, ana) == (1, 1, False)
    services.take_register(
        yesterday, {ana.pk: "late", bo.pk: "absent", cy.pk: "present"}, by=leader
    )
    assert _progress(group, ana) == (2, 2, True)
    assert _progress(group, bo) == (1, 2, False)  # "rights" missed
    assert _progress(group, cy) == (1, 2, False)  # "safety" missed


def test_marks_record_time_by_default_the_meetings_length(group, meetings, members, leader):
    first, cancelled, yesterday, future = meetings
    ana, bo, cy = members
    services.take_register(
        first,
        {ana.pk: "present", bo.pk: "late", cy.pk: "absent"},
        by=leader,
        durations={bo.pk: timedelta(hours=1, minutes=30)},
    )
    durations = dict(services.marks_of(first).values_list("person_id", "duration"))
    assert durations == {ana.pk: timedelta(hours=2), bo.pk: timedelta(hours=1.5), cy.pk: None}
    services.mark_all_present(yesterday, by=leader)
    totals = selectors.completion_totals(source_for(first), [group.pk])[group.pk]
    assert (totals.people, totals.completed, totals.hours) == (3, 2, Decimal("9.5"))
    assert selectors.completion_of(source_for(first), group, bo).duration == timedelta(hours=3.5)
    assert selectors.time_recorded(source_for(first), [ana.pk, bo.pk, cy.pk]) == {
        ana.pk: timedelta(hours=4),
        bo.pk: timedelta(hours=3.5),
        cy.pk: timedelta(hours=2),
    }

    for bad in (
        {cy.pk: timedelta(hours=1)},  # absent: no time to record
        {ana.pk: timedelta(hours=25)},
        {ana.pk: timedelta(0)},
    ):
        statuses = {person_id: "present" for person_id in bad}
        if cy.pk in bad:
            statuses = {cy.pk: "absent"}
        with pytest.raises(services.RegisterError):
            services.take_register(first, statuses, by=leader, durations=bad)
    assert services.marks_of(first).get(person_id=ana.pk).duration == timedelta(hours=2)


def test_a_course_register_records_no_time(past_session, trainer, learner):
    from tests.attendance import factories

    attendee = factories.booking(past_session, learner).attendees.get()
    with pytest.raises(services.RegisterError, match="does not record time"):
        services.take_register(
            past_session,
            {attendee.pk: "present"},
            by=trainer,
            durations={attendee.pk: timedelta(hours=1)},
        )
    assert services.mark(past_session, attendee, "present", by=trainer).duration is None


def test_the_bulk_selector_filters_completions_for_reports(group, meetings, members, leader):
    first, cancelled, yesterday, future = meetings
    ana, bo, cy = members
    other = Group.objects.create(title="Monday group")
    with during(first):
        services.take_register(first, {ana.pk: "present", bo.pk: "absent"}, by=leader)
    source = source_for(first)
    assert selectors.completion_totals(source, [group.pk, other.pk]) == {
        group.pk: selectors.CompletionTotals(2, 1, timedelta(hours=2))
    }
    done = selectors.completions(source, completed=True)
    assert list(done.values_list("person_id", flat=True)) == [ana.pk]
    assert selectors.completions(source, [other.pk]).count() == 0


def test_one_certificate_for_the_whole_series_once_it_has_ended(
    client, group, meetings, members, leader, mailoutbox, django_capture_on_commit_callbacks
):
    first, cancelled, yesterday, future = meetings
    ana, bo, cy = members
    ana.user = UserFactory(email="ana@example.org")
    ana.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.take_register(first, {ana.pk: "present", bo.pk: "present"}, by=leader)
        services.take_register(yesterday, {ana.pk: "present", bo.pk: "absent"}, by=leader)
    # Completed so far, but the series has a meeting to come: no certificate yet, and the
    # feedback emails carry no certificate link.
    assert _progress(group, ana) == (2, 2, True)
    assert len(mailoutbox) == 3
    assert all("/certificates/" not in email.body for email in mailoutbox)
    row = selectors.completion_of(source_for(first), group, ana)
    with pytest.raises(services.CertificateUnavailable):
        services.series_certificate_details(row)
    client.force_login(ana.user)
    url = reverse("attendance:my_series_certificate", args=[row.pk])
    assert client.get(url).status_code == 404
    assert selectors.certificates_of(ana.user) == []

    with time_machine.travel(future.ends_at + timedelta(hours=1), tick=False):
        # The last meeting has ended but its register is not taken: not counted yet.
        assert client.get(url).status_code == 404
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            services.take_register(future, {ana.pk: "present", bo.pk: "present"}, by=leader)
        assert _progress(group, ana) == (3, 3, True)
        assert _progress(group, bo) == (2, 3, False)
        by_recipient = {email.to[0]: email.body for email in mailoutbox}
        assert "/attendance/certificates/series/link/" in by_recipient["ana@example.org"]
        assert "certificate of completion" in by_recipient["ana@example.org"]
        assert "/certificates/" not in by_recipient["bo@example.org"]

        (entry,) = selectors.certificates_of(ana.user)  # one for the group, not one a week
        assert entry.url == url and entry.title == "Thursday group"
        response = client.get(url)
        assert response.status_code == 200
        pdf = response.content
        assert b"Certificate of completion" in pdf
        assert b"Thursday group" in pdf
        assert b"Hours: 6" in pdf
        reference = services.series_verification_reference(row)
        assert reference.encode() in pdf
        assert 'filename="certificate-of-completion.pdf"' in response["Content-Disposition"]

        # No certificate per meeting for a series source, by any route.
        mark = services.marks_of(first).get(person_id=ana.pk)
        assert client.get(reverse("attendance:my_certificate", args=[mark.pk])).status_code == 404
        assert services.details_for_reference(services.verification_reference(mark)) is None

        page = client.get(reverse("attendance:verify", args=[reference]))
        assert page.status_code == 200
        assert "This certificate is genuine" in page.content.decode()
        assert "Thursday group" in page.content.decode()
        forged = reference[:-1] + ("0" if reference[-1] != "0" else "1")
        assert client.get(reverse("attendance:verify", args=[forged])).status_code == 404

        token = services.series_certificate_token(row)
        client.logout()
        assert (
            client.get(reverse("attendance:series_certificate_by_link", args=[token])).status_code
            == 200
        )
        # Bo did not complete it: nothing, by link or from someone else's account.
        bo_row = selectors.completion_of(source_for(first), group, bo)
        bo_token = services.series_certificate_token(bo_row)
        link = reverse("attendance:series_certificate_by_link", args=[bo_token])
        assert client.get(link).status_code == 404
        client.force_login(UserFactory())
        assert client.get(url).status_code == 404


def _register_url(occurrence):
    return reverse("attendance_register", args=["attendance_series.meeting", occurrence.pk])


def test_the_register_shows_progress_and_hours_in_its_own_words(
    staff_client, group, meetings, members, leader
):
    first, cancelled, yesterday, future = meetings
    ana, bo, cy = members
    services.take_register(first, {ana.pk: "present", bo.pk: "absent"}, by=leader)
    client = staff_client(leader)
    page = client.get(_register_url(yesterday)).content.decode()
    # Both meetings held so far count, the one whose register this is too.
    assert "Attended 1 of 2 sessions held so far<" in page
    assert "Attended 0 of 2 sessions held so far<" in page
    assert page.count('name="hours-') == 3
    assert "Leave empty for the whole session." in page
    for course_word in ("booked", "course", "training", "trainer"):
        assert course_word not in page.lower().split("<main")[-1]

    # Hours for someone absent, and hours that are not a number: explained next to the
    # field, nothing saved, and what was typed still there.
    response = client.post(
        _register_url(yesterday),
        {
            f"person-{ana.pk}": "present",
            f"hours-{ana.pk}": "two",
            f"person-{bo.pk}": "absent",
            f"hours-{bo.pk}": "1",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter hours as a number, like 3 or 2.5" in page
    assert "Mark them present or late to record their hours" in page
    assert f'href="#id_hours-{ana.pk}"' in page
    assert 'value="two"' in page and 'aria-invalid="true"' in page
    assert not services.marks_of(yesterday).exists()

    response = client.post(
        _register_url(yesterday),
        {f"person-{ana.pk}": "present", f"hours-{ana.pk}": "1.25", f"person-{bo.pk}": "late"},
    )
    assert response.status_code == 302
    durations = dict(services.marks_of(yesterday).values_list("person_id", "duration"))
    assert durations == {ana.pk: timedelta(hours=1.25), bo.pk: timedelta(hours=2)}
    assert _progress(group, ana) == (2, 2, True)
    page = client.get(_register_url(yesterday)).content.decode()
    assert 'value="1.25"' in page
    assert "Attended 2 of 2 sessions held so far: completed" in page


def test_a_group_with_no_members_says_so_without_course_words(staff_client, group, leader):
    page = staff_client(leader).get(_register_url(group.meetings.first())).content.decode()
    assert "No one is expected at this yet." in page
    assert "booked" not in page


def test_someone_not_leading_the_group_gets_a_404(staff_client, group, members):
    client = staff_client(UserFactory(roles=["Trainer"]))
    meeting = group.meetings.first()
    assert client.get(_register_url(meeting)).status_code == 404
    response = client.post(_register_url(meeting), {f"person-{members[0].pk}": "present"})
    assert response.status_code == 404
    assert not AttendanceMark.objects.exists()
    assert not OutboxMessage.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_registers_of_one_series_saved_at_once_both_count(group, meetings, members, leader):
    """Each save locks the series first, so the second recomputes with the first's marks."""
    import threading

    from django.db import connection, connections

    first, cancelled, yesterday, future = meetings
    everyone = {member.pk: "present" for member in members}
    barrier = threading.Barrier(2)
    errors = []

    def save(meeting):
        try:
            barrier.wait()
            services.take_register(meeting, everyone, by=leader)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=save, args=(m,)) for m in (first, yesterday)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    assert errors == []
    assert [_progress(group, m) for m in members] == [(2, 2, True)] * 3
    connections.close_all()


def test_recompute_completions_restores_what_marks_say(
    group, meetings, members, leader, past_session, trainer, learner
):
    import io

    from django.core.management import call_command

    from tests.attendance import factories

    first, cancelled, yesterday, future = meetings
    ana, bo, cy = members
    services.take_register(first, {ana.pk: "present"}, by=leader)
    services.take_register(yesterday, {ana.pk: "present", bo.pk: "late"}, by=leader)
    attendee = factories.booking(past_session, learner).attendees.get()
    services.mark(past_session, attendee, "present", by=trainer)
    before = sorted(SeriesCompletion.objects.values_list("person_id", "attended", "completed"))
    # As after upgrading: marks from before completion was stored.
    SeriesCompletion.objects.all().delete()
    out = io.StringIO()
    call_command("recompute_completions", stdout=out)
    assert "Completion changed for 3 people's series." in out.getvalue()
    after = sorted(SeriesCompletion.objects.values_list("person_id", "attended", "completed"))
    assert after == before and len(after) == 3
    assert services.recompute_every_series() == 0
