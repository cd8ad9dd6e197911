"""Course sessions, bookings and attendees for register tests (course pages need Wagtail's
tree, so these are plain builders over the courses models)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from courses.models import Attendee, Audience, Booking, CoursePage, Session, TrainingIndexPage
from portal.localities import Locality
from portal.places import HoldingStatus


def course(home_page, title="DA awareness level 1", cpd_hours=Decimal("3.5")) -> CoursePage:
    index = TrainingIndexPage.objects.first()
    if index is None:
        index = home_page.add_child(instance=TrainingIndexPage(title="Training", slug="training"))
    return index.add_child(
        instance=CoursePage(
            title=title,
            summary="About domestic abuse.",
            learning_outcomes="<p>Recognise it.</p>",
            length="Half a day",
            cpd_hours=cpd_hours,
            delivery="in_person",
        )
    )


def session(course_page, *, starts_in=timedelta(days=-1), trainers=(), **fields) -> Session:
    starts = timezone.now() + starts_in
    # Held somewhere: North unless the test says where (who coordinates it follows).
    fields.setdefault("locality", Locality.objects.get(slug="north"))
    created = Session.objects.create(
        course=course_page,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        venue="Civic Centre, Riverside",
        capacity=fields.pop("capacity", 20),
        **fields,
    )
    created.trainers.set(trainers)
    return created


_references = iter(range(100000, 999999))


def booking(
    session,
    booked_by,
    *,
    people=(),
    organisation=None,
    audience=Audience.PUBLIC,
    unit_price_pence=0,
    status=HoldingStatus.CONFIRMED,
) -> Booking:
    """A booking with one attendee per (name, email, user) in people (default: the booker)."""
    people = people or [(booked_by.get_full_name(), booked_by.email, booked_by)]
    made = Booking.objects.create(
        session=session,
        reference=f"TR-{next(_references)}",
        booked_by=booked_by,
        organisation=organisation,
        audience=audience,
        unit_price_pence=unit_price_pence,
        status=status,
        quantity=len(people),
    )
    for name, email, user in people:
        Attendee.objects.create(booking=made, session=session, user=user, name=name, email=email)
    return made
