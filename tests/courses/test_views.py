from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from courses import services
from courses.models import Attendee, Audience, Booking, CourseAudience, Session
from portal.accounts.models import Sector
from portal.crypto import blind_lookup
from portal.localities import Locality
from portal.places import HoldingStatus
from tests.courses import helpers
from tests.courses.helpers import at_run_time
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(client):
    user = UserFactory(first_name="Pat", last_name="Public")
    client.force_login(user)
    return user


def book_url(session):
    return reverse("courses:book", args=[session.pk])


def test_the_catalogue_lists_sessions_with_availability_in_a_fixed_number_of_queries(
    client, home_page, django_assert_max_num_queries
):
    course = helpers.course(home_page, topics=["Risk"])
    full = helpers.session(course, capacity=1, days=3)
    services.book(
        session=full,
        user=UserFactory(),
        audience=Audience.PUBLIC,
        attendees=[services.AttendeeDetails("A", "a@example.com")],
    )
    helpers.session(course, capacity=5, days=4)
    index = helpers.training_index(home_page)
    client.get(index.url)  # warm Wagtail's site caches
    # 14: each course's prices, and the "Where" filter's localities (portal.Locality).
    with django_assert_max_num_queries(14):
        response = client.get(index.url)
    assert "Full: join the waiting list" in response.text
    assert "5 places left" in response.text
    for n in range(30):
        helpers.session(course, days=5 + n)
    with django_assert_max_num_queries(14):
        response = client.get(index.url + "?page=2")
    assert response.status_code == 200


def test_the_catalogue_filters(client, home_page):
    risk = helpers.course(home_page, title="Risk course", topics=["Risk"])
    other = helpers.course(
        home_page, title="Staff only", prices={Audience.COUNCIL_STAFF: 0}, topics=["Other"]
    )
    helpers.session(risk, online=True, days=5)
    helpers.session(other, locality=Locality.objects.get(slug="north"), days=40)
    index = helpers.training_index(home_page)
    text = client.get(index.url, {"topic": "risk"}).text
    assert "Risk course" in text and "Staff only" not in text
    text = client.get(index.url, {"audience": "public"}).text
    assert "Staff only" not in text
    text = client.get(index.url, {"where": "north"}).text
    assert "Staff only" in text and "Risk course" not in text
    later = (timezone.localdate() + timedelta(days=20)).isoformat()
    text = client.get(index.url, {"date_from": later}).text
    assert "Staff only" in text and "Risk course" not in text
    sooner = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = client.get(index.url, {"date_from": later, "date_to": sooner})
    assert "must be the same as or after" in response.text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"date_to": "2000-01-01"}, "The end date must be today"),
        ({"date_from": "9999-12-31"}, "The start date must be on or before"),
        ({"date_to": "2999-01-01"}, "The end date must be on or before"),
        ({"date_from": "2026-02-30"}, "Enter the start date as a real date"),
    ],
)
def test_catalogue_dates_out_of_range_are_errors_next_to_the_field(
    client, home_page, query, message
):
    index = helpers.training_index(home_page)
    response = client.get(index.url, query)
    assert response.status_code == 200
    text = response.text
    [field] = query
    summary = text.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    assert f'href="#id_{field}"' in summary and message in summary
    assert f'id="id_{field}-error"' in text and "<title>Error: " in text


def test_a_course_page_shows_prices_and_sessions(client, course_page, training_session):
    response = client.get(course_page.url)
    assert "3 places left" in response.text
    assert "Member of the public" in response.text


def test_booking_for_yourself_end_to_end(client, person, training_session):
    response = client.get(book_url(training_session))
    assert response.status_code == 200
    response = client.post(
        book_url(training_session), {"audience": "public", "self-needs": "Hearing loop"}
    )
    booking = Booking.objects.get()
    assert response.url == reverse("courses:booking", args=[booking.reference])
    page = client.get(response.url)
    assert "Booking confirmed" in page.text and booking.reference in page.text
    assert booking.attendees.get().needs == "Hearing loop"
    account = client.get(reverse("my_account"))
    assert "My bookings" in account.text and "DA awareness" in account.text


def test_the_joining_link_is_shown_only_to_confirmed_attendees(
    client, person, course_page, settings
):
    session = helpers.session(course_page, online=True, capacity=1)
    services.book(
        session=session,
        user=UserFactory(),
        audience="public",
        attendees=[services.AttendeeDetails("X", "x@example.com")],
    )
    client.post(book_url(session), {"audience": "public"})
    booking = Booking.objects.get(booked_by=person)
    assert booking.status == HoldingStatus.WAITING
    page = client.get(reverse("courses:booking", args=[booking.reference]))
    assert "meet.example.org.uk" not in page.text
    assert "meet.example.org.uk" not in client.get(session.course.url).text
    # Once the place is theirs, they do see it.
    other = Booking.objects.exclude(pk=booking.pk).get()
    services.cancel_booking(other, by=other.booked_by)
    booking.refresh_from_db()
    client.post(services.offer_url(booking).removeprefix(settings.SITE_URL))
    booking.refresh_from_db()
    assert booking.status == HoldingStatus.CONFIRMED
    page = client.get(reverse("courses:booking", args=[booking.reference]))
    assert "https://meet.example.org.uk/x" in page.text


