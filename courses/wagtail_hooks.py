"""Staff tools: sessions (create, edit, move, cancel) with how full they are, and topics."""

from django.db.models import Count, Q
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from courses import admin_views, invoices, selectors, staff_booking
from courses.models import Session, Topic
from portal import identifiers  # noqa: F401 - registers the strict converters


class PlacesColumn(Column):
    def get_value(self, instance):
        return f"{instance.taken} of {instance.capacity}"


class WaitingColumn(Column):
    def get_value(self, instance):
        return instance.waiting


# What admin_views.session_people asks of whoever opens a session's people.
PEOPLE_PERMISSION = "courses.view_booking"


class PeopleColumn(Column):
    def get_value(self, instance):
        return format_html(
            '<a href="{}">Bookings and waiting list</a>',
            reverse("courses_session_people", args=[instance.pk]),
        )


class SessionIndexView(IndexView):
    @cached_property
    def columns(self):
        # The people in a session are for those who may see bookings: to anyone else
        # (Commissioners, who see figures) the link would only say "permission denied".
        columns = super().columns
        if self.request.user.has_perm(PEOPLE_PERMISSION):
            return columns
        return [column for column in columns if not isinstance(column, PeopleColumn)]

    def get_base_queryset(self):
        sessions = super().get_base_queryset()
        if self.request.user.has_perm("courses.view_booking"):
            # Those who see bookings see the sessions whose bookings they may see (a trainer:
            # their own); figures-only roles (commissioners) see every session's numbers.
            sessions = sessions.filter(pk__in=selectors.sessions_visible_to(self.request.user))
        return selectors.with_places(
            sessions.select_related("course").annotate(
                waiting=Count("holdings", filter=Q(holdings__status="waiting"))
            )
        )


class SessionViewSet(ModelViewSet):
    model = Session
    index_view_class = SessionIndexView
    icon = "date"
    menu_label = "Course sessions"
    menu_order = 210
    add_to_admin_menu = True
    list_display = [
        "course",
        "starts_at",
        "locality",
        "online",
        PlacesColumn("places", label="Places taken"),
        WaitingColumn("waiting", label="Waiting"),
        "status",
        PeopleColumn("people", label="People"),
    ]
    list_filter = ["status", "online", "locality", "course"]
    search_fields = ["course__title", "venue"]
    ordering = ["starts_at"]
    panels = [
        FieldPanel("course"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")], heading="When"),
        MultiFieldPanel(
            [
                FieldPanel("online"),
                FieldPanel("venue"),
                FieldPanel("locality"),
                FieldPanel("joining_link"),
                FieldPanel("joining_instructions"),
            ],
            heading="Where",
        ),
        FieldPanel("capacity"),
        FieldPanel("booking_closes_at"),
        FieldPanel("trainers"),
        FieldPanel(
            "status",
            help_text="Cancelling sends every attendee a calendar cancellation. Moving the "
            "session sends them the updated invite.",
        ),
    ]


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    list_display = ["name", "slug"]


register_snippet(TopicViewSet)


@hooks.register("register_admin_urls")
def register_session_people_urls():
    return [
        path(
            "course-sessions/<int:pk>/people/",
            admin_views.session_people,
            name="courses_session_people",
        ),
        path(
            "course-sessions/<int:pk>/people/offer/<int:booking_pk>/",
            admin_views.offer_places,
            name="courses_offer_places",
        ),
        path(
            "course-sessions/<int:pk>/attendees.csv",
            admin_views.attendee_export,
            name="courses_attendee_export",
        ),
        path(
            "course-sessions/<int:pk>/people/book/",
            staff_booking.book_for_caller,
            name="courses_book_for_caller",
        ),
        path("course-bookings/", staff_booking.find_booking, name="courses_find_booking"),
        path(
            "course-bookings/<booking_ref:reference>/",
            staff_booking.booking_detail,
            name="courses_staff_booking",
        ),
        path(
            "course-bookings/<booking_ref:reference>/cancel/",
            staff_booking.cancel_booking,
            name="courses_staff_cancel_booking",
        ),
        path(
            "course-bookings/<booking_ref:reference>/places/<int:attendee_pk>/cancel/",
            staff_booking.cancel_attendee,
            name="courses_staff_cancel_attendee",
        ),
        path(
            "course-bookings/<booking_ref:reference>/places/<int:attendee_pk>/transfer/",
            staff_booking.transfer,
            name="courses_staff_transfer",
        ),
        path(
            "course-bookings/<booking_ref:reference>/payment-link/",
            staff_booking.resend_payment_link,
            name="courses_staff_payment_link",
        ),
        path(
            "course-invoices/",
            admin_views.InvoicesOwedView.as_view(),
            name="courses_invoices_owed",
        ),
        path(
            "course-invoices/<int:booking_pk>/paid/",
            admin_views.mark_invoice_paid,
            name="courses_invoice_paid",
        ),
        path(
            "course-invoices/<int:booking_pk>/invoice.pdf",
            invoices.staff_invoice,
            name="courses_invoice_pdf",
        ),
        path(
            "course-invoices/<int:booking_pk>/credited/",
            admin_views.mark_invoice_credited,
            name="courses_invoice_credited",
        ),
    ]


class InvoicesMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.VIEW_INVOICES)


@hooks.register("register_reports_menu_item")
def invoices_menu_item():
    return InvoicesMenuItem(
        "Training invoices owed", reverse("courses_invoices_owed"), icon_name="table", order=110
    )


@hooks.register("register_admin_viewset")
def register_session_viewset():
    return SessionViewSet("course_sessions")


class FindBookingMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(staff_booking.CHANGE_BOOKING)


@hooks.register("register_admin_menu_item")
def find_booking_menu_item():
    return FindBookingMenuItem(
        "Find a booking", reverse("courses_find_booking"), icon_name="search", order=211
    )
