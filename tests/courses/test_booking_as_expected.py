"""Issue 11, items 6 and 7: places priced by who the attendee is, and booking as people expect
(steps with one submit each, error summaries, waiting-list position, leaving it, declining an
offer, the refund on the cancel page, an .ics per place, catalogue prices and date errors)."""

import pytest
from django.conf import settings
from django.urls import reverse
from icalendar import Calendar

from courses import services
from courses.models import Attendee, Audience, Booking, CourseAudience
from courses.services import AttendeeDetails, BookingError
from portal import places
from portal.accounts.models import Sector
from portal.crypto import blind_lookup
from portal.places import HoldingStatus
from tests.courses import helpers
from tests.courses.test_refund_policy import set_policy
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def book_self(session, user, audience=Audience.PUBLIC):
    return services.book(
        session=session,
        user=user,
        audience=audience,
        attendees=[AttendeeDetails(name=str(user), email=user.email)],
    )


def book_url(session):
    return reverse("courses:book", args=[session.pk])


@pytest.fixture
def business_course(home_page):
    return helpers.course(
        home_page,
        title="Workplace",
        prices={Audience.PUBLIC: 0, Audience.BUSINESS: 4500, Audience.COUNCIL_STAFF: 0},
    )


# 6. Prices that hold.


def test_a_business_cannot_book_its_staff_at_the_free_public_price(business_course):
    session = helpers.session(business_course)
    member = MembershipFactory(organisation__sector=Sector.BUSINESS)
    staff = [AttendeeDetails("Ann", "ann@biz.example"), AttendeeDetails("Bob", "bob@biz.example")]
    with pytest.raises(BookingError, match="at the price for business") as exc:
        services.book(
            session=session,
            user=member.user,
            audience=Audience.PUBLIC,
            attendees=staff,
            organisation=member.organisation,
        )
    assert exc.value.field == "audience" and not Booking.objects.exists()
    booking = services.book(
        session=session,
        user=member.user,
        audience=Audience.BUSINESS,
        attendees=staff,
        organisation=member.organisation,
    )
    assert booking.unit_price_pence == 4500 and booking.total_pence == 9000


def test_booking_only_themself_a_person_picks_the_audience_they_are(business_course):
    member = MembershipFactory(organisation__sector=Sector.BUSINESS).user
    assert services.eligible_audiences(member) == [Audience.BUSINESS, Audience.PUBLIC]
    organisation = member.organisations.get()
    assert services.eligible_audiences(member, organisation) == [Audience.BUSINESS]
    council = MembershipFactory(organisation__sector=Sector.COUNCIL).organisation
    assert services.organisation_audience(council) == Audience.COUNCIL_STAFF
    other = MembershipFactory(organisation__sector=Sector.OTHER).organisation
    assert services.organisation_audience(other) == Audience.PUBLIC


def test_the_organisation_page_shows_its_price_and_offers_no_choice(client, business_course):
    session = helpers.session(business_course)
    member = MembershipFactory(organisation__sector=Sector.BUSINESS)
    client.force_login(member.user)
    org = member.organisation.pk
    page = client.get(book_url(session), {"for": org, "places": 2}).text
    assert "Business: £45.00 a place, £90.00 in all" in page
    assert 'name="audience"' not in page and "Confirm booking" in page
    data = {
        "audience": "public",  # tampered: ignored, the organisation's price applies
        "organisation": org,
        "form-TOTAL_FORMS": 2,
        "form-INITIAL_FORMS": 0,
        "form-0-name": "Ann",
        "form-0-email": "ann@biz.example",
        "form-1-name": "Bob",
        "form-1-email": "bob@biz.example",
    }
    response = client.post(book_url(session), data)
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert booking.audience == Audience.BUSINESS and booking.unit_price_pence == 4500


def test_an_organisation_whose_audience_may_not_book_is_told_at_the_first_step(client, home_page):
    course = helpers.course(home_page, title="Public only", prices={Audience.PUBLIC: 0})
    session = helpers.session(course)
    member = MembershipFactory(organisation__sector=Sector.BUSINESS)
    client.force_login(member.user)
    response = client.get(book_url(session), {"for": member.organisation.pk, "places": 2})
    assert response.status_code == 400
    summary = response.text.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    assert 'href="#id_for"' in summary and "not open to business bookings" in summary


