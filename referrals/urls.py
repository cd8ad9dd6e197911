from django.urls import path

import portal.identifiers  # noqa: F401 - registers the converters

from . import views

app_name = "referrals"
urlpatterns = [
    path("", views.ask_for_support, name="ask"),
    path("professional/", views.professional_referral, name="professional"),
    path("made/<referral_ref:reference>/", views.referral_made, name="made"),
]
