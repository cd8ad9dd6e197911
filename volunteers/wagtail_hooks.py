"""The volunteer coordinator's menu item and views in the staff area (see admin_views)."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from volunteers import admin_views, selectors, shift_admin_views


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
        path("volunteer-shifts/", shift_admin_views.shift_list, name="volunteers_shifts"),
        path("volunteer-shifts/add/", shift_admin_views.shift_create, name="volunteers_shift_add"),
        path("volunteer-shifts/<int:pk>/", shift_admin_views.shift_detail, name="volunteers_shift"),
        path(
            "volunteer-shifts/<int:pk>/edit/",
            shift_admin_views.shift_edit,
            name="volunteers_shift_edit",
        ),
        path(
            "volunteer-shifts/<int:pk>/fill/",
            shift_admin_views.shift_fill,
            name="volunteers_shift_fill",
        ),
        path(
            "volunteer-shifts/<int:pk>/cancel/",
            shift_admin_views.shift_cancel,
            name="volunteers_shift_cancel",
        ),
        path(
            "volunteer-shifts/<int:pk>/requests/<int:signup_pk>/",
            shift_admin_views.signup_answer,
            name="volunteers_shift_answer",
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


class ShiftsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(selectors.SHIFT_VIEW_PERMISSION)


@hooks.register("register_admin_menu_item")
def shifts_menu_item():
    return ShiftsMenuItem(
        "Volunteer shifts", reverse("volunteers_shifts"), icon_name="date", order=216
    )
