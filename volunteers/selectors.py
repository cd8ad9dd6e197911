"""Reads of volunteering that are reused: what staff may see, requirements, training."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db.models import Q, QuerySet

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


def courses_attended(user, courses: list) -> set[int]:
    """The ids of those courses this person attended (marked present or late on a register
    of one of their sessions)."""
    from courses.models import Attendee, Session

    if not courses:
        return set()
    from django.contrib.contenttypes.models import ContentType

    attendees = Attendee.objects.filter(user=user, session__course__in=courses)
    marks = AttendanceMark.objects.filter(
        occurrence_type=ContentType.objects.get_for_model(Session),
        person_type=ContentType.objects.get_for_model(Attendee),
        person_id__in=attendees.values("pk"),
        status__in=ATTENDED,
    )
    attended_sessions = marks.values("occurrence_id")
    return set(
        attendees.filter(session_id__in=attended_sessions).values_list(
            "session__course_id", flat=True
        )
    )


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
