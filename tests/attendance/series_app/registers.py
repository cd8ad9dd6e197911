"""The test source: a group's meetings on the shared register, completed by a share of the
meetings held or by covering the group's topics, with time recorded on each mark and one
certificate per group."""

from django.db.models import Count, Q
from django.utils import timezone

from portal import notify
from portal.attendance.completion import ShareOfOccurrences, TopicsCovered
from portal.attendance.registry import (
    CertificateDetails,
    ExpectedPerson,
    RegisterSource,
    register,
)
from portal.attendance.selectors import hours
from tests.attendance.series_app.models import Group, Meeting, Member


def _topics(text: str) -> frozenset[str]:
    return frozenset(topic.strip() for topic in text.split(",") if topic.strip())


class GroupMeetingRegister(RegisterSource):
    model = Meeting
    person_model = Member
    label = "Group meeting"
    gives_certificates = True
    certificate_per = "series"
    records_duration = True

    @property
    def series_model(self):
        return Group

    def queryset(self):
        return Meeting.objects.select_related("group")

    def title(self, occurrence: Meeting) -> str:
        return f"{occurrence.group.title}, {timezone.localtime(occurrence.starts_at):%-d %B}"

    def series_title(self, series: Group) -> str:
        return series.title

    def series_of(self, occurrence: Meeting) -> Group:
        return occurrence.group

    def series_occurrences(self, series: Group):
        return Meeting.objects.filter(group=series)

    def is_cancelled(self, occurrence: Meeting) -> bool:
        return occurrence.cancelled

    def topics(self, occurrence: Meeting) -> frozenset[str]:
        return _topics(occurrence.topics)

    def completion_rule(self, series: Group):
        if topics := _topics(series.required_topics):
            return TopicsCovered(topics)
        return ShareOfOccurrences(series.share)

    def expected(self, occurrence: Meeting) -> list[ExpectedPerson]:
        return [ExpectedPerson(m, m.name) for m in occurrence.group.members.order_by("pk")]

    def expected_counts(self, occurrence_ids):
        rows = Meeting.objects.filter(pk__in=occurrence_ids).annotate(n=Count("group__members"))
        return {row.pk: row.n for row in rows}

    def takes_registers(self, user) -> bool:
        return user.is_authenticated and self.occurrences_for(user).exists()

    def occurrences_for(self, user):
        if not user.is_authenticated:
            return Meeting.objects.none()
        return self.queryset().filter(Q(group__leaders=user))

    def may_take(self, user, occurrence: Meeting) -> bool:
        return self.occurrences_for(user).filter(pk=occurrence.pk).exists()

    def recipient(self, person: Member) -> notify.Recipient:
        return notify.Recipient(email=person.email, name=person.name)

    def people_of(self, user):
        return Member.objects.filter(user=user) if user.is_authenticated else Member.objects.none()

    def series_certificate(self, series: Group, person: Member, completion) -> CertificateDetails:
        held = [m for m in series.meetings.all() if not m.cancelled]
        return CertificateDetails(
            name=person.name,
            title=series.title,
            held_on=timezone.localtime(held[0].starts_at).date(),
            held_until=timezone.localtime(held[-1].ends_at).date(),
            hours=hours(completion.duration),
        )


register(GroupMeetingRegister())
