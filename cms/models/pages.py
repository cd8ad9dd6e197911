"""The public site's page types."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db import models
from django.forms import CheckboxSelectMultiple
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms import forms, selectors
from cms.blocks import BodyBlock
from cms.caching import PublicPageMixin

GUIDANCE_PER_PAGE = 10
INTRO_FEATURES = ["bold", "italic", "link"]


class HomePage(PublicPageMixin, Page):
    """The front door: get help now, the helpline, guidance and this week's drop-ins."""

    intro = RichTextField(blank=True, features=INTRO_FEATURES)
    body = StreamField(BodyBlock(), blank=True)

    content_panels = [*Page.content_panels, "intro", "body"]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["guidance_sections"] = selectors.guidance_sections(self)
        context["finder"] = selectors.drop_in_finder()
        if context["finder"]:
            context["this_week"] = selectors.sessions_this_week(
                selectors.listed_drop_ins(), limit=4
            )
        return context


class GuidanceIndexPage(PublicPageMixin, Page):
    intro = RichTextField(blank=True, features=INTRO_FEATURES)

    content_panels = [*Page.content_panels, "intro"]
    subpage_types = ["cms.GuidancePage"]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        form = forms.GuidanceFilterForm(request.GET or None)
        filters = form.cleaned_filters()
        articles = selectors.guidance_articles(self, **filters)
        context["form"] = form
        context["filters"] = filters
        # The calendar link carries the filters the reader chose (only those that are valid).
        context["feed_query"] = urlencode({name: form.data[name] for name in filters})
        context["articles"] = Paginator(articles, GUIDANCE_PER_PAGE).get_page(
            request.GET.get("page")
        )
        return context


class GuidancePage(PublicPageMixin, Page):
    summary = models.CharField(
        max_length=300, help_text="One or two sentences, shown in lists and search results"
    )
    body = StreamField(BodyBlock())
    topics = ParentalManyToManyField("cms.Topic", blank=True, related_name="articles")
    audiences = ParentalManyToManyField("cms.Audience", blank=True, related_name="articles")
    last_reviewed = models.DateField(null=True, blank=True)

    content_panels = [*Page.content_panels, "summary", "body"]
    promote_panels = [
        *Page.promote_panels,
        FieldPanel("topics", widget=CheckboxSelectMultiple),
        FieldPanel("audiences", widget=CheckboxSelectMultiple),
        "last_reviewed",
    ]
    parent_page_types = ["cms.GuidanceIndexPage"]
    subpage_types: list[str] = []
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.RelatedFields("topics", [index.SearchField("name")]),
        index.RelatedFields("audiences", [index.SearchField("name")]),
    ]

    class Meta:
        verbose_name = "guidance article"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["topics"] = list(self.topics.all())
        context["audiences"] = list(self.audiences.all())
        return context


class BodyPage(PublicPageMixin, Page):
    """A page of text: an introduction and a body of blocks."""

    intro = RichTextField(blank=True, features=INTRO_FEATURES)
    body = StreamField(BodyBlock(), blank=True)

    content_panels = [*Page.content_panels, "intro", "body"]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    class Meta:
        abstract = True


# Wagtail gives each page class a template named after it unless the class names one itself.
BODY_TEMPLATE = "cms/body_page.html"


class StandardPage(BodyPage):
    template = BODY_TEMPLATE


class SafetyPage(BodyPage):
    """ "Staying safe online": what Exit this page does and does not do, history, shared devices."""

    max_count = 1
    subpage_types: list[str] = []
    template = BODY_TEMPLATE

    class Meta:
        verbose_name = "safety page"


class ReviewedPage(BodyPage):
    last_reviewed = models.DateField(null=True, blank=True)

    content_panels = [*BodyPage.content_panels, "last_reviewed"]
    max_count = 1
    subpage_types: list[str] = []

    class Meta:
        abstract = True


class AccessibilityStatementPage(ReviewedPage):
    template = BODY_TEMPLATE

    class Meta:
        verbose_name = "accessibility statement"


class PrivacyNoticePage(ReviewedPage):
    template = BODY_TEMPLATE

    class Meta:
        verbose_name = "privacy notice"


class DropInFinderPage(PublicPageMixin, Page):
    intro = RichTextField(blank=True, features=INTRO_FEATURES)

    content_panels = [*Page.content_panels, "intro"]
    max_count = 1
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "drop-in finder"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        form = forms.DropInFilterForm(request.GET or None)
        filters = form.cleaned_filters()
        drop_ins = selectors.listed_drop_ins(**filters)
        context["form"] = form
        context["filters"] = filters
        # The calendar link carries the filters the reader chose (only those that are valid).
        context["feed_query"] = urlencode({name: form.data[name] for name in filters})
        context["drop_ins"] = selectors.with_next_sessions(drop_ins)
        context["this_week"] = selectors.sessions_this_week(drop_ins)
        return context
