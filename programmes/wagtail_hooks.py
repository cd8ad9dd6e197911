"""The programmes menu item and URLs in the staff area (see admin_views)."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

import portal.identifiers  # noqa: F401 - registers the strict converters
from portal.outcomes.views import staff_answers

from . import admin_views, selectors
from .outcomes import SUBJECT_KEY


@hooks.register("register_admin_urls")
def register_programme_urls():
    return [
        path("programmes/", admin_views.cohorts, name="programmes_cohorts"),
        path("programmes/new/", admin_views.new_cohort, name="programmes_new_cohort"),
        path("programmes/<int:pk>/", admin_views.cohort_detail, name="programmes_cohort"),
        path("programmes/<int:pk>/offer/", admin_views.offer, name="programmes_offer"),
        path("programmes/<int:pk>/edit/", admin_views.edit_cohort, name="programmes_edit_cohort"),
        path(
            "programmes/<int:pk>/cancel/",
            admin_views.cancel_cohort,
            name="programmes_cancel_cohort",
        ),
        path(
            "programmes/<int:pk>/assess/",
            admin_views.assess_referral,
            name="programmes_assess_referral",
        ),
        path(
            "programmes/<int:pk>/weeks/<int:session_pk>/",
            admin_views.move_session,
            name="programmes_move_session",
        ),
        path(
            "programmes/places/<int:pk>/", admin_views.enrolment_detail, name="programmes_enrolment"
        ),
        path("programmes/places/<int:pk>/assess/", admin_views.assess, name="programmes_assess"),
        path(
            "programmes/places/<int:pk>/answer/", admin_views.answer, name="programmes_answer_phone"
        ),
        path(
            "programmes/places/<int:pk>/apologies/",
            admin_views.apologies,
            name="programmes_staff_apologies",
        ),
        path(
            "programmes/places/<int:pk>/withdraw/",
            admin_views.withdraw,
            name="programmes_staff_withdraw",
        ),
        path(
            "programmes/places/<int:pk>/questions/<occasion:occasion>/",
            staff_answers,
            {"subject_key": SUBJECT_KEY},
            name="programmes_staff_questions",
        ),
        path("programmes/check-ins/", admin_views.check_ins, name="programmes_check_ins"),
        path(
            "programmes/check-ins/<int:pk>/",
            admin_views.check_in_detail,
            name="programmes_check_in",
        ),
        path(
            "programmes/check-ins/<int:pk>/attempt/",
            admin_views.log_attempt,
            name="programmes_check_in_attempt",
        ),
    ]


class ProgrammesMenuItem(MenuItem):
    def is_shown(self, request):
        return selectors.works_on_programmes(request.user)


@hooks.register("register_admin_menu_item")
def programmes_menu_item():
    return ProgrammesMenuItem(
        "Programmes", reverse("programmes_cohorts"), icon_name="group", order=207
    )


@hooks.register("referral_links")
def referral_enrolment_links(request, referral) -> list[tuple[str, str]]:
    """A referral's places, for those who run the cohorts (the place screen is theirs)."""
    enrolments = selectors.enrolments_visible_to(request.user).filter(referral=referral)
    return [
        (
            f"Place in {e.cohort}: {e.get_status_display().lower()}",
            reverse("programmes_enrolment", args=[e.pk]),
        )
        for e in enrolments.order_by("requested_at")
        if selectors.may_coordinate(request.user, e.cohort)
    ]
