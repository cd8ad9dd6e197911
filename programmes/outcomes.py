"""Enrolments as the subject of outcome measures (portal.outcomes): the questions are
answered at the start, once the person has a place, and at the end, once they completed
the programme, left it or the cohort is over. Staff see the enrolments of the cohorts they
see (`selectors.enrolments_visible_to`); the person only their own."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from portal import places
from portal.attendance.registry import source_by_key
from portal.attendance.selectors import completion_of
from portal.outcomes.models import Occasion
from portal.outcomes.registry import OutcomeSubject
from programmes import selectors
from programmes.models import Enrolment

SUBJECT_KEY = "programmes.enrolment"


def questions_open(enrolment: Enrolment, occasion: str, *, completed: bool) -> bool:
    """Start: once they were given a place. End: once they also completed (`completed`, the
    stored completion), left, lost their place or the cohort's weeks are over."""
    if enrolment.accepted_at is None or occasion not in Occasion.values:
        return False
    if occasion == Occasion.START:
        return True
    cohort = enrolment.cohort
    return (
        completed
        or enrolment.status not in places.ACTIVE
        or (cohort.ends_at is not None and cohort.ends_at <= timezone.now())
    )


class EnrolmentOutcomes(OutcomeSubject):
    model = Enrolment
    group_columns = (("programme", "Programme"), ("locality", "Locality"))

    def title(self, subject: Enrolment) -> str:
        return str(subject.cohort)

    def person_name(self, subject: Enrolment) -> str:
        return subject.name

    def visible_to(self, user):
        return selectors.enrolments_visible_to(user)

    def people_of(self, user):
        if not user.is_authenticated:
            return Enrolment.objects.none()
        return Enrolment.objects.select_related("cohort").filter(user=user)

    def may_answer(self, subject: Enrolment, occasion: str) -> bool:
        source = source_by_key("programmes.programmesession")
        progress = completion_of(source, subject.cohort, subject)
        return questions_open(subject, occasion, completed=bool(progress and progress.completed))

    def own_page_url(self, subject: Enrolment) -> str:
        if subject.status in places.ACTIVE:
            return reverse("programmes_mine", args=[subject.pk])
        return reverse("my_account")

    def groups(self, subjects):
        rows = subjects.values_list("pk", "cohort__programme__title", "cohort__locality__name")
        return {pk: (programme, locality) for pk, programme, locality in rows}
