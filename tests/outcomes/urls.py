"""The site's URLs with the person's own questionnaire mounted for the test subject (tests
mark themselves `pytest.mark.urls("tests.outcomes.urls")`)."""

from django.urls import path

import portal.identifiers  # noqa: F401 - registers the strict converters
from portal.outcomes import views
from portal.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    path(
        "test-members/<int:pk>/questions/<occasion:occasion>/",
        views.own_answers,
        {"subject_key": "outcomes_subject.member"},
        name="test_member_own_answers",
    ),
    *site_urlpatterns,
]
