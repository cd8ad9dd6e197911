from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from portal import identifiers  # noqa: F401 - registers the strict converters
from portal.attendance import admin_views
from portal.attendance.registry import sources


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("registers/", admin_views.register_list, name="attendance_registers"),
        path(
            "registers/<model_label:source_key>/<int:pk>/",
            admin_views.register,
            name="attendance_register",
        ),
        path("feedback/", admin_views.feedback_list, name="attendance_feedback_list"),
        path(
            "feedback/<model_label:source_key>/<int:pk>/",
            admin_views.feedback,
            name="attendance_feedback",
        ),
    ]


class RegistersMenuItem(MenuItem):
    def is_shown(self, request):
        return any(source.takes_registers(request.user) for source in sources())


@hooks.register("register_admin_menu_item")
def registers_menu_item():
    return RegistersMenuItem(
        "Registers", reverse("attendance_registers"), icon_name="tasks", order=205
    )


class FeedbackMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.reads_feedback(request.user)


@hooks.register("register_reports_menu_item")
def feedback_menu_item():
    return FeedbackMenuItem(
        "Feedback comments", reverse("attendance_feedback_list"), icon_name="comment", order=120
    )


@hooks.register("insert_global_admin_css")
def register_css():
    return format_html('<link rel="stylesheet" href="{}">', static("attendance/register.css"))
