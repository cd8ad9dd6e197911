from django.urls import path

from . import views

app_name = "referrals"
urlpatterns = [
    path("", views.ask_for_support, name="ask"),
    path("professional/", views.professional_referral, name="professional"),
]
