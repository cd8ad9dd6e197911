from django.urls import path

from portal import identifiers  # noqa: F401 - registers the strict converters
from volunteers import shift_views, views

app_name = "volunteers"
urlpatterns = [
    path("apply/", views.apply, name="apply"),
    path("applications/<int:pk>/", views.application, name="application"),
    path("applications/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("applications/<int:pk>/step-down/", views.step_down, name="step_down"),
    path("applications/<int:pk>/my-data/", views.my_data, name="my_data"),
    path("applications/<int:pk>/agreement/", views.sign_agreement, name="sign_agreement"),
    path("applications/<int:pk>/equality/", views.equality, name="equality"),
    path("shifts/", shift_views.shift_list, name="shifts"),
    path("shifts/<int:pk>/sign-up/", shift_views.sign_up, name="shift_sign_up"),
    path("shifts/places/<int:pk>/cancel/", shift_views.cancel, name="shift_cancel"),
    path("shifts/places/<int:pk>/offer/", shift_views.answer_offer, name="shift_offer"),
    path("reference/<token:token>/", views.reference, name="reference"),
]
