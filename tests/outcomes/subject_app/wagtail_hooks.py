from django.urls import path
from wagtail import hooks

from portal.outcomes import views


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "test-members/<int:pk>/questions/<str:occasion>/",
            views.staff_answers,
            {"subject_key": "outcomes_subject.member"},
            name="test_member_staff_answers",
        )
    ]
