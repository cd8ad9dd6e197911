"""The public "Volunteer with us" page and its roles (child pages, edited in the page tree)."""

from django import forms
from django.db import models
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from cms.caching import PublicPageMixin


class DBSLevel(models.TextChoices):
    # Ordered from least to most: a check at a level satisfies every level below it.
    BASIC = "basic", "Basic"
    STANDARD = "standard", "Standard"
    ENHANCED = "enhanced", "Enhanced"


DBS_ORDER = [DBSLevel.BASIC, DBSLevel.STANDARD, DBSLevel.ENHANCED]


def dbs_satisfies(held: str, needed: str) -> bool:
    return DBS_ORDER.index(held) >= DBS_ORDER.index(needed)


class VolunteerIndexPage(PublicPageMixin, Page):
    """'Volunteer with us': lists its live roles; linked from the header and home page."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, "intro"]
    subpage_types = ["volunteers.VolunteerRolePage"]
    max_count = 1
    template = "volunteers/index_page.html"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["roles"] = (
            VolunteerRolePage.objects.child_of(self)
            .live()
            .public()
            .prefetch_related("localities", "required_courses")
        )
        return context


class VolunteerRolePage(PublicPageMixin, Page):
    summary = models.TextField(help_text="One or two sentences for the list of roles.")
    involves = RichTextField(features=["bold", "italic", "ul", "ol", "link"])
    time_commitment = models.CharField(
        max_length=120, help_text='For example "One morning a week for at least six months".'
    )
    localities = ParentalManyToManyField("portal.Locality", related_name="volunteer_roles")
    dbs_level = models.CharField("DBS level", max_length=10, choices=DBSLevel.choices)
    required_courses = ParentalManyToManyField(
        "courses.CoursePage", blank=True, related_name="volunteer_roles"
    )
    training_valid_months = models.PositiveSmallIntegerField(
        "training needed again after (months)",
        null=True,
        blank=True,
        help_text="For example 12 for a yearly safeguarding refresher. Empty: never again.",
    )
    supervision_required = models.BooleanField(
        "supervision after each shift",
        default=False,
        help_text="A debrief is logged after each shift (helpline and drop-in roles).",
    )

    content_panels = [
        *Page.content_panels,
        "summary",
        "involves",
        "time_commitment",
        FieldPanel("localities", widget=forms.CheckboxSelectMultiple),
        "dbs_level",
        FieldPanel("required_courses", widget=forms.CheckboxSelectMultiple),
        "training_valid_months",
        "supervision_required",
    ]
    parent_page_types = ["volunteers.VolunteerIndexPage"]
    subpage_types: list[str] = []
    template = "volunteers/role_page.html"
