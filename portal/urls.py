from django.conf import settings
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms.views import sitemap  # Wagtail's, with the public cache policy
from portal import (
    identifiers,  # noqa: F401 - registers the strict converters
    views,
)
from portal.accounts import views as account_views
from portal.calendars import views as calendar_views
from portal.contact import views as contact_views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("exit/", views.exit_page, name="exit_page"),
    path("accounts/profile/", views.my_account, name="my_account"),
    path("accounts/contact/", contact_views.edit_own_plan, name="my_contact_plan"),
    path("accounts/name/", account_views.change_name, name="account_name"),
    path("accounts/calendar/renew/", calendar_views.renew_feed, name="renew_calendar_feed"),
    path("accounts/", include("allauth.urls")),
    # Staff sign in through allauth, which asks for the second factor; Wagtail's own sign-in
    # and password reset would skip it (and email anyone), so they lead there instead.
    path("admin/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path(
        "admin/password_reset/",
        RedirectView.as_view(pattern_name="account_reset_password", query_string=False),
    ),
    # Wagtail's front-end sign-in (where its login-protected pages would send people) is a
    # plain password form too: it leads to ours, as WAGTAIL_FRONTEND_LOGIN_URL does.
    path("_util/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("calendars/private/<token:token>.ics", calendar_views.personal_feed, name="calendar_feed"),
    path("training/", include("courses.urls")),
    path("appointments/", include("programmes.urls")),
    path("support/", include("referrals.urls")),
    path("volunteer/", include("volunteers.urls")),
    path("payments/", include("portal.payments.urls")),
    path("attendance/", include("portal.attendance.urls")),
    path("", include("cms.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page serving comes last: it answers every path nothing above claimed.
urlpatterns.append(path("", include(wagtail_urls)))

handler400 = "portal.views.bad_request"
handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
