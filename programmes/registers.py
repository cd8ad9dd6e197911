"""Cohort weeks on the shared register (portal.attendance): who is expected (people with a
place, from the week they joined), who takes it (the cohort's facilitators and
coordinators, `selectors.cohorts_visible_to`), and completion: a closed programme by a
number of the weeks held, a rolling one by every topic covered, across cycles."""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from portal import notify
from portal.attendance.completion import ShareOfOccurrences, TopicsCovered
from portal.attendance.registry import ExpectedPerson, RegisterSource, RegisterWording, register
from portal.places import HoldingStatus
from programmes import selectors
from programmes.models import Apology, Cohort, Enrolment, ProgrammeSession
from programmes.services.notices import recipient


class CohortWeekRegister(RegisterSource):
    model = ProgrammeSession
    person_model = Enrolment
    label = "Programme week"
    sends_feedback = False
    wording = RegisterWording(
        nobody_expected="No one has a place in this week yet.",
        no_longer_expected="No longer in the group",
        not_theirs="Only this group's facilitators and coordinators take its register.",
        occurrence="week",
    )

    @property
    def series_model(self):
        return Cohort

    def queryset(self) -> QuerySet[ProgrammeSession]:
        return ProgrammeSession.objects.select_related("cohort__programme", "cohort__locality")

    def people(self) -> QuerySet[Enrolment]:
        return Enrolment.objects.select_related("plan__user")

    def title(self, occurrence: ProgrammeSession) -> str:
        local = timezone.localtime(occurrence.starts_at)
        return f"{occurrence.cohort.programme.title}, week {occurrence.week}, {local:%-d %B}"

    def series_title(self, series: Cohort) -> str:
        return str(series)

    def place(self, occurrence: ProgrammeSession) -> str:
        cohort = occurrence.cohort
        if cohort.online:
            return "Online"
        return ", ".join(line.strip(" ,") for line in cohort.venue.splitlines() if line.strip())

    def expected(self, occurrence: ProgrammeSession) -> list[ExpectedPerson]:
        enrolments = occurrence.cohort.holdings.filter(
            status=HoldingStatus.CONFIRMED, joined_week__lte=occurrence.week
        ).select_related("plan__user")
        apologised = set(
            Apology.objects.filter(session=occurrence).values_list("enrolment_id", flat=True)
        )
        return [
            ExpectedPerson(e, e.name, "Sent apologies" if e.pk in apologised else "")
            for e in enrolments.order_by("pk")
        ]

    def expected_counts(self, occurrence_ids: list[int]) -> dict[int, int]:
        rows = (
            ProgrammeSession.objects.filter(pk__in=occurrence_ids)
            .annotate(
                n=Count(
                    "cohort__holdings",
                    filter=Q(
                        cohort__holdings__status=HoldingStatus.CONFIRMED,
                        cohort__holdings__joined_week__lte=F("week"),
                    ),
                )
            )
            .values_list("pk", "n")
        )
        return dict(rows)

    def takes_registers(self, user) -> bool:
        return selectors.works_on_programmes(user)

    def occurrences_for(self, user) -> QuerySet[ProgrammeSession]:
        return selectors.sessions_visible_to(user).filter(cancelled=False)

    def may_take(self, user, occurrence: ProgrammeSession) -> bool:
        return self.occurrences_for(user).filter(pk=occurrence.pk).exists()

    def series_of(self, occurrence: ProgrammeSession) -> Cohort:
        return occurrence.cohort

    def series_occurrences(self, series: Cohort) -> QuerySet[ProgrammeSession]:
        return ProgrammeSession.objects.filter(cohort=series)

    def is_cancelled(self, occurrence: ProgrammeSession) -> bool:
        return occurrence.cancelled

    def topics(self, occurrence: ProgrammeSession) -> frozenset[str]:
        return frozenset([occurrence.topic]) if occurrence.topic else frozenset()

    def completion_rule(self, series: Cohort):
        programme = series.programme
        if programme.by_topics:
            return TopicsCovered(frozenset(t.title for t in programme.topics.all()))
        return ShareOfOccurrences(programme.share_to_complete)

    def recipient(self, person: Enrolment) -> notify.Recipient:
        return recipient(person)

    def people_of(self, user) -> QuerySet[Enrolment]:
        if not user.is_authenticated:
            return Enrolment.objects.none()
        return Enrolment.objects.filter(user=user)


register(CohortWeekRegister())
