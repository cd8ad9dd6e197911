"""Public-site URLs that are not Wagtail pages (search, feeds)."""

from django.urls import path

from cms import views

app_name = "cms"
urlpatterns = [
    path("search/", views.search, name="search"),
    path("calendars/drop-ins.ics", views.drop_ins_feed, name="drop_ins_feed"),
]
