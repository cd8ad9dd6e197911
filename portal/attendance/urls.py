"""Public attendance URLs (certificates, feedback)."""

app_name = "attendance"
urlpatterns: list = []
