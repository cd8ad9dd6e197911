"""What courses add to "My account" and to a person's private calendar feed."""

from courses import selectors, services
from portal.accounts.sections import AccountSection
from portal.accounts.selectors import verified_emails
from portal.calendars import CalendarEvent, FeedProvider


def my_bookings(request) -> AccountSection | None:
    bookings = list(selectors.bookings_of(request.user))
    if not bookings:
        return None
    emails = verified_emails(request.user)
    for booking in bookings:
        booking.status_for_me = selectors.status_for(booking, request.user, emails)
    return AccountSection(
        title="My bookings",
        template="courses/includes/my_bookings.html",
        context={"bookings": bookings},
        order=10,
    )


class CoursePlaces(FeedProvider):
    """A person's confirmed places in their private feed. Discreet as their safe-contact plan
    says (the default): a course booked by a council worker need not be."""

    def events(self, user) -> list[CalendarEvent]:
        return [services.calendar_event(a) for a in selectors.confirmed_places_of(user)]


def organisation_bookings(request) -> AccountSection | None:
    """For an admin of an organisation: its members and every booking made for it, each
    leading to the booking's page, where they can cancel and transfer its places."""
    organisations = []
    for organisation in selectors.organisations_administered_by(request.user):
        members = sorted(
            organisation.membership_set.select_related("user"),
            key=lambda m: (str(m.user).casefold(), m.user.email),
        )
        organisations.append(
            {
                "organisation": organisation,
                "members": members,
                "bookings": list(selectors.organisation_bookings(organisation)),
            }
        )
    if not organisations:
        return None
    return AccountSection(
        title="Your organisation's bookings",
        template="courses/includes/organisation_bookings.html",
        context={"organisations": organisations},
        order=20,
    )