def test_the_catalogue_and_course_page_price_each_session_for_every_audience(
    client, home_page, business_course
):
    helpers.session(business_course)
    text = client.get(helpers.training_index(home_page).url).text
    assert "Member of the public: free · Business: £45.00 · Council staff: free" in text
    CourseAudience.objects.filter(audience=Audience.PUBLIC).update(may_book=False)
    text = client.get(business_course.url).text
    assert "Business: £45.00 · Council staff: free" in text
    assert "Member of the public: free" not in text


# 7. One form per step, with an error summary.


def test_several_places_just_for_me_is_an_error_next_to_the_field_with_what_was_typed(
    client, business_course
):
    session = helpers.session(business_course)
    member = MembershipFactory(organisation__sector=Sector.BUSINESS)
    client.force_login(member.user)
    first = client.get(book_url(session))
    assert first.status_code == 200
    assert 'name="for"' in first.text and "Confirm booking" not in first.text
    response = client.get(book_url(session), {"for": "", "places": "4"})
    assert response.status_code == 400
    summary = response.text.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    assert 'href="#id_places"' in summary and "choose your organisation" in summary
    assert 'id="id_places-error"' in response.text and 'value="4"' in response.text


def test_attendee_errors_are_summarised_with_links_and_nothing_typed_is_lost(
    client, business_course
):
    session = helpers.session(business_course)
    member = MembershipFactory(organisation__sector=Sector.BUSINESS)
    client.force_login(member.user)
    data = {
        "organisation": member.organisation.pk,
        "form-TOTAL_FORMS": 2,
        "form-INITIAL_FORMS": 0,
        "form-0-name": "Ann",
        "form-0-email": "not an email",
        "form-0-needs": "Step-free access",
        "form-1-name": "",
        "form-1-email": "bob@biz.example",
    }
    response = client.post(book_url(session), data)
    assert response.status_code == 400
    text = response.text
    summary = text.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    assert '<a href="#id_form-0-email">Attendee 1: Enter an email address' in summary
    assert '<a href="#id_form-1-name">Attendee 2: Enter the full name.</a>' in summary
    assert 'value="Ann"' in text and "Step-free access" in text
    assert 'value="bob@biz.example"' in text
    assert not Booking.objects.exists()


def test_a_transfer_error_is_in_the_summary_linked_to_its_field(client, training_session):
    person = UserFactory()
    client.force_login(person)
    booking = book_self(training_session, person)
    url = reverse("courses:transfer", args=[booking.reference, booking.attendees.get().pk])
    response = client.post(url, {"name": "", "email": person.email})
    summary = response.text.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    assert '<a href="#id_name">Enter the full name.</a>' in summary
    response = client.post(url, {"name": "Me again", "email": person.email})
    summary = response.text.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    assert 'href="#id_email"' in summary and "person taking the place" in summary


# 7. Add to calendar.


def test_each_place_can_be_added_to_a_calendar_by_the_booker_or_the_attendee_only(
    client, business_course
):
    session = helpers.session(business_course)
    member = MembershipFactory(organisation__sector=Sector.BUSINESS)
    attendee_user = UserFactory(email="ann@biz.example", plan={"service_may_be_named": False})
    CourseAudience.objects.filter(audience=Audience.BUSINESS).update(price_pence=0)
    booking = services.book(
        session=session,
        user=member.user,
        audience=Audience.BUSINESS,
        organisation=member.organisation,
        attendees=[AttendeeDetails("Ann", "ann@biz.example"), AttendeeDetails("Bo", "bo@x.org")],
    )
    ann = booking.attendees.get(**blind_lookup("email", "ann@biz.example"))
    url = reverse("courses:attendee_calendar", args=[booking.reference, ann.pk])
    client.force_login(member.user)
    detail = client.get(reverse("courses:booking", args=[booking.reference])).text
    assert detail.count("Add to calendar") == 2 and url in detail
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    # The same uid as the invite, and Ann's discreet choice honoured: no course title.
    assert str(event["UID"]) == f"{ann.calendar_uid}@courses.portal"
    assert str(event["SUMMARY"]) == "Appointment" and "Workplace" not in response.text
    client.force_login(attendee_user)
    assert client.get(url).status_code == 200
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    services.cancel_attendee(ann, by=member.user)
    client.force_login(member.user)
    assert client.get(url).status_code == 404


