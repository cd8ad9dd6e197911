"""Builders for volunteering tests: the "Volunteer with us" page and roles, and applications
at any stage (through the services, as an applicant and a coordinator would get there)."""

from __future__ import annotations

from wagtail.models import Page

from portal.localities import Locality
from tests.attendance import factories as course_factories
from tests.factories import UserFactory
from volunteers import services
from volunteers.models import Application, Stage, VolunteerIndexPage, VolunteerRolePage

ANSWERS = {
    "phone": "07700 900123",
    "postcode": "RV1 2AB",
    "availability": ["mon-morning", "wed-evening"],
    "experience": "Five years on a listening line.",
    "motivation": "I want to help people feel less alone.",
    "lived_experience": "A private story",
    "conflicts_of_interest": "",
    "agrees_to_policies": True,
    "referee_1_name": "Rita Referee",
    "referee_1_email": "rita@example.org",
    "referee_1_relationship": "Former manager",
    "referee_2_name": "Rob Referee",
    "referee_2_email": "rob@example.org",
    "referee_2_relationship": "Tutor",
}


def roles(home: Page | None = None) -> dict:
    """The index page and two roles: drop-in support (North, enhanced DBS, one required
    course, supervision) and office support (South, basic DBS, no course)."""
    home = home or Page.get_first_root_node().add_child(
        instance=Page(title="Home", slug="volunteer-tests")
    )
    index = home.add_child(
        instance=VolunteerIndexPage(title="Volunteer with us", slug="volunteer-with-us")
    )
    course = course_factories.course(home, title="Safeguarding for volunteers")
    north, south = Locality.objects.get(slug="north"), Locality.objects.get(slug="south")
    drop_in = index.add_child(
        instance=VolunteerRolePage(
            title="Drop-in support volunteer",
            slug="drop-in-support",
            summary="Welcome people at drop-ins.",
            involves="<p>Listening, making tea.</p>",
            time_commitment="One morning a week",
            dbs_level="enhanced",
            supervision_required=True,
        )
    )
    drop_in.localities.set([north])
    drop_in.required_courses.set([course])
    drop_in.save_revision().publish()
    office = index.add_child(
        instance=VolunteerRolePage(
            title="Office support volunteer",
            slug="office-support",
            summary="Help in the office.",
            involves="<p>Filing.</p>",
            time_commitment="Two hours a week",
            dbs_level="basic",
        )
    )
    office.localities.set([south])
    office.save_revision().publish()
    return {"index": index, "drop_in": drop_in, "office": office, "course": course, "home": home}


def submitted(user=None, *, role, locality="north", **answers) -> Application:
    user = user or UserFactory()
    application = services.draft_for(user)
    services.save_draft(
        application,
        {
            **ANSWERS,
            "roles": [role],
            "localities": [Locality.objects.get(slug=locality)],
            **answers,
        },
    )
    return services.submit(application)


def at_stage(stage: str, *, role, coordinator, user=None, locality="north") -> Application:
    """An application moved by hand as far as `stage` (up to references)."""
    application = submitted(user, role=role, locality=locality)
    for step in (Stage.SCREENING, Stage.INTERVIEW, Stage.REFERENCES):
        if application.stage == stage:
            break
        application = services.move(application, step, by=coordinator)
    assert application.stage == stage
    return application


def active(
    *, role, coordinator, user=None, locality="north", dbs_issued_on=None, update_service=False
) -> Application:
    """An active volunteer (made so by override: the evidence is beside the point here),
    with a clear DBS record issued on `dbs_issued_on` (none without it)."""
    application = at_stage(
        Stage.INTERVIEW, role=role, coordinator=coordinator, user=user, locality=locality
    )
    application = services.override_to_active(application, by=coordinator, reason="Test set-up")
    if dbs_issued_on:
        services.record_dbs(
            application,
            by=coordinator,
            level=role.dbs_level,
            certificate_number="001234567890",
            issued_on=dbs_issued_on,
            update_service=update_service,
            outcome="clear",
        )
    return application


def coordinator(localities=("north",)):
    return UserFactory(roles=["Volunteer coordinator"], localities=list(localities))


def shift(role, *, locality="north", starts_in_days=3, hours=3, capacity=2, **fields):
    """A shift of `role` starting `starts_in_days` from now at 10:00 (local)."""
    from datetime import timedelta

    from django.utils import timezone

    from volunteers.models import Shift, SignUpMode

    day = timezone.localdate() + timedelta(days=starts_in_days)
    starts = timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 10))
    return Shift.objects.create(
        role=role,
        locality=Locality.objects.get(slug=locality),
        starts_at=starts,
        ends_at=starts + timedelta(hours=hours),
        capacity=capacity,
        sign_up=fields.pop("sign_up", SignUpMode.INSTANT),
        sign_up_closes_at=fields.pop("sign_up_closes_at", starts - timedelta(hours=12)),
        venue=fields.pop("venue", "Northgate Community Hub"),
        **fields,
    )


def cleared(*, role, coordinator, user=None, locality="north") -> Application:
    """An active volunteer holding everything `role` needs: a clear DBS at its level issued
    last year and its required courses attended."""
    from datetime import timedelta

    from django.utils import timezone

    application = active(
        role=role,
        coordinator=coordinator,
        user=user,
        locality=locality,
        dbs_issued_on=timezone.localdate() - timedelta(days=365),
    )
    for course in role.required_courses.all():
        attend(course, application.user)
    return application


def attend(course, user, *, days_ago=1):
    """`user` marked present at a session of `course` held `days_ago`."""
    from datetime import timedelta

    from portal.attendance import services as attendance

    trainer = UserFactory(roles=["Trainer"])
    session = course_factories.session(
        course, trainers=[trainer], starts_in=timedelta(days=-days_ago)
    )
    booking = course_factories.booking(session, user)
    attendance.mark(session, booking.attendees.get(), "present", by=trainer)
