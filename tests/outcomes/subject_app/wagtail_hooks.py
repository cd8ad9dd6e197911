from django.urls import path
from wagtail import hooks

import portal.identifiers  # noqa: F401 - registers the strict converters
from portal.outcomes import views


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "test-members/<int:pk>/questions/<occasion:occasion>/",
            views.staff_answers,
            {"subject_key": "outcomes_subject.member"},
            name="test_member_staff_answers",
        )
    ]