def test_an_organisation_member_names_each_attendee(
    client, course_page, training_session, django_capture_on_commit_callbacks
):
    membership = MembershipFactory(organisation__sector=Sector.BUSINESS)
    CourseAudience.objects.create(course=course_page, audience=Audience.BUSINESS, price_pence=0)
    client.force_login(membership.user)
    org = membership.organisation.pk
    form = client.get(book_url(training_session), {"for": org, "places": 2})
    assert "Attendee 2" in form.text
    data = {
        "audience": "business",
        "organisation": org,
        "form-TOTAL_FORMS": 2,
        "form-INITIAL_FORMS": 0,
        "form-0-name": "Ann",
        "form-0-email": "ann@biz.example",
        "form-1-name": "Bob",
        "form-1-email": "bob@biz.example",
        "form-1-needs": "Vegetarian",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(book_url(training_session), data)
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.quantity == 2 and booking.organisation_id == org
    assert {m.to[0] for m in mail.outbox if m.attachments} == {"ann@biz.example", "bob@biz.example"}


def test_a_tampered_price_is_ignored_and_a_tampered_audience_refused(client, person, home_page):
    course = helpers.course(home_page, title="Paid", prices={Audience.PUBLIC: 4500})
    session = helpers.session(course)
    client.post(book_url(session), {"audience": "public", "price_pence": "0", "price": "0"})
    assert Booking.objects.get().unit_price_pence == 4500
    other = helpers.session(course, days=20)
    response = client.post(book_url(other), {"audience": "council_staff"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.text
    assert Booking.objects.count() == 1


def test_a_tampered_session_id_is_a_not_found(client, person):
    assert (
        client.post(reverse("courses:book", args=[99999]), {"audience": "public"}).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": Session.Status.CANCELLED}, "This session has been cancelled."),
        (
            {"booking_closes_at": -timedelta(minutes=1)},
            "Booking for this session has closed.",
        ),
    ],
)
def test_closed_sessions_say_why(client, person, training_session, change, message):
    Session.objects.filter(pk=training_session.pk).update(**at_run_time(change))
    response = client.post(book_url(training_session), {"audience": "public"})
    assert response.status_code == 400 and message in response.text
    assert not Booking.objects.exists()


def test_booking_twice_says_so(client, person, training_session):
    client.post(book_url(training_session), {"audience": "public"})
    page = client.get(book_url(training_session)).text
    assert "You already have a place on this session." in page
    # Never offered the waiting list (or another booking) for a session they are on.
    assert "Join the waiting list" not in page and "Confirm booking" not in page
    response = client.post(book_url(training_session), {"audience": "public"})
    assert response.status_code == 400
    assert "You already have a place on this session." in response.text
    assert Attendee.objects.count() == 1


def test_more_places_than_exist_is_a_clear_error(client, course_page, training_session):
    membership = MembershipFactory(organisation__sector=Sector.BUSINESS)
    CourseAudience.objects.create(course=course_page, audience=Audience.BUSINESS, price_pence=0)
    client.force_login(membership.user)
    data = {"audience": "business", "organisation": membership.organisation.pk}
    data.update({"form-TOTAL_FORMS": 4, "form-INITIAL_FORMS": 0})
    for n in range(4):
        data[f"form-{n}-name"] = f"P{n}"
        data[f"form-{n}-email"] = f"p{n}@biz.example"
    response = client.post(book_url(training_session), data)
    assert response.status_code == 400
    assert "There are only 3 places in total." in response.text
    assert not Booking.objects.exists()


def test_someone_elses_booking_is_not_found(client, person, training_session):
    other = UserFactory()
    booking = services.book(
        session=training_session,
        user=other,
        audience="public",
        attendees=[services.AttendeeDetails("O", other.email)],
    )
    assert client.get(reverse("courses:booking", args=[booking.reference])).status_code == 404
    assert client.post(reverse("courses:cancel", args=[booking.reference])).status_code == 404


def test_cancel_and_transfer_through_the_pages(client, person, training_session):
    client.post(book_url(training_session), {"audience": "public"})
    booking = Booking.objects.get()
    attendee = booking.attendees.get()
    transfer = reverse("courses:transfer", args=[booking.reference, attendee.pk])
    response = client.post(transfer, {"name": "Col League", "email": person.email})
    assert response.status_code == 400 and "person taking the place" in response.text
    response = client.post(transfer, {"name": "Col League", "email": "col@example.com"})
    assert response.status_code == 302
    client.post(reverse("courses:cancel", args=[booking.reference]))
    booking.refresh_from_db()
    assert booking.status == HoldingStatus.CANCELLED


def test_offer_links_expired_or_reused_say_so(client, person, training_session):
    for _ in range(3):
        holder = UserFactory()
        services.book(
            session=training_session,
            user=holder,
            audience="public",
            attendees=[services.AttendeeDetails("H", holder.email)],
        )
    client.post(book_url(training_session), {"audience": "public"})
    waiting = Booking.objects.get(booked_by=person)
    services.cancel_booking(Booking.objects.exclude(pk=waiting.pk).first(), by=person)
    waiting.refresh_from_db()
    url = services.offer_url(waiting).removeprefix("http://127.0.0.1:8000")
    url = url[url.index("/training/") :]
    assert "Accept the place" in client.get(url).text
    assert client.post(url).status_code == 302
    reused = client.post(url)
    assert reused.status_code == 410 and "already been used" in reused.text
    assert client.get("/training/offers/forged/").status_code == 410


def test_the_public_feed_lists_sessions_open_to_the_public(client, home_page, training_session):
    staff_only = helpers.course(home_page, title="Staff", prices={Audience.COUNCIL_STAFF: 0})
    helpers.session(staff_only)
    feed = Calendar.from_ical(client.get(reverse("courses:public_feed")).content)
    assert [str(e["SUMMARY"]) for e in feed.walk("VEVENT")] == ["DA awareness"]


def test_my_bookings_shows_a_named_attendee_their_own_place(client, course_page, training_session):
    membership = MembershipFactory(organisation__sector=Sector.BUSINESS)
    CourseAudience.objects.create(course=course_page, audience=Audience.BUSINESS, price_pence=0)
    named = UserFactory(email="named@business.example")
    booking = services.book(
        session=training_session,
        user=membership.user,
        audience=Audience.BUSINESS,
        organisation=membership.organisation,
        attendees=[
            services.AttendeeDetails("Named", named.email),
            services.AttendeeDetails("Other", "other@business.example"),
        ],
    )
    services.cancel_attendee(
        booking.attendees.get(**blind_lookup("email", named.email)), by=membership.user
    )
    client.force_login(named)
    account = client.get(reverse("my_account")).text
    assert "DA awareness" in account
    assert ">Cancelled</td>" in account and ">Confirmed</td>" not in account
    client.force_login(membership.user)
    assert ">Confirmed</td>" in client.get(reverse("my_account")).text


def test_the_waiting_list_page_gives_the_configured_offer_window(
    client, person, course_page, settings
):
    settings.PLACES_OFFER_HOURS = 6
    session = helpers.session(course_page, capacity=1)
    services.book(
        session=session,
        user=UserFactory(),
        audience="public",
        attendees=[services.AttendeeDetails("X", "x@example.com")],
    )
    client.post(book_url(session), {"audience": "public"})
    booking = Booking.objects.get(booked_by=person)
    page = client.get(reverse("courses:booking", args=[booking.reference])).text
    assert "You will have 6 hours to accept" in page


@pytest.mark.parametrize("bad", ["abc", "\x00", "1.5", "-1", "0", "99999999999999999999999"])
def test_organisation_for_refuses_text_that_is_not_one_of_theirs(bad):
    member = MembershipFactory(organisation__sector=Sector.BUSINESS).user
    assert services.organisation_for(member, "") is None
    assert services.organisation_for(member, " ") is None
    with pytest.raises(services.BookingError, match="organisation you belong to") as exc:
        services.organisation_for(member, bad)
    assert exc.value.field == "organisation"


@pytest.mark.parametrize("bad", ["abc", "%00", "999999"])
def test_a_tampered_organisation_in_the_address_is_a_clear_error_not_a_crash(
    client, course_page, training_session, bad
):
    membership = MembershipFactory(organisation__sector=Sector.BUSINESS)
    client.force_login(membership.user)
    response = client.get(f"{book_url(training_session)}?for={bad}")
    assert response.status_code == 400
    assert "You can only book for an organisation you belong to." in response.text
    assert "govuk-error-summary" in response.text
    # The first step is shown again, with the choice to book just for themselves.
    assert 'name="for"' in response.text and "Just me" in response.text


def test_a_tampered_organisation_in_a_post_is_a_clear_error_not_a_crash(
    client, course_page, training_session
):
    membership = MembershipFactory(organisation__sector=Sector.BUSINESS)
    client.force_login(membership.user)
    response = client.post(
        book_url(training_session), {"audience": "public", "organisation": "abc"}
    )
    assert response.status_code == 400
    assert "You can only book for an organisation you belong to." in response.text
    assert not Booking.objects.exists()


def test_a_tampered_payment_choice_is_shown_in_the_error_summary(
    client, home_page, training_session
):
    course = helpers.course(home_page, title="Paid", prices={Audience.BUSINESS: 4500})
    session = helpers.session(course)
    membership = MembershipFactory(organisation__sector=Sector.BUSINESS)  # not invoiced
    client.force_login(membership.user)
    org = membership.organisation.pk
    data = {
        "audience": "business",
        "organisation": org,
        "payment": "bogus",
        "form-TOTAL_FORMS": 1,
        "form-INITIAL_FORMS": 0,
        "form-0-name": "Ann",
        "form-0-email": "ann@biz.example",
    }
    response = client.post(f"{book_url(session)}?for={org}", data)
    assert response.status_code == 400
    summary = response.text.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    assert "Choose how to pay" in summary
    assert not Booking.objects.exists()
