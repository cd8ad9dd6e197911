from datetime import timedelta

import pytest
import vobject
from django.core import mail
from django.db import IntegrityError
from django.utils import timezone
from icalendar import Calendar

from courses import services
from courses.models import Attendee, Audience, Booking, CourseAudience, Session
from courses.services import AttendeeDetails, BookingError
from portal import notify, places
from portal.accounts.models import Sector
from portal.attendance import services as attendance
from portal.attendance.models import AttendanceStatus, SeriesCompletion
from portal.models import OutboxMessage
from portal.places import HoldingStatus
from tests.attendance import factories as attendance_factories
from tests.courses import helpers
from tests.courses.helpers import at_run_time
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def book_self(session, user, audience=Audience.PUBLIC):
    return services.book(
        session=session,
        user=user,
        audience=audience,
        attendees=[AttendeeDetails(name=str(user), email=user.email)],
    )


def invites_to(email):
    """(METHOD, parsed VEVENT) of every calendar attachment sent to `email`, parsed twice."""
    found = []
    for message in mail.outbox:
        if message.to != [email]:
            continue
        for _name, content, mimetype in message.attachments:
            if mimetype.startswith("text/calendar"):
                cal = Calendar.from_ical(content)
                second = vobject.readOne(content)
                event = cal.walk("VEVENT")[0]
                assert str(event["UID"]) == second.vevent.uid.value
                assert int(event["SEQUENCE"]) == int(second.vevent.sequence.value)
                found.append((str(cal["METHOD"]), event))
    return found


