"""Staff tools: sessions (create, edit, move, cancel) with how full they are, and topics.

Every session view is scoped (portal.scope): the listing shows, and the edit, delete, copy,
history and usage views open, only the sessions visible to the member of staff
(`selectors.sessions_visible_to`); any other answers 404, as for no session. A session is
created or moved only into a locality they are assigned to. Figures-only roles
(commissioners) see every session's numbers in the listing and open none."""

from django import forms
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from courses import admin_views, invoices, selectors, services, staff_booking
from courses.models import Session, Topic
from portal import (
    identifiers,  # noqa: F401 - registers the strict converters
    places,
    scope,
)
from portal.localities import Locality


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
        if not scope.figures_only(self.request.user):
            # Staff see the sessions visible to them (a trainer: their own; a coordinator:
            # their localities'); figures-only roles (commissioners) every session's numbers.
            sessions = sessions.filter(pk__in=selectors.sessions_visible_to(self.request.user))
        return places.with_places_taken(
            sessions.select_related("course").annotate(
                waiting=Count("holdings", filter=Q(holdings__status="waiting"))
            )
        )


class ScopedSession:
    """For Wagtail's edit and delete views: only the sessions visible to the member of staff."""

    def get_queryset(self):
        return selectors.sessions_visible_to(self.request.user)


class ScopedSessionObject:
    """For Wagtail's history and usage views, which find the session their own way."""

    def get_base_object_queryset(self):
        return selectors.sessions_visible_to(self.request.user)


class SessionEditView(ScopedSession, generic.EditView):
    """Saves through courses.services.edit_session: a new capacity goes through the places
    engine, a move or a cancellation reaches everyone in the session, all in the edit's
    transaction (the messages leave only if it is saved)."""

    def save_instance(self):
        return services.edit_session(self.form.instance, save=super().save_instance)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except places.PlacesError as exc:  # a capacity below the places taken
            form.add_error("capacity", str(exc))
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class SessionDeleteView(ScopedSession, generic.DeleteView):
    pass


class SessionCopyView(generic.CopyView):
    def get_object(self, queryset=None):
        visible = selectors.sessions_visible_to(self.request.user)
        get_object_or_404(visible, pk=self.kwargs[self.pk_url_kwarg])
        return super().get_object(queryset)


class SessionHistoryView(ScopedSessionObject, HistoryView):
    pass


class SessionUsageView(ScopedSessionObject, UsageView):
    pass


class SessionForm(WagtailAdminModelForm):
    """A session goes only into a locality its editor is assigned to (any, for superusers);
    its current one is kept on the list so an edit never silently moves it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is not None and not scope.sees_everything(user):
            allowed = Q(pk__in=scope.locality_ids(user))
            if self.instance.locality_id:
                allowed |= Q(pk=self.instance.locality_id)
            self.fields["locality"].queryset = Locality.objects.filter(allowed)
            # Without one, the session would be out of their own sight once saved.
            self.fields["locality"].required = True


class SessionViewSet(ModelViewSet):
    model = Session
    index_view_class = SessionIndexView
    edit_view_class = SessionEditView
    delete_view_class = SessionDeleteView
    copy_view_class = SessionCopyView
    history_view_class = SessionHistoryView
    usage_view_class = SessionUsageView
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
    edit_handler = ObjectList(
        [
            FieldPanel("course"),
            FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")], heading="When"),
            MultiFieldPanel(
                [
                    FieldPanel("online"),
                    FieldPanel("venue"),
                    # A plain list (not the snippet chooser): only their own localities.
                    FieldPanel("locality", widget=forms.Select),
                    FieldPanel("joining_link"),
                    FieldPanel("joining_instructions"),
                ],
                heading="Where",
            ),
            FieldPanel(
                "capacity",
                help_text="Raising it offers the new places to the waiting list at once. It "
                "cannot go below the places already taken.",
            ),
            FieldPanel("booking_closes_at"),
            FieldPanel("trainers"),
            FieldPanel(
                "status",
                help_text="Cancelling sends every attendee a calendar cancellation. Moving the "
                "session sends them the updated invite.",
            ),
        ],
        base_form_class=SessionForm,
    )


class TopicViewSet(SnippetViewSet):
    """What courses teach (awareness, risk): not the public site's guidance topics (types of
    abuse), which are their own list, so each menu item says which it is."""

    model = Topic
    icon = "tag"
    menu_label = "Course topics"
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
