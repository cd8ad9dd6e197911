"""A programme as a public page: editors write the words, coordinators set the rules (its
kind, weeks, assessment and completion rule), topics for a rolling programme."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.caching import PublicPageMixin

TEXT_FEATURES = ["bold", "italic", "link", "ul", "ol"]


class ProgrammeKind(models.TextChoices):
    ROLLING = "rolling", "Rolling: people may join at any week"
    CLOSED = "closed", "Closed: everyone starts together, no late joiners"


class CompletionRule(models.TextChoices):
    SHARE = "share", "A number of the sessions held attended"
    TOPICS = "topics", "Every topic covered (across cycles)"


class ProgrammePage(PublicPageMixin, Page):
    """The Freedom Programme, the Recovery Toolkit, a children's group..."""

    who_for = RichTextField("who it is for", features=TEXT_FEATURES)
    what_happens = RichTextField(features=TEXT_FEATURES)
    kind = models.CharField(max_length=10, choices=ProgrammeKind.choices)
    weeks = models.PositiveSmallIntegerField(
        default=12, help_text="Weekly sessions in one run (one cycle of a rolling programme)."
    )
    session_minutes = models.PositiveSmallIntegerField(default=120)
    assessment_needed = models.BooleanField(
        default=False, help_text="An assessment interview is recorded before a place is given."
    )
    completion_rule = models.CharField(
        max_length=10, choices=CompletionRule.choices, default=CompletionRule.SHARE
    )
    sessions_to_complete = models.PositiveSmallIntegerField(
        default=9, help_text="For the share rule: e.g. 9 (of 12). Cancelled weeks do not count."
    )
    creche = models.BooleanField("crèche available", default=False)
    how_to_ask = RichTextField(
        "how to ask for a place",
        features=TEXT_FEATURES,
        blank=True,
        help_text="Shown with a link to the 'Ask for support' form.",
    )

    content_panels = [
        *Page.content_panels,
        "who_for",
        "what_happens",
        "how_to_ask",
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldPanel("weeks"),
                FieldPanel("session_minutes"),
                FieldPanel("assessment_needed"),
                FieldPanel("completion_rule"),
                FieldPanel("sessions_to_complete"),
                FieldPanel("creche"),
            ],
            heading="Rules",
        ),
        InlinePanel("topics", label="Topics (a rolling programme: one per week of a cycle)"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("who_for"),
        index.SearchField("what_happens"),
    ]
    subpage_types: list[str] = []
    template = "programmes/programme_page.html"

    class Meta:
        verbose_name = "recovery programme"

    def clean(self):
        super().clean()
        if self.sessions_to_complete > self.weeks:
            raise ValidationError(
                {"sessions_to_complete": "This cannot be more than the number of weeks."}
            )

    @property
    def is_rolling(self) -> bool:
        return self.kind == ProgrammeKind.ROLLING

    @property
    def by_topics(self) -> bool:
        return self.completion_rule == CompletionRule.TOPICS

    @property
    def share_to_complete(self) -> Decimal:
        return Decimal(self.sessions_to_complete) / Decimal(self.weeks or 1)


class ProgrammeTopic(Orderable):
    programme = ParentalKey(ProgrammePage, on_delete=models.CASCADE, related_name="topics")
    title = models.CharField(max_length=120)

    panels = ["title"]

    def __str__(self):
        return self.title