def test_a_free_booking_is_confirmed_with_one_email_and_an_invite(
    training_session, django_capture_on_commit_callbacks
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        booking = book_self(training_session, user)
    assert booking.status == HoldingStatus.CONFIRMED
    assert booking.reference.startswith("TR-")
    [invite] = invites_to(user.email)
    assert invite[0] == "REQUEST"
    assert str(invite[1]["SUMMARY"]) == "DA awareness"
    subjects = [m.subject for m in mail.outbox if m.to == [user.email]]
    assert f"Booking {booking.reference}" in subjects


def test_each_message_says_what_it_concerns_so_erasing_a_record_takes_its_messages(
    training_session,
):
    booking = book_self(training_session, UserFactory())
    [attendee] = booking.attendees.all()
    # The booker's email is about the booking; the invite about the attendee's place.
    assert notify.erase_for(booking) == 1
    assert notify.erase_for(attendee) == 1
    assert not OutboxMessage.objects.exists()


def test_an_organisation_books_several_named_places_under_one_reference(
    training_session, django_capture_on_commit_callbacks
):
    membership = MembershipFactory(organisation__sector=Sector.VOLUNTARY)
    CourseAudience.objects.create(
        course=training_session.course, audience=Audience.VOLUNTARY, price_pence=0
    )
    people = [
        AttendeeDetails(f"Person {n}", f"p{n}@charity.example", "Step-free") for n in range(3)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.book(
            session=training_session,
            user=membership.user,
            audience=Audience.VOLUNTARY,
            attendees=people,
            organisation=membership.organisation,
        )
    assert booking.quantity == 3 and booking.status == HoldingStatus.CONFIRMED
    assert booking.attendees.count() == 3
    for person in people:
        [(method, _event)] = invites_to(person.email)
        assert method == "REQUEST"
    booker_mail = [m for m in mail.outbox if m.to == [membership.user.email]]
    assert len(booker_mail) == 1


def test_several_places_need_an_organisation(training_session):
    user = UserFactory()
    people = [AttendeeDetails("A", "a@example.com"), AttendeeDetails("B", "b@example.com")]
    with pytest.raises(BookingError, match="organisation"):
        services.book(
            session=training_session, user=user, audience=Audience.PUBLIC, attendees=people
        )


def test_nobody_holds_two_places_on_one_session(training_session):
    user = UserFactory()
    book_self(training_session, user)
    with pytest.raises(BookingError, match="already has a place"):
        book_self(training_session, user)
    booking = Booking.objects.get()
    with pytest.raises(IntegrityError):
        Attendee.objects.create(
            booking=booking, session=training_session, name="Again", email=user.email.upper()
        )


def test_a_full_session_puts_people_on_the_waiting_list(
    training_session, django_capture_on_commit_callbacks
):
    for _ in range(3):
        book_self(training_session, UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        waiting = book_self(training_session, UserFactory())
    assert waiting.status == HoldingStatus.WAITING
    assert "waiting list" in mail.outbox[-1].body


def test_a_cancellation_offers_the_place_and_accepting_confirms_it(
    training_session, django_capture_on_commit_callbacks
):
    first = UserFactory()
    booking = book_self(training_session, first)
    for _ in range(2):
        book_self(training_session, UserFactory())
    waiter = UserFactory()
    waiting = book_self(training_session, waiter)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_booking(booking, by=first)
    [(method, _)] = [i for i in invites_to(first.email) if i[0] == "CANCEL"]
    waiting.refresh_from_db()
    assert waiting.status == HoldingStatus.OFFERED
    offer_mail = [
        m for m in mail.outbox if m.to == [waiter.email] and "A place is free" in m.subject
    ]
    token = offer_mail[0].body.split("/training/offers/")[1].split("/")[0]
    with django_capture_on_commit_callbacks(execute=True):
        accepted = services.accept_offer(token, waiter)
    assert accepted.status == HoldingStatus.CONFIRMED
    assert [m for m, _ in invites_to(waiter.email)] == ["REQUEST"]
    with pytest.raises(BookingError, match="already been used"):
        services.accept_offer(token, waiter)


def test_an_offer_link_is_refused_to_someone_else_and_when_forged(training_session):
    for _ in range(3):
        book_self(training_session, UserFactory())
    waiting = book_self(training_session, UserFactory())
    Booking.objects.filter(pk=waiting.pk).update(status=HoldingStatus.OFFERED)
    waiting.refresh_from_db()
    token = services.offer_url(waiting).split("/offers/")[1].rstrip("/")
    with pytest.raises(BookingError, match="someone else"):
        services.accept_offer(token, UserFactory())
    with pytest.raises(BookingError, match="not valid"):
        services.accept_offer(token[:-2] + "xx", waiting.booked_by)


def test_a_lapsed_offer_passes_to_the_next_person(training_session):
    holders = [book_self(training_session, UserFactory()) for _ in range(3)]
    first_waiter = book_self(training_session, UserFactory())
    second_waiter = book_self(training_session, UserFactory())
    services.cancel_booking(holders[0], by=holders[0].booked_by)
    first_waiter.refresh_from_db()
    token = services.offer_url(first_waiter).split("/offers/")[1].rstrip("/")
    assert places.expire_lapsed(now=timezone.now() + timedelta(days=3)) == 1
    first_waiter.refresh_from_db()
    second_waiter.refresh_from_db()
    assert first_waiter.status == HoldingStatus.EXPIRED
    assert second_waiter.status == HoldingStatus.OFFERED
    assert not first_waiter.attendees.filter(status=Attendee.Status.ACTIVE).exists()
    with pytest.raises(BookingError, match="expired"):
        services.accept_offer(token, first_waiter.booked_by)


def test_transfer_sends_a_cancellation_to_the_old_attendee_and_an_invite_to_the_new(
    training_session, django_capture_on_commit_callbacks
):
    user = UserFactory()
    booking = book_self(training_session, user)
    old = booking.attendees.get()
    with django_capture_on_commit_callbacks(execute=True):
        new = services.transfer(
            old, to=AttendeeDetails("Colleague", "colleague@example.com"), by=user
        )
    [(method, cancel)] = [i for i in invites_to(user.email) if i[0] == "CANCEL"]
    assert str(cancel["UID"]) == f"{old.calendar_uid}@courses.portal"
    assert int(cancel["SEQUENCE"]) == 1
    [(method, invite)] = invites_to("colleague@example.com")
    assert method == "REQUEST" and str(invite["UID"]) == f"{new.calendar_uid}@courses.portal"
    old.refresh_from_db()
    assert old.status == Attendee.Status.TRANSFERRED
    booking.refresh_from_db()
    assert booking.quantity == 1 and booking.status == HoldingStatus.CONFIRMED


def test_changes_close_at_the_cut_off(course_page):
    session = helpers.session(course_page, booking_closes_at=timezone.now() + timedelta(hours=1))
    user = UserFactory()
    booking = book_self(session, user)
    Session.objects.filter(pk=session.pk).update(booking_closes_at=timezone.now())
    with pytest.raises(BookingError, match="cut-off"):
        services.cancel_booking(booking, by=user)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": Session.Status.CANCELLED}, "cancelled"),
        ({"booking_closes_at": -timedelta(minutes=1)}, "closed"),
        (
            {"starts_at": -timedelta(hours=1), "ends_at": timedelta(hours=1)},
            "started",
        ),
    ],
)
def test_cancelled_closed_and_past_sessions_cannot_be_booked(training_session, change, message):
    Session.objects.filter(pk=training_session.pk).update(**at_run_time(change))
    training_session.refresh_from_db()
    with pytest.raises(BookingError, match=message):
        book_self(training_session, UserFactory())
    assert not Booking.objects.exists()


def test_more_places_than_the_session_has_are_refused(training_session):
    membership = MembershipFactory(organisation__sector=Sector.VOLUNTARY)
    CourseAudience.objects.create(
        course=training_session.course, audience=Audience.VOLUNTARY, price_pence=0
    )
    people = [AttendeeDetails(f"P{n}", f"p{n}@example.com") for n in range(4)]
    with pytest.raises(BookingError, match="only 3 places"):
        services.book(
            session=training_session,
            user=membership.user,
            audience=Audience.VOLUNTARY,
            attendees=people,
            organisation=membership.organisation,
        )
    assert not Booking.objects.exists()


def test_council_staff_prices_need_a_verified_council_address(training_session, settings):
    settings.COUNCIL_EMAIL_DOMAINS = ["council.example.gov.uk"]
    unverified = UserFactory(email="someone@council.example.gov.uk", verified=False)
    with pytest.raises(BookingError, match="cannot book at this price"):
        book_self(training_session, unverified, Audience.COUNCIL_STAFF)
    verified = UserFactory(email="officer@council.example.gov.uk")
    assert book_self(training_session, verified, Audience.COUNCIL_STAFF).unit_price_pence == 0


def test_an_audience_the_course_does_not_take_is_refused(home_page):
    course = helpers.course(
        home_page, title="For professionals", prices={Audience.COUNCIL_STAFF: 0}
    )
    with pytest.raises(BookingError, match="not open to member of the public"):
        book_self(helpers.session(course), UserFactory())


def test_a_priced_booking_holds_its_places_while_paying(home_page):
    course = helpers.course(home_page, title="Paid", prices={Audience.PUBLIC: 4500})
    booking = book_self(helpers.session(course, capacity=1), UserFactory())
    assert booking.status == HoldingStatus.HELD
    assert booking.unit_price_pence == 4500 and booking.expires_at > timezone.now()
    assert places.confirm_held(booking)
    booking.refresh_from_db()
    assert booking.status == HoldingStatus.CONFIRMED


def test_moving_a_session_sends_every_attendee_an_updated_invite(
    training_session, django_capture_on_commit_callbacks
):
    users = [UserFactory() for _ in range(2)]
    for user in users:
        book_self(training_session, user)
    mail.outbox.clear()
    training_session.starts_at += timedelta(days=1)
    training_session.ends_at += timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.edit_session(training_session)
    for user in users:
        [(method, event)] = invites_to(user.email)
        assert method == "REQUEST" and int(event["SEQUENCE"]) == 1


def test_cancelling_a_session_sends_cancellations_and_ends_the_waiting_list(
    training_session, django_capture_on_commit_callbacks
):
    users = [UserFactory() for _ in range(4)]
    bookings = [book_self(training_session, user) for user in users]
    mail.outbox.clear()
    training_session.status = Session.Status.CANCELLED
    with django_capture_on_commit_callbacks(execute=True):
        services.edit_session(training_session)
    for user in users[:3]:
        [(method, _)] = invites_to(user.email)
        assert method == "CANCEL"
    assert not invites_to(users[3].email)
    assert {b.status for b in Booking.objects.filter(pk__in=[b.pk for b in bookings])} == {
        HoldingStatus.CANCELLED
    }


def test_cancelling_a_held_session_withdraws_the_stored_completion(course_page):
    session = attendance_factories.session(course_page)
    [attendee] = attendance_factories.booking(session, UserFactory()).attendees.all()
    coordinator = UserFactory(roles=["Coordinator"])
    attendance.mark(session, attendee, AttendanceStatus.PRESENT, by=coordinator)
    completion = SeriesCompletion.objects.get(person_id=attendee.pk)
    assert completion.completed and completion.held == 1
    session.status = Session.Status.CANCELLED
    services.edit_session(session)
    completion.refresh_from_db()
    assert not completion.completed and completion.held == 0 and completion.completed_at is None


def test_reminders_go_two_days_before_with_joining_instructions_once(
    course_page, django_capture_on_commit_callbacks
):
    session = helpers.session(course_page, online=True, days=1, joining_instructions="Mute.")
    user = UserFactory()
    book_self(session, user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders() == 1
        assert services.send_reminders() == 0
    [reminder] = mail.outbox
    assert "https://meet.example.org.uk/x" in reminder.body and "Mute." in reminder.body


def test_discreet_attendees_get_neutral_invites(
    training_session, django_capture_on_commit_callbacks
):
    user = UserFactory(plan={"service_may_be_named": False})
    with django_capture_on_commit_callbacks(execute=True):
        book_self(training_session, user)
    [(method, event)] = invites_to(user.email)
    assert str(event["SUMMARY"]) == "Appointment"
    assert "DESCRIPTION" not in event
    assert all("DA awareness" not in m.body for m in mail.outbox if m.to == [user.email])


def test_the_payment_hold_and_offer_window_come_from_settings(settings, home_page):
    settings.PLACES_PAYMENT_HOLD_MINUTES = 30
    settings.PLACES_OFFER_HOURS = 6
    course = helpers.course(home_page, title="Priced", prices={Audience.PUBLIC: 4500})
    session = helpers.session(course, capacity=1)
    before = timezone.now()
    held = book_self(session, UserFactory())
    assert held.status == HoldingStatus.HELD
    assert (
        before + timedelta(minutes=29) < held.expires_at <= timezone.now() + timedelta(minutes=30)
    )
    waiting = book_self(session, UserFactory())
    assert waiting.status == HoldingStatus.WAITING
    services.cancel_booking(held, by=held.booked_by)
    waiting.refresh_from_db()
    assert waiting.status == HoldingStatus.OFFERED
    assert (
        before + timedelta(hours=5, minutes=59)
        < waiting.expires_at
        <= (timezone.now() + timedelta(hours=6))
    )


def test_transferring_a_place_of_an_unpaid_booking_sends_no_cancellation(
    home_page, django_capture_on_commit_callbacks
):
    course = helpers.course(home_page, title="Priced", prices={Audience.PUBLIC: 4500})
    session = helpers.session(course)
    user = UserFactory()
    held = book_self(session, user)
    assert held.status == HoldingStatus.HELD
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.transfer(
            held.attendees.get(), to=AttendeeDetails("Colleague", "colleague@example.com"), by=user
        )
    assert invites_to(user.email) == []  # never invited, so never sent a CANCEL
    assert invites_to("colleague@example.com") == []  # invited once the place is paid for


def council_member(settings):
    settings.COUNCIL_EMAIL_DOMAINS = ["council.example.gov.uk"]
    return MembershipFactory(
        user__email="officer@council.example.gov.uk", organisation__sector=Sector.COUNCIL
    )


def test_the_council_price_is_only_for_places_for_council_staff(training_session, settings):
    membership = council_member(settings)
    with pytest.raises(BookingError, match="friend@example.com is not a council email") as exc:
        services.book(
            session=training_session,
            user=membership.user,
            audience=Audience.COUNCIL_STAFF,
            organisation=membership.organisation,
            attendees=[
                AttendeeDetails("Me", membership.user.email),
                AttendeeDetails("Friend", "friend@example.com"),
            ],
        )
    assert exc.value.field == "attendees" and not Booking.objects.exists()
    booking = services.book(
        session=training_session,
        user=membership.user,
        audience=Audience.COUNCIL_STAFF,
        organisation=membership.organisation,
        attendees=[
            AttendeeDetails("Me", membership.user.email),
            AttendeeDetails("Colleague", "colleague@council.example.gov.uk"),
        ],
    )
    assert booking.status == HoldingStatus.CONFIRMED and booking.quantity == 2


def test_transfer_rechecks_the_council_price_for_the_new_attendee(training_session, settings):
    membership = council_member(settings)
    booking = book_self(training_session, membership.user, Audience.COUNCIL_STAFF)
    place = booking.attendees.get()
    with pytest.raises(BookingError, match="not a council email") as exc:
        services.transfer(place, to=AttendeeDetails("Out", "out@example.com"), by=membership.user)
    assert exc.value.field == "email"
    place.refresh_from_db()
    assert place.status == Attendee.Status.ACTIVE
    new = services.transfer(
        place, to=AttendeeDetails("In", "in@council.example.gov.uk"), by=membership.user
    )
    assert new.status == Attendee.Status.ACTIVE
