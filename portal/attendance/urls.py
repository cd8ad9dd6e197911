"""Public attendance URLs (certificates, feedback)."""

from django.urls import path

from portal import identifiers  # noqa: F401 - registers the strict converters
from portal.attendance import views

app_name = "attendance"
urlpatterns = [
    path("certificates/<int:pk>/", views.my_certificate, name="my_certificate"),
    path(
        "certificates/link/<signed:token>/", views.certificate_by_link, name="certificate_by_link"
    ),
    path(
        "certificates/series/<int:pk>/", views.my_series_certificate, name="my_series_certificate"
    ),
    path(
        "certificates/series/link/<signed:token>/",
        views.series_certificate_by_link,
        name="series_certificate_by_link",
    ),
    path("certificates/verify/<certificate_ref:reference>/", views.verify, name="verify"),
    path("feedback/<signed:token>/", views.feedback, name="feedback"),
]
