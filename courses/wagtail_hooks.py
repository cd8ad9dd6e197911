"""Staff tools: sessions (create, edit, move, cancel) with how full they are, and topics."""

from django.db.models import Count, Q
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from courses import selectors
from courses.models import Session, Topic


class PlacesColumn(Column):
    def get_value(self, instance):
        return f"{instance.taken} of {instance.capacity}"


class WaitingColumn(Column):
    def get_value(self, instance):
        return instance.waiting


class SessionViewSet(ModelViewSet):
    model = Session
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

    def get_queryset(self, request):
        return selectors.with_places(
            Session.objects.select_related("course").annotate(
                waiting=Count("holdings", filter=Q(holdings__status="waiting"))
            )
        )


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    list_display = ["name", "slug"]


register_snippet(TopicViewSet)


@hooks.register("register_admin_viewset")
def register_session_viewset():
    return SessionViewSet("course_sessions")
