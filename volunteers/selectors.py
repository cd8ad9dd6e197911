"""Reads of volunteering that are reused: what staff may see, requirements, training."""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import Group
from django.db.models import Q, QuerySet
from django.utils import timezone

from portal import scope
from portal.attendance.models import ATTENDED, AttendanceMark
from volunteers.models import (
    CLOSED,
    DBS_ORDER,
    Application,
    Stage,
    VolunteerRolePage,
)

COORDINATOR_ROLE = "Volunteer coordinator"
VIEW_PERMISSION = "volunteers.view_application"
CHANGE_PERMISSION = "volunteers.change_application"
LIVED_EXPERIENCE_PERMISSION = "volunteers.view_lived_experience"


def applications_visible_to(user) -> QuerySet[Application]:
    """The submitted applications this member of staff may see: those wanting to volunteer
    in one of their localities (or assigned to them one by one); none without the
    volunteers' view permission (volunteer coordinators and superusers hold it)."""
    if not user.is_authenticated or not user.has_perm(VIEW_PERMISSION):
        return Application.objects.none()
    submitted = Application.objects.exclude(stage=Stage.DRAFT)
    in_their_localities = Q(
        pk__in=Application.objects.filter(localities__in=scope.locality_ids(user)).values("pk")
    )
    return scope.visible(submitted, user, locality=None, extra=in_their_localities)


def applications_in_figures_of(user) -> QuerySet[Application]:
    """The submitted applications counted in the reports this person sees: the whole
    service for a superuser or a commissioner (figures only), else those visible to them.
    Anonymised ones stay in: retention keeps their rows to be counted."""
    if scope.sees_all_figures(user):
        return Application.objects.exclude(stage=Stage.DRAFT)
    return applications_visible_to(user)


def sees_lived_experience(user) -> bool:
    return user.has_perm(LIVED_EXPERIENCE_PERMISSION)


def open_application_of(user) -> Application | None:
    """The person's application that is not closed (drafts included), if any."""
    if not user.is_authenticated:
        return None
    return Application.objects.filter(user=user).exclude(stage__in=CLOSED).first()


def applications_of(user) -> QuerySet[Application]:
    return (
        Application.objects.filter(user=user)
        if user.is_authenticated
        else Application.objects.none()
    )


def roles_of(application: Application) -> list[VolunteerRolePage]:
    return list(application.roles.all())


def required_dbs_level(application: Application) -> str | None:
    """The highest DBS level of the roles applied for (None: no role needs one)."""
    levels = [role.dbs_level for role in application.roles.all() if role.dbs_level]
    return max(levels, key=DBS_ORDER.index) if levels else None


def required_courses(application: Application) -> list:
    """The courses the roles applied for require, each once, in title order."""
    from courses.models import CoursePage

    return list(
        CoursePage.objects.filter(volunteer_roles__in=application.roles.all())
        .distinct()
        .order_by("title")
    )


def courses_attended(user, courses: list) -> dict[int, date]:
    """For each of those courses this person attended (marked present or late on a register
    of one of its sessions), the day of the latest such session."""
    from django.contrib.contenttypes.models import ContentType

    from courses.models import Attendee, Session

    if not courses:
        return {}
    attendees = Attendee.objects.filter(user=user, session__course__in=courses)
    marks = AttendanceMark.objects.filter(
        occurrence_type=ContentType.objects.get_for_model(Session),
        person_type=ContentType.objects.get_for_model(Attendee),
        person_id__in=attendees.values("pk"),
        status__in=ATTENDED,
    )
    latest: dict[int, date] = {}
    for course_id, starts_at in attendees.filter(pk__in=marks.values("person_id")).values_list(
        "session__course_id", "session__starts_at"
    ):
        day = timezone.localtime(starts_at).date()
        latest[course_id] = max(day, latest.get(course_id, day))
    return latest


@dataclass(frozen=True)
class TrainingStatus:
    course: object  # courses.CoursePage
    attended_on: date | None
    valid_until: date | None  # None: it never needs doing again

    def lapsed(self, today: date) -> bool:
        return self.valid_until is not None and today > self.valid_until

    def done(self, today: date) -> bool:
        return self.attended_on is not None and not self.lapsed(today)


def training_status(application: Application) -> list[TrainingStatus]:
    """Each course the roles applied for require: when it was last attended, and until when
    that counts (the shortest `training_valid_months` of the roles requiring it)."""
    courses = required_courses(application)
    attended = courses_attended(application.user, courses)
    months: dict[int, int] = {}
    for role in application.roles.prefetch_related("required_courses"):
        if role.training_valid_months:
            for course in role.required_courses.all():
                months[course.pk] = min(months.get(course.pk, 10**4), role.training_valid_months)
    statuses = []
    for course in courses:
        on = attended.get(course.pk)
        until = _add_months(on, months[course.pk]) if on and course.pk in months else None
        statuses.append(TrainingStatus(course, on, until))
    return statuses


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))


