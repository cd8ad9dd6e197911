"""Course sessions on the shared register (portal.attendance): who is expected, who may take
the register, and what a certificate of attendance says.

Each session is a series of one (a booking is for one session; no course runs over several),
so completion is "attended it" and the certificate is per session, as the defaults give."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from courses import selectors
from courses.models import Attendee, Session
from portal import notify
from portal.attendance.registry import (
    CertificateDetails,
    ExpectedPerson,
    RegisterSource,
    RegisterWording,
    register,
)
from portal.places import HoldingStatus

# The roles that take course registers (each only of the sessions visible to them).
REGISTER_ROLES = ["Coordinator", "Trainer"]


def confirmed_attendees() -> QuerySet[Attendee]:
    """The people expected at a session: active places in confirmed bookings (not people
    still paying, or offered a place they have not accepted)."""
    return _confirmed(Attendee.objects.all())


def _confirmed(attendees: QuerySet[Attendee]) -> QuerySet[Attendee]:
    return attendees.filter(status=Attendee.Status.ACTIVE, booking__status=HoldingStatus.CONFIRMED)


class CourseSessionRegister(RegisterSource):
    model = Session
    person_model = Attendee
    label = "Course session"
    gives_certificates = True
    wording = RegisterWording(
        nobody_expected="No one is booked on this yet.",
        no_longer_expected="No longer booked",
        not_theirs="Only this session's trainers and coordinators take its register.",
        occurrence="session",
    )

    def queryset(self) -> QuerySet[Session]:
        return Session.objects.select_related("course")

    def people(self) -> QuerySet[Attendee]:
        return Attendee.objects.select_related("user")

    def title(self, occurrence: Session) -> str:
        return occurrence.course.title

    def expected(self, occurrence: Session) -> list[ExpectedPerson]:
        attendees = _confirmed(occurrence.attendees.all()).select_related("booking__organisation")
        # The register puts them in name order (names are encrypted: sorted after decrypting).
        return [
            ExpectedPerson(
                a,
                a.name,
                a.booking.organisation.name if a.booking.organisation else "",
                needs=a.needs.strip(),
            )
            for a in attendees.order_by("pk")
        ]

    def is_cancelled(self, occurrence: Session) -> bool:
        return occurrence.status == Session.Status.CANCELLED

    def place(self, occurrence: Session) -> str:
        if occurrence.online:
            return "Online"
        return ", ".join(line.strip(" ,") for line in occurrence.venue.splitlines() if line.strip())

    def expected_counts(self, occurrence_ids: list[int]) -> dict[int, int]:
        rows = (
            _confirmed(Attendee.objects.filter(session_id__in=occurrence_ids))
            .values("session_id")
            .annotate(n=Count("pk"))
        )
        return {row["session_id"]: row["n"] for row in rows}

    def takes_registers(self, user) -> bool:
        return user.is_authenticated and (
            user.is_superuser or user.groups.filter(name__in=REGISTER_ROLES).exists()
        )

    def may_take(self, user, occurrence: Session) -> bool:
        return selectors.sessions_visible_to(user).filter(pk=occurrence.pk).exists()

    def occurrences_for(self, user) -> QuerySet[Session]:
        return (
            selectors.sessions_visible_to(user)
            .select_related("course")
            .filter(status=Session.Status.SCHEDULED)
        )

    def recipient(self, person: Attendee) -> notify.Recipient:
        if person.user_id is not None:
            return notify.Recipient.for_user(person.user)
        return notify.Recipient(email=person.email, name=person.name)

    def people_of(self, user) -> QuerySet[Attendee]:
        return Attendee.objects.filter(Q(user=user) if user.is_authenticated else Q(pk__in=[]))

    def certificate(self, occurrence: Session, person: Attendee) -> CertificateDetails:
        return CertificateDetails(
            name=person.name,
            title=occurrence.course.title,
            held_on=timezone.localtime(occurrence.starts_at).date(),
            cpd_hours=occurrence.course.cpd_hours,
        )


register(CourseSessionRegister())
