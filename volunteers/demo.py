"""Demo volunteering for seed_demo: the "Volunteer with us" page with five roles, applicants
at every stage of the pipeline (with references, notes and DBS records where they have got
that far) and active volunteers. Safe to run again: what exists is left as it is.

Every demo applicant signs in with the demo password (volunteer.<stage>@example.com)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from portal import demo as portal_demo
from portal.accounts.models import User
from portal.localities import Locality, StaffAssignment
from volunteers import services
from volunteers.models import (
    Application,
    Shift,
    SignUpMode,
    Stage,
    VolunteerIndexPage,
    VolunteerRolePage,
)

AWARENESS_COURSE = "domestic-abuse-awareness-level-1"
ROLES = [
    {
        "title": "Drop-in support volunteer",
        "summary": "Welcome people at our weekly drop-ins and help them find the right support.",
        "involves": "<p>Greeting people, making them comfortable, listening, and passing "
        "them to a support worker. You never work alone.</p>",
        "time": "One morning or afternoon a week, for at least six months",
        "localities": ["north", "central", "south"],
        "dbs": "enhanced",
        "courses": [AWARENESS_COURSE],
        "refresher_months": 12,
        "supervision": True,
    },
    {
        "title": "Helpline support volunteer",
        "summary": "Answer the helpline alongside a trained worker.",
        "involves": "<p>Taking calls, giving information about services, and recording "
        "what the caller agrees to. A debrief with a supervisor ends every shift.</p>",
        "time": "One four-hour shift a week",
        "localities": ["online"],
        "dbs": "enhanced",
        "courses": [AWARENESS_COURSE],
        "refresher_months": 12,
        "supervision": True,
    },
    {
        "title": "Peer mentor",
        "summary": "Use your own experience to walk alongside someone rebuilding their life.",
        "involves": "<p>Meeting a survivor regularly in a safe public place, for up to a "
        "year, with monthly supervision.</p>",
        "time": "Two hours a week",
        "localities": ["north", "central", "south"],
        "dbs": "enhanced",
        "courses": [AWARENESS_COURSE],
        "supervision": False,
    },
    {
        "title": "Events and awareness volunteer",
        "summary": "Help run stalls and talks during awareness campaigns.",
        "involves": "<p>Setting up stalls, handing out information, talking to the public "
        "about where to find help.</p>",
        "time": "A few days a year, mostly around the 16 Days of Action",
        "localities": ["north", "central", "south"],
        "dbs": "basic",
        "courses": [],
        "supervision": False,
    },
    {
        "title": "Office support volunteer",
        "summary": "Keep the service running: post, packs and data entry.",
        "involves": "<p>Preparing information packs, entering data, answering general "
        "enquiries. No contact with people using the service.</p>",
        "time": "Half a day a week",
        "localities": ["central"],
        "dbs": "basic",
        "courses": [],
        "supervision": False,
    },
]
# (who, stage, role index, locality, days in stage).
APPLICANTS = [
    ("Dana", "Draft", Stage.DRAFT, 0, "north", 2),
    ("Amir", "Applied", Stage.APPLIED, 0, "north", 8),
    ("Sara", "Screening", Stage.SCREENING, 3, "central", 2),
    ("Ivan", "Interview", Stage.INTERVIEW, 2, "south", 20),
    ("Rhea", "References", Stage.REFERENCES, 4, "central", 3),
    ("Dev", "Checks", Stage.DBS, 0, "south", 10),
    ("Tara", "Training", Stage.TRAINING, 1, "north", 5),
    ("Gail", "Agreement", Stage.AGREEMENT, 3, "north", 1),
    ("Hal", "Held", Stage.ON_HOLD, 0, "central", 30),
    ("Nell", "Closed", Stage.NOT_PROGRESSED, 4, "south", 40),
    ("Will", "Withdrew", Stage.WITHDRAWN, 3, "north", 12),
    ("Ava", "Active", Stage.ACTIVE, 0, "north", 90),
    ("Ben", "Active", Stage.ACTIVE, 1, "central", 200),
    ("Cleo", "Active", Stage.ACTIVE, 3, "south", 400),
    ("Omar", "Stepped", Stage.STEPPED_DOWN, 0, "central", 15),
]
REFERENCE_ANSWERS = {
    "known_for": "Four years, as their line manager.",
    "suitability": "Calm, reliable and kind.",
    "concerns": "",
    "recommends": True,
}


def seed() -> None:
    from cms.models import HomePage

    home = HomePage.objects.first()
    if home is None:
        return
    roles = _roles(home)
    coordinator = User.objects.filter(groups__name="Volunteer coordinator").first()
    if coordinator is not None:
        for locality in Locality.objects.all():
            StaffAssignment.objects.get_or_create(user=coordinator, locality=locality)
    for first, last, stage, role, locality, days in APPLICANTS:
        email = f"volunteer.{first.lower()}@example.com"
        if Application.objects.filter(user__email=email).exists():
            continue
        user = portal_demo._person(email, first, last)
        _application(user, stage, roles[role], locality, coordinator)
        Application.objects.filter(user=user).update(
            stage_entered_at=timezone.now() - timedelta(days=days)
        )
    _shifts(roles, coordinator)


# (role index, locality, weekday from Monday, start hour, hours, places, sign-up).
WEEKLY_SHIFTS = [
    (0, "north", 1, 10, 3, 3, SignUpMode.INSTANT),
    (1, "central", 3, 14, 4, 2, SignUpMode.APPROVAL),
    (3, "south", 4, 9, 3, 2, SignUpMode.INSTANT),
]
SHIFT_WEEKS = 6


def _shifts(roles: list[VolunteerRolePage], coordinator) -> None:
    """Weekly upcoming shifts for the active volunteers' roles, with them signed up where
    they hold what the role needs (a demo volunteer made active by override may not)."""
    from volunteers.services import shifts

    if coordinator is None or Shift.objects.exists():
        return
    today = timezone.localdate()
    for role, locality, weekday, hour, hours, places, sign_up in WEEKLY_SHIFTS:
        day = today + timedelta(days=(weekday - today.weekday()) % 7 or 7)
        starts = timezone.make_aware(timezone.datetime(day.year, day.month, day.day, hour))
        made = shifts.create_shifts(
            by=coordinator,
            capacity=places,
            weeks=SHIFT_WEEKS,
            role=roles[role],
            locality=Locality.objects.get(slug=locality),
            starts_at=starts,
            ends_at=starts + timedelta(hours=hours),
            sign_up=sign_up,
            sign_up_closes_at=starts - timedelta(hours=24),
            venue=f"{locality.title()} Community Hub",
        )
        volunteers = Application.objects.filter(
            stage=Stage.ACTIVE, roles=roles[role], localities__slug=locality
        )
        for application in volunteers:
            for shift in made[::2]:
                try:
                    shifts.sign_up(shift, application)
                except shifts.ShiftError:
                    break


def _roles(home) -> list[VolunteerRolePage]:
    from courses.models import CoursePage

    index = VolunteerIndexPage.objects.first()
    if index is None:
        index = home.add_child(
            instance=VolunteerIndexPage(
                title="Volunteer with us",
                slug="volunteer-with-us",
                intro="<p>Volunteers work alongside our staff to support people affected by "
                "domestic abuse. We train you, support you and cover agreed expenses.</p>",
            )
        )
    pages = []
    for spec in ROLES:
        page = VolunteerRolePage.objects.filter(title=spec["title"]).first()
        if page is None:
            page = index.add_child(
                instance=VolunteerRolePage(
                    title=spec["title"],
                    summary=spec["summary"],
                    involves=spec["involves"],
                    time_commitment=spec["time"],
                    dbs_level=spec["dbs"],
                    supervision_required=spec["supervision"],
                    training_valid_months=spec.get("refresher_months"),
                )
            )
            page.localities.set(Locality.objects.filter(slug__in=spec["localities"]))
            page.required_courses.set(CoursePage.objects.filter(slug__in=spec["courses"]))
            page.save_revision().publish()
        pages.append(page)
    return pages


def _application(user, stage: str, role, locality: str, coordinator) -> None:
    application = services.draft_for(user)
    services.save_draft(
        application,
        {
            "phone": "07700 900" + str(100 + user.pk % 800),
            "postcode": "RV1 2AB",
            "localities": list(Locality.objects.filter(slug=locality)),
            "availability": ["tue-morning", "thu-afternoon"],
            "roles": [role],
            "experience": "Volunteered at a food bank for two years.",
            "motivation": "I want to give something back to my community.",
            "agrees_to_policies": True,
            "referee_1_name": f"{user.first_name}'s first referee",
            "referee_1_email": f"referee1.{user.first_name.lower()}@example.org",
            "referee_1_relationship": "Former manager",
            "referee_2_name": f"{user.first_name}'s second referee",
            "referee_2_email": f"referee2.{user.first_name.lower()}@example.org",
            "referee_2_relationship": "Friend of ten years",
        },
    )
    if stage == Stage.DRAFT:
        return
    application = services.submit(application)
    if stage == Stage.APPLIED:
        return
    closing = {
        Stage.ON_HOLD: "Moving house; will be back in touch next month.",
        Stage.NOT_PROGRESSED: "Not available at the times the role needs.",
    }
    if stage in closing:
        services.move(application, stage, by=coordinator, reason=closing[stage])
        return
    if stage == Stage.WITHDRAWN:
        services.withdraw(application, by=user)
        return
    for step in (Stage.SCREENING, Stage.INTERVIEW, Stage.REFERENCES):
        application = services.move(application, step, by=coordinator)
        if step == Stage.INTERVIEW:
            services.add_note(application, by=coordinator, text="Screening call went well.")
        if application.stage == stage:
            return
    for reference in application.references.all():
        services.answer_reference(reference.token, REFERENCE_ANSWERS)
    application.refresh_from_db()
    if application.stage == stage:
        return
    services.record_dbs(
        application,
        by=coordinator,
        level=role.dbs_level,
        certificate_number=f"0012{user.pk:08d}",
        issued_on=timezone.localdate() - timedelta(days=300 if stage == Stage.ACTIVE else 20),
        update_service=stage == Stage.ACTIVE,
        outcome="clear",
    )
    application.refresh_from_db()
    if application.stage == stage:
        return
    if application.stage == Stage.AGREEMENT:
        services.sign_agreement(application)
    else:
        services.override_to_active(
            application,
            by=coordinator,
            reason="Completed the awareness course with our previous training provider.",
        )
    if stage == Stage.STEPPED_DOWN:
        services.step_down(application, by=user, reason="Starting a new job with longer hours.")
