"""Builders for course tests (pages need Wagtail's tree, so plain functions, not factories)."""

from datetime import timedelta

from django.utils import timezone

from courses.models import (
    Audience,
    CourseAudience,
    CoursePage,
    Delivery,
    Session,
    Topic,
    TrainingIndexPage,
)
from portal.localities import Locality


def training_index(home_page) -> TrainingIndexPage:
    index = TrainingIndexPage.objects.first()
    if index is None:
        index = home_page.add_child(instance=TrainingIndexPage(title="Training", slug="training"))
    return index


def course(home_page, title="DA awareness", prices=None, topics=(), **fields) -> CoursePage:
    prices = {Audience.PUBLIC: 0, Audience.COUNCIL_STAFF: 0} if prices is None else prices
    page = CoursePage(
        title=title,
        summary=f"About {title}.",
        learning_outcomes="<p>Things.</p>",
        length="3 hours",
        cpd_hours=3,
        delivery=fields.pop("delivery", Delivery.IN_PERSON),
        **fields,
    )
    page.topics = [
        Topic.objects.get_or_create(slug=t.lower(), defaults={"name": t})[0] for t in topics
    ]
    for audience, price in prices.items():
        page.audiences.add(CourseAudience(audience=audience, price_pence=price))
    training_index(home_page).add_child(instance=page)
    return page


def session(course_page, *, capacity=10, days=10, online=False, **fields) -> Session:
    starts = fields.pop("starts_at", timezone.now() + timedelta(days=days))
    # Held in North (or Online) unless the test says where: who coordinates it follows.
    fields.setdefault("locality", Locality.objects.get(slug="online" if online else "north"))
    return Session.objects.create(
        course=course_page,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        online=online,
        venue="" if online else "Civic Centre, Riverside",
        joining_link="https://meet.example.org.uk/x" if online else "",
        capacity=capacity,
        **fields,
    )


def at_run_time(change: dict) -> dict:
    """Parametrized session changes give times as offsets from now (a timedelta), turned into
    times when the test runs, not when the module was collected (possibly much earlier)."""
    now = timezone.now()
    return {k: now + v if isinstance(v, timedelta) else v for k, v in change.items()}