# 7. The waiting list: position, leaving, declining an offer.


def test_the_waiting_list_shows_the_position_and_can_be_left(client, home_page):
    session = helpers.session(helpers.course(home_page, title="Small"), capacity=1)
    book_self(session, UserFactory())
    first, second = UserFactory(), UserFactory()
    ahead, behind = book_self(session, first), book_self(session, second)
    assert places.waiting_position(ahead) == 1 and places.waiting_position(behind) == 2
    client.force_login(second)
    page = client.get(reverse("courses:booking", args=[behind.reference])).text
    assert "You are number 2 on the waiting list." in page
    cancel = reverse("courses:cancel", args=[behind.reference])
    assert "Leave the waiting list?" in client.get(cancel).text
    client.force_login(first)
    response = client.post(reverse("courses:cancel", args=[ahead.reference]))
    assert response.status_code == 302
    ahead.refresh_from_db()
    assert ahead.status == HoldingStatus.CANCELLED
    assert not ahead.attendees.filter(status=Attendee.Status.ACTIVE).exists()
    behind.refresh_from_db()
    assert places.waiting_position(behind) == 1
    with pytest.raises(BookingError, match="no longer on the waiting list"):
        services.leave_waiting_list(ahead, by=first)


def test_declining_an_offer_passes_the_places_on_at_once(client, home_page):
    session = helpers.session(helpers.course(home_page, title="Small"), capacity=1)
    holder = book_self(session, UserFactory())
    first, second = UserFactory(), UserFactory()
    offered, waiting = book_self(session, first), book_self(session, second)
    services.cancel_booking(holder, by=holder.booked_by)
    offered.refresh_from_db()
    assert offered.status == HoldingStatus.OFFERED
    url = services.offer_url(offered).removeprefix(settings.SITE_URL)
    client.force_login(first)
    assert "Turn the place down" in client.get(url).text
    response = client.post(url, {"decision": "decline"})
    assert response.status_code == 302
    offered.refresh_from_db()
    waiting.refresh_from_db()
    assert offered.status == HoldingStatus.CANCELLED
    assert waiting.status == HoldingStatus.OFFERED
    assert client.post(url, {"decision": "accept"}).status_code == 410


# 7. Already booked; the refund on the cancel page.


def test_someone_with_a_place_is_told_and_never_offered_the_waiting_list(client, home_page):
    session = helpers.session(helpers.course(home_page, title="Small"), capacity=1)
    person = UserFactory()
    book_self(session, person)
    client.force_login(person)
    page = client.get(book_url(session)).text
    assert "You already have a place on this session." in page
    assert "Join the waiting list" not in page
    catalogue = client.get(helpers.training_index(home_page).url).text
    assert "You are booked on this session" in catalogue
    assert "Join the waiting list<" not in catalogue


def test_the_cancel_page_says_when_there_is_no_refund_and_why(client, training_session):
    person = UserFactory()
    client.force_login(person)
    booking = book_self(training_session, person)
    page = client.get(reverse("courses:cancel", args=[booking.reference])).text
    assert "The places are free, so there is nothing to refund." in page


def test_the_cancel_page_states_no_refund_after_the_window_and_why(client, home_page):
    set_policy(days=7, percent=0)
    course = helpers.course(home_page, title="Paid", prices={Audience.BUSINESS: 4500})
    session = helpers.session(course, days=3)  # inside the seven days: no refund
    member = MembershipFactory(organisation__sector=Sector.BUSINESS, organisation__invoiced=True)
    booking = services.book(
        session=session,
        user=member.user,
        audience=Audience.BUSINESS,
        organisation=member.organisation,
        attendees=[AttendeeDetails("Ann", "ann@biz.example")],
        pay_by="invoice",
        purchase_order="PO-9",
    )
    client.force_login(member.user)
    page = client.get(reverse("courses:cancel", args=[booking.reference])).text
    assert "No refund: the time to cancel for a full refund ended at " in page
    assert "later cancellations are not refunded." in page
    set_policy(days=1, percent=0)
    page = client.get(reverse("courses:cancel", args=[booking.reference])).text
    assert "£45.00 will be taken off your organisation&#x27;s invoice" in page
    assert "you can cancel for a full refund until" in page
