"""Public-site URLs that are not Wagtail pages (search, feeds)."""

urlpatterns: list = []
