"""The volunteer coordinator's menu item and views in the staff area (see admin_views)."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from volunteers import admin_views, selectors


@hooks.register("register_admin_urls")
def register_volunteer_urls():
    return [
        path(
            "volunteer-applications/",
            admin_views.application_list,
            name="volunteers_applications",
        ),
        path(
            "volunteer-applications/<int:pk>/",
            admin_views.application_detail,
            name="volunteers_application",
        ),
        path(
            "volunteer-applications/<int:pk>/move/",
            admin_views.move,
            name="volunteers_application_move",
        ),
        path(
            "volunteer-applications/<int:pk>/override/",
            admin_views.override,
            name="volunteers_application_override",
        ),
        path(
            "volunteer-applications/<int:pk>/notes/",
            admin_views.add_note,
            name="volunteers_application_note",
        ),
        path(
            "volunteer-applications/<int:pk>/dbs/",
            admin_views.record_dbs,
            name="volunteers_application_dbs",
        ),
    ]


class ApplicationsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(selectors.VIEW_PERMISSION)


@hooks.register("register_admin_menu_item")
def applications_menu_item():
    return ApplicationsMenuItem(
        "Volunteer applications",
        reverse("volunteers_applications"),
        icon_name="group",
        order=215,
    )
