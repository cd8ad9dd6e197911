"""Training URLs that are not Wagtail pages (booking, my bookings, calendar feeds)."""

app_name = "courses"
urlpatterns: list = []
