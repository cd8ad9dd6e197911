import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from portal.audit import AuditEvent, trail_for
from portal.outcomes import selectors, services
from portal.outcomes.models import EnteredBy, Response
from tests.factories import UserFactory
from tests.outcomes.conftest import answers

pytestmark = pytest.mark.django_db


def _record(member, occasion="start", by=None, **given):
    return services.record_answers(
        member, occasion, answers(**given), by=by, entered_by=EnteredBy.PERSON
    )


def test_answers_are_recorded_one_response_per_measure_and_scored(member):
    saved = _record(member, swemwbs=(4,) * 7, safer=2, quality=5)
    assert [r.measure for r in saved] == ["swemwbs", "feel_safer", "quality_of_life"]
    scores = {r.measure: r.score for r in Response.objects.all()}
    assert scores == {"swemwbs": Decimal("25.03"), "feel_safer": 2, "quality_of_life": 5}


def test_answers_are_encrypted_at_rest(member):
    (response, *_) = _record(member, swemwbs=(5, 1, 5, 1, 5, 1, 5))
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers FROM outcomes_response WHERE id = %s", [response.pk])
        (raw,) = cursor.fetchone()
    assert raw.startswith("fernet:")
    assert "item" not in raw
    assert response.answer_values["item2"] == 1


def test_answering_again_corrects_the_same_responses_and_every_change_is_audited(member):
    staff = UserFactory(roles=["Coordinator"])
    _record(member, by=staff)
    _record(member, by=staff, safer=5)
    assert Response.objects.count() == 3
    safer = Response.objects.get(measure="feel_safer")
    assert safer.score == 5
    actions = [event.action for event in trail_for(safer)]
    assert sorted(actions) == [AuditEvent.Action.CHANGE, AuditEvent.Action.CREATE]
    assert all("answers" not in event.detail for event in trail_for(safer))


def test_one_start_and_one_end_response_per_subject_and_measure(member):
    member.ended = True
    _record(member, "start")
    _record(member, "end")
    assert Response.objects.filter(measure="swemwbs").count() == 2
    start = Response.objects.get(measure="swemwbs", occasion="start")
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(
            subject_type=start.subject_type,
            subject_id=start.subject_id,
            measure="swemwbs",
            occasion="start",
            entered_by=EnteredBy.STAFF,
            answered_on=timezone.localdate(),
            answers="{}",
        )


def test_the_end_cannot_be_answered_before_the_subject_has_ended(member):
    with pytest.raises(services.AnswersError, match="cannot be answered now"):
        _record(member, "end")
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    "given",
    [
        {"swemwbs": {"item1": 3}},  # six items missing
        {"feel_safer": {"safer": 9}},  # off the scale
        {"feel_safer": {"safer": 3, "extra": 1}},
        {"nothing": {"x": 1}},
    ],
)
def test_incomplete_or_unknown_answers_are_refused_and_nothing_is_saved(member, given):
    with pytest.raises((services.AnswersError, LookupError)):
        services.record_answers(member, "start", given, by=None, entered_by=EnteredBy.STAFF)
    assert not Response.objects.exists()


def test_a_paper_form_dated_in_the_future_is_refused(member):
    with pytest.raises(services.AnswersError, match="future"):
        services.record_answers(
            member,
            "start",
            answers(),
            by=None,
            entered_by=EnteredBy.STAFF,
            answered_on=timezone.localdate() + timedelta(days=1),
        )


def test_anonymising_keeps_the_scores_and_drops_the_answers_and_who_entered_them(member):
    staff = UserFactory(roles=["Coordinator"])
    _record(member, by=staff, swemwbs=(4,) * 7, quality=0)
    assert services.anonymise_for(member) == 3
    assert services.anonymise_for(member) == 0
    rows = {r.measure: r for r in Response.objects.all()}
    assert json.loads(rows["swemwbs"].answers) == {"score": "25.03"}
    assert rows["swemwbs"].score == Decimal("25.03")
    assert rows["quality_of_life"].score is None
    assert all(r.recorded_by is None and r.anonymised_at for r in rows.values())


def test_erasure_deletes_every_response_of_the_subject_only(member, circle):
    other = circle.members.create(name="Someone else")
    _record(member)
    _record(other)
    assert services.erase_for(member) == 3
    assert set(Response.objects.values_list("subject_id", flat=True)) == {other.pk}
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ERASE).count() == 3


def test_subject_access_gives_the_answers_in_words(member):
    _record(member, swemwbs=(1, 2, 3, 4, 5, 0, 3), safer=4)
    given = {row["measure"]: row for row in selectors.subject_access(member)}
    wellbeing = given["Your wellbeing"]
    assert wellbeing["answers"]["I've been feeling useful"] == "Rarely"
    assert wellbeing["answers"]["I've been feeling close to other people"] == (
        "Prefer not to answer"
    )
    assert wellbeing["score"] is None
    assert given["Feeling safe"]["answers"] == {"I feel safer": "Agree"}
