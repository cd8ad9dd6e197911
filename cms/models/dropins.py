"""Drop-ins: weekly (or other) sessions at a venue in one of the service's localities."""

import re

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin
from wagtail.search import index
from wagtail.search.queryset import SearchableQuerySetMixin

from cms.recurrence import Frequency, WeekOfMonth

# The shape of a UK postcode (outward code, space, inward code), checked after normalising.
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$")


def normalise_postcode(value: str) -> str:
    compact = re.sub(r"\s+", "", value or "").upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def validate_postcode(value: str) -> None:
    if not POSTCODE.match(normalise_postcode(value)):
        raise ValidationError("Enter a real postcode, like AB1 2CD.")


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class DropInQuerySet(SearchableQuerySetMixin, models.QuerySet):
    pass


class DropIn(DraftStateMixin, LockableMixin, RevisionMixin, index.Indexed, ClusterableModel):
    """Edited as drafts with revisions: a change reaches the finder, the feed and search only
    when it is published, and the history shows who changed what."""

    name = models.CharField(max_length=120, help_text="For example 'Tuesday coffee morning'")
    locality = models.ForeignKey(
        "portal.Locality",
        on_delete=models.PROTECT,
        related_name="drop_ins",
        limit_choices_to={"is_online": False},
    )
    venue_name = models.CharField(max_length=120)
    address = models.TextField(help_text="Street and town, one part a line; no postcode")
    postcode = models.CharField(max_length=10, validators=[validate_postcode])
    frequency = models.CharField(max_length=12, choices=Frequency.choices, default=Frequency.WEEKLY)
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    week_of_month = models.SmallIntegerField(
        choices=WeekOfMonth.choices,
        null=True,
        blank=True,
        help_text="Only for drop-ins held once a month",
    )
    starts_on = models.DateField(
        help_text="The first session; every other week counts on from this date"
    )
    ends_on = models.DateField(null=True, blank=True, help_text="Leave blank if it carries on")
    start_time = models.TimeField()
    end_time = models.TimeField()
    who_for = models.CharField(
        "who it is for", max_length=120, help_text="For example 'Women only' or 'Open to all'"
    )
    description = models.TextField(blank=True)
    step_free = models.BooleanField("step-free access", default=False)
    hearing_loop = models.BooleanField(default=False)
    creche = models.BooleanField("crèche", default=False)
    access_notes = models.TextField(blank=True)
    is_listed = models.BooleanField(
        "show on the site", default=True, help_text="Untick to take it off the finder"
    )

    objects = DropInQuerySet.as_manager()
    # Deleting a drop-in deletes its revisions too.
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="dropin")

    panels = [
        "name",
        "locality",
        MultiFieldPanel(["venue_name", "address", "postcode"], heading="Where"),
        MultiFieldPanel(
            [
                FieldRowPanel(["frequency", "weekday", "week_of_month"]),
                FieldRowPanel(["start_time", "end_time"]),
                FieldRowPanel(["starts_on", "ends_on"]),
            ],
            heading="When",
        ),
        InlinePanel("cancellations", heading="Cancelled dates", label="Cancelled date"),
        "who_for",
        "description",
        MultiFieldPanel(
            [FieldRowPanel(["step_free", "hearing_loop", "creche"]), "access_notes"],
            heading="Access",
        ),
        "is_listed",
    ]

    search_fields = [
        index.SearchField("name", boost=2),
        index.SearchField("venue_name"),
        index.SearchField("address"),
        index.SearchField("postcode"),
        index.SearchField("who_for"),
        index.SearchField("description"),
        index.RelatedFields("locality", [index.SearchField("name")]),
        index.FilterField("is_listed"),
        index.FilterField("live"),
    ]

    class Meta:
        ordering = ["locality__sort_order", "weekday", "start_time", "name"]
        verbose_name = "drop-in"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")),
                name="drop_in_ends_after_it_starts",
                violation_error_message="The end time must be after the start time.",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="drop_in_last_date_after_first",
                violation_error_message="The last date must be on or after the first.",
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="drop_in_weekday_valid"
            ),
            models.CheckConstraint(
                condition=(
                    Q(frequency=Frequency.MONTHLY, week_of_month__in=WeekOfMonth.values)
                    | (~Q(frequency=Frequency.MONTHLY) & Q(week_of_month__isnull=True))
                ),
                name="drop_in_week_of_month_only_when_monthly",
                violation_error_message="Choose which week of the month, and only for a "
                "drop-in held once a month.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.venue_name}"

    def clean(self) -> None:
        super().clean()
        self.postcode = normalise_postcode(self.postcode)
        if self.starts_on and self.weekday is not None and self.starts_on.weekday() != self.weekday:
            raise ValidationError(
                {"starts_on": f"The first session must be on a {Weekday(self.weekday).label}."}
            )

    @property
    def schedule_text(self) -> str:
        day = Weekday(self.weekday).label
        if self.frequency == Frequency.MONTHLY:
            return f"{WeekOfMonth(self.week_of_month).label} {day} of the month"
        if self.frequency == Frequency.FORTNIGHTLY:
            return f"Every other {day}"
        return f"Every {day}"

    @property
    def access_features(self) -> list[str]:
        labels = [
            ("step_free", "Step-free access"),
            ("hearing_loop", "Hearing loop"),
            ("creche", "Crèche"),
        ]
        return [label for field, label in labels if getattr(self, field)]

    @property
    def revisions(self):
        return self._revisions


class DropInCancellation(models.Model):
    drop_in = ParentalKey(DropIn, on_delete=models.CASCADE, related_name="cancellations")
    date = models.DateField()
    reason = models.CharField(max_length=120, blank=True, help_text="Shown to readers if given")

    panels = [FieldRowPanel(["date", "reason"])]

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["drop_in", "date"], name="drop_in_cancelled_once"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d %B %Y}"