def coordinators_for(application: Application) -> list:
    """The volunteer coordinators to tell about this application: those assigned to one of
    its localities, or every volunteer coordinator when none is."""
    group = Group.objects.filter(name=COORDINATOR_ROLE).first()
    if group is None:
        return []
    everyone = group.user_set.filter(is_active=True)
    assigned = everyone.filter(
        staff_assignments__locality__in=application.localities.all()
    ).distinct()
    return list(assigned) or list(everyone)


# Shifts (volunteers.models.shifts).

SHIFT_VIEW_PERMISSION = "volunteers.view_shift"
SHIFT_CHANGE_PERMISSION = "volunteers.change_shift"


def shifts_visible_to(user) -> QuerySet:
    """The shifts this member of staff may see: those in their localities or assigned to
    them one by one; none without the shift view permission (volunteer coordinators)."""
    from volunteers.models import Shift

    if not user.is_authenticated or not user.has_perm(SHIFT_VIEW_PERMISSION):
        return Shift.objects.none()
    return scope.visible(Shift.objects.all(), user)


def active_application_of(user) -> Application | None:
    if not user.is_authenticated:
        return None
    return Application.objects.filter(user=user, stage=Stage.ACTIVE).first()


def requirements_missing(application: Application, role, on_day: date) -> str | None:
    """Why this volunteer may not do a shift of `role` on `on_day` (fit to show them), or
    None: active, holding the role, a satisfactory DBS check at the role's level still valid
    that day, and the role's required courses attended (and not lapsed by then)."""
    from volunteers.models import DBSCheck, dbs_satisfies

    if application.stage != Stage.ACTIVE:
        return "Only active volunteers can sign up for shifts."
    if not application.roles.filter(pk=role.pk).exists():
        return "This shift is for a role you do not hold."
    if role.dbs_level:
        check = DBSCheck.objects.filter(application=application).first()
        held = check is not None and check.satisfactory and check.level
        if not held or not dbs_satisfies(check.level, role.dbs_level):
            return f"This shift needs a {role.get_dbs_level_display().lower()} DBS check."
        if on_day > check.renewal_due_on:
            return "Your DBS check needs renewing before this shift. Ask your coordinator."
    courses = list(role.required_courses.all())
    attended = courses_attended(application.user, courses)
    for course in courses:
        on = attended.get(course.pk)
        lapsed = (
            on is not None
            and role.training_valid_months
            and on_day > _add_months(on, role.training_valid_months)
        )
        if on is None or lapsed:
            return f"This shift needs the training “{course.title}” first."
    return None


def shifts_open_to(application: Application, now=None) -> list:
    """Upcoming shifts taking sign-ups that this volunteer may do, with `taken` places."""
    from portal.places import with_places_taken
    from volunteers.models import Shift

    now = now or timezone.now()
    if application.stage != Stage.ACTIVE:
        return []
    shifts = with_places_taken(
        Shift.objects.filter(
            cancelled_at__isnull=True,
            sign_up_closes_at__gt=now,
            role__in=application.roles.all(),
        ).select_related("role", "locality")
    )
    reasons: dict[tuple[int, date], str | None] = {}
    open_to_them = []
    for shift in shifts:
        key = (shift.role_id, timezone.localtime(shift.starts_at).date())
        if key not in reasons:
            reasons[key] = requirements_missing(application, shift.role, key[1])
        if reasons[key] is None:
            open_to_them.append(shift)
    return open_to_them


def signups_of(user, *, upcoming: bool = True) -> QuerySet:
    """The person's shift places, requests, offers and waiting entries."""
    from portal.places import ACTIVE
    from volunteers.models import ShiftSignup

    signups = ShiftSignup.objects.filter(
        application__user=user, status__in=ACTIVE, shift__cancelled_at__isnull=True
    ).select_related("shift__role", "shift__locality")
    if upcoming:
        signups = signups.filter(shift__ends_at__gt=timezone.now())
    return signups.order_by("shift__starts_at", "pk")


def at_risk_shifts(user, now=None) -> QuerySet:
    """Visible shifts starting within VOLUNTEER_SHIFT_AT_RISK_DAYS with free places."""
    from datetime import timedelta

    from django.conf import settings
    from django.db.models import F

    from portal.places import with_places_taken

    now = now or timezone.now()
    soon = now + timedelta(days=settings.VOLUNTEER_SHIFT_AT_RISK_DAYS)
    return (
        with_places_taken(
            shifts_visible_to(user).filter(
                cancelled_at__isnull=True, starts_at__gt=now, starts_at__lte=soon
            )
        )
        .filter(taken__lt=F("capacity"))
        .select_related("role", "locality")
        .order_by("starts_at", "pk")
    )
