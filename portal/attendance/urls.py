"""Public attendance URLs (certificates, feedback)."""

from django.urls import path

from portal.attendance import views

app_name = "attendance"
urlpatterns = [
    path("certificates/<int:pk>/", views.my_certificate, name="my_certificate"),
    path("certificates/link/<str:token>/", views.certificate_by_link, name="certificate_by_link"),
    path("certificates/verify/<str:reference>/", views.verify, name="verify"),
    path("feedback/<str:token>/", views.feedback, name="feedback"),
]
