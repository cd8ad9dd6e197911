"""The referrals menu item and URLs in the staff area (see admin_views)."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views, helpline, selectors


@hooks.register("register_admin_urls")
def register_referral_urls():
    return [
        path("referrals/", admin_views.queue, name="referrals_queue"),
        path("referrals/<int:pk>/", admin_views.detail, name="referrals_detail"),
        path("referrals/<int:pk>/attempt/", admin_views.log_attempt, name="referrals_attempt"),
        path("referrals/<int:pk>/outcome/", admin_views.decide, name="referrals_decide"),
        path("referrals/<int:pk>/handover/", admin_views.hand_over, name="referrals_handover"),
        path("referrals/<int:pk>/close/", admin_views.close_case, name="referrals_close"),
        path("referrals/<int:pk>/note/", admin_views.add_note, name="referrals_note"),
        path("referrals/<int:pk>/review/", admin_views.senior_review, name="referrals_review"),
        path(
            "referrals/<int:pk>/person/",
            admin_views.subject_request,
            name="referrals_subject_request",
        ),
        path("referrals/calls/", helpline.calls, name="referrals_calls"),
        path("referrals/calls/<int:pk>/", helpline.advice_detail, name="referrals_advice"),
        path("referrals/calls/advice/", helpline.record_advice, name="referrals_call_advice"),
        path("referrals/calls/referral/", helpline.record_referral, name="referrals_call_referral"),
    ]


class ReferralsMenuItem(MenuItem):
    def is_shown(self, request):
        user = request.user
        return user.has_perm(selectors.TRIAGE) or user.has_perm(selectors.WORK_ON)


@hooks.register("register_admin_menu_item")
def referrals_menu_item():
    return ReferralsMenuItem("Referrals", reverse("referrals_queue"), icon_name="form", order=205)


class HelplineMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(selectors.RECORD_CALLS)


@hooks.register("register_admin_menu_item")
def helpline_menu_item():
    return HelplineMenuItem(
        "Helpline calls", reverse("referrals_calls"), icon_name="mail", order=206
    )
