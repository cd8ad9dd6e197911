"""Staff tools for the public site: topics, audiences, localities and drop-ins as snippets
(the localities are portal's, shared by every app, listed here where editors look for them)."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms.models import Audience, DropIn, Topic
from portal.localities import Locality


class DropInViewSet(SnippetViewSet):
    model = DropIn
    icon = "date"
    menu_label = "Drop-ins"
    list_display = ["name", "venue_name", "locality", "schedule_text", "is_listed"]
    list_filter = ["locality", "weekday", "is_listed"]
    search_fields = ["name", "venue_name", "postcode"]


class LocalityViewSet(SnippetViewSet):
    model = Locality
    icon = "site"
    list_display = ["name", "slug", "is_online", "sort_order"]


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = "Guidance topics"
    list_display = ["name", "slug", "sort_order"]


class AudienceViewSet(SnippetViewSet):
    model = Audience
    icon = "group"
    menu_label = "Guidance audiences"
    list_display = ["name", "slug", "sort_order"]


class PublicSiteGroup(SnippetViewSetGroup):
    menu_label = "Public site"
    menu_icon = "globe"
    menu_order = 250
    items = (DropInViewSet, LocalityViewSet, TopicViewSet, AudienceViewSet)


register_snippet(PublicSiteGroup)
