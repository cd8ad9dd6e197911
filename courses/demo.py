"""Demo training offer for seed_demo: a catalogue of courses with sessions over the next three
months, some nearly full. Safe to run again: existing pages and sessions are left as they are."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page

from courses import services
from courses.models import (
    Attendee,
    Audience,
    Booking,
    CourseAudience,
    CoursePage,
    Delivery,
    Session,
    Topic,
    TrainingIndexPage,
)
from portal.accounts.models import User
from portal.localities import Locality
from portal.places import HoldingStatus

FREE_FOR_STAFF = {
    Audience.COUNCIL_STAFF: 0,
    Audience.PARTNER_AGENCY: 0,
    Audience.VOLUNTARY: 0,
    Audience.VOLUNTEER: 0,
}
VENUES = {
    "north": "Northgate Community Centre, 14 Mill Lane, Riverside RV1 2AB",
    "central": "Riverside Civic Centre, Training Room 2, Market Square, Riverside RV3 1AA",
    "south": "Southbank Library, Meeting Room, 2 Quay Street, Riverside RV7 4CD",
}

COURSES = [
    {
        "title": "Domestic abuse awareness: level 1",
        "summary": "What domestic abuse is, how to spot the signs and how to respond safely.",
        "outcomes": [
            "Recognise the forms domestic abuse takes, including coercive control",
            "Respond to a disclosure safely and without judgement",
            "Know where to refer and how to find local support",
        ],
        "length": "Half a day (3 hours)",
        "cpd": "3",
        "delivery": Delivery.BLENDED,
        "topics": ["Awareness", "Safeguarding"],
        "prices": {**FREE_FOR_STAFF, Audience.BUSINESS: 4500, Audience.PUBLIC: 0},
        "sessions": [
            (5, "central", 20, 17),
            (19, None, 30, 4),
            (40, "north", 20, 20),
            (61, "south", 20, 3),
        ],
        "hours": 3,
    },
    {
        "title": "Domestic abuse awareness: level 2",
        "summary": "For people who support victims: risk, safety planning and working together.",
        "outcomes": [
            "Understand risk factors and the escalation of abuse",
            "Support a victim-survivor with a safety plan",
            "Work with MARAC and partner agencies",
        ],
        "length": "One day (6 hours)",
        "cpd": "6",
        "delivery": Delivery.IN_PERSON,
        "topics": ["Risk", "Safeguarding"],
        "prices": {**FREE_FOR_STAFF, Audience.BUSINESS: 9000},
        "sessions": [(12, "north", 16, 15), (47, "central", 16, 2)],
        "hours": 6,
    },
    {
        "title": "Domestic abuse in the workplace: for employers",
        "summary": "How employers can support staff affected by domestic abuse and write a policy.",
        "outcomes": [
            "Spot the signs at work and start a conversation",
            "Put practical workplace safety measures in place",
            "Draft a domestic abuse workplace policy",
        ],
        "length": "Half a day (3 hours)",
        "cpd": "3",
        "delivery": Delivery.ONLINE,
        "topics": ["Workplace"],
        "prices": {Audience.BUSINESS: 6000, Audience.COUNCIL_STAFF: 0, Audience.VOLUNTARY: 2000},
        "sessions": [(9, None, 40, 38), (33, None, 40, 5), (75, None, 40, 0)],
        "hours": 3,
    },
    {
        "title": "Understanding coercive control",
        "summary": "The pattern behind many abusive relationships, and the law on it.",
        "outcomes": [
            "Describe coercive and controlling behaviour",
            "Understand the offence under the Serious Crime Act 2015",
            "Record and evidence concerns",
        ],
        "length": "Half a day (3 hours)",
        "cpd": "3",
        "delivery": Delivery.IN_PERSON,
        "topics": ["Coercive control", "Awareness"],
        "prices": {**FREE_FOR_STAFF, Audience.PUBLIC: 0, Audience.BUSINESS: 4500},
        "sessions": [(15, "south", 18, 12), (54, "north", 18, 1)],
        "hours": 3,
    },
    {
        "title": "Operation Encompass for schools",
        "summary": "For safeguarding leads: acting on police notifications the next school day.",
        "outcomes": [
            "Know how Operation Encompass notifications work",
            "Plan the support a child needs the morning after an incident",
        ],
        "length": "Two hours",
        "cpd": "2",
        "delivery": Delivery.ONLINE,
        "topics": ["Children and young people", "Safeguarding"],
        "prices": {Audience.COUNCIL_STAFF: 0, Audience.PARTNER_AGENCY: 0},
        "sessions": [(7, None, 50, 12), (37, None, 50, 0)],
        "hours": 2,
    },
    {
        "title": "DASH risk assessment for professionals",
        "summary": "Using the DASH risk checklist and referring high-risk cases to MARAC.",
        "outcomes": [
            "Complete a DASH risk identification checklist",
            "Apply professional judgement and the MARAC threshold",
            "Make a good referral",
        ],
        "length": "One day (6 hours)",
        "cpd": "6",
        "delivery": Delivery.IN_PERSON,
        "topics": ["Risk"],
        "prices": {Audience.COUNCIL_STAFF: 0, Audience.PARTNER_AGENCY: 0, Audience.VOLUNTARY: 0},
        "sessions": [(22, "central", 12, 11), (68, "south", 12, 0)],
        "hours": 6,
    },
]


def seed() -> None:
    from cms.models import HomePage

    home = HomePage.objects.first()
    if home is None:
        return
    index = TrainingIndexPage.objects.first()
    if index is None:
        index = home.add_child(
            instance=TrainingIndexPage(
                title="Training courses",
                slug="training",
                intro="<p>Domestic abuse training for council staff, partner agencies, "
                "businesses, the voluntary sector and the public.</p>",
            )
        )
    trainer = User.objects.filter(groups__name="Trainer").first()
    for spec in COURSES:
        course = CoursePage.objects.filter(slug=slugify(spec["title"])).first()
        if course is None:
            course = _course(index, spec)
            _sessions(course, spec, trainer)


def _course(index: Page, spec: dict) -> CoursePage:
    topics = [
        Topic.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
        for name in spec["topics"]
    ]
    course = CoursePage(
        title=spec["title"],
        slug=slugify(spec["title"]),
        summary=spec["summary"],
        learning_outcomes="<ul>" + "".join(f"<li>{o}</li>" for o in spec["outcomes"]) + "</ul>",
        length=spec["length"],
        cpd_hours=spec["cpd"],
        delivery=spec["delivery"],
    )
    course.topics = topics
    for audience in Audience.values:
        price = spec["prices"].get(audience)
        course.audiences.add(
            CourseAudience(audience=audience, may_book=price is not None, price_pence=price or 0)
        )
    index.add_child(instance=course)
    return course


def _sessions(course: CoursePage, spec: dict, trainer) -> None:
    today = timezone.localdate()
    # The localities the migrations made (an online session's is Online), found by slug.
    localities = {locality.slug: locality for locality in Locality.objects.all()}
    for days_ahead, locality, capacity, taken in spec["sessions"]:
        day = today + timedelta(days=days_ahead)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        starts = timezone.make_aware(datetime.combine(day, time(9, 30)))
        session = Session.objects.create(
            course=course,
            starts_at=starts,
            ends_at=starts + timedelta(hours=spec["hours"]),
            online=locality is None,
            venue=VENUES[locality] if locality else "",
            locality=localities.get(locality or "online"),
            joining_link="https://meet.example.org.uk/training/" + course.slug
            if not locality
            else "",
            joining_instructions="Join five minutes early to check your sound and camera."
            if not locality
            else "",
            capacity=capacity,
            booking_closes_at=starts - timedelta(days=1),
        )
        if trainer:
            session.trainers.add(trainer)
        _demo_bookings(session, taken)


def _demo_bookings(session: Session, taken: int) -> None:
    """Made-up attendees (no accounts, no emails sent) so that some sessions look nearly full."""
    for n in range(taken):
        booking = Booking.objects.create(
            session=session,
            status=HoldingStatus.CONFIRMED,
            quantity=1,
            reference=services.unique_reference(),
            booked_by=User.objects.get(email="admin@portal.example.org.uk"),
            audience=Audience.COUNCIL_STAFF,
        )
        Attendee.objects.create(
            booking=booking,
            session=session,
            name=f"Demo attendee {n + 1}",
            email=f"attendee{n + 1}.session{session.pk}@example.org.uk",
        )
