"""Reads of referrals: who may see which (the staff scope), the queue, earlier referrals of
the same person, and the staff a referral concerns."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from portal import scope
from portal.contact.models import SafeContactPlan
from portal.crypto import blind_lookup
from portal.localities import Locality

from .models import OPEN_STATUSES, AdviceContact, AttemptOutcome, Kind, Referral, Status

TRIAGE = "referrals.triage_referral"
WORK_ON = "referrals.work_on_referral"
RECORD_CALLS = "referrals.record_helpline_call"
SUBJECT_REQUESTS = "referrals.handle_subject_request"
COMMUNITY_WORKER = "Community worker"
COORDINATOR = "Coordinator"
REPEAT_WITHIN = timedelta(days=365)


def referrals_visible_to(user) -> QuerySet[Referral]:
    """Superusers: every referral. Coordinators (who triage): those in their localities, and
    any allocated to them. Community workers: only those allocated to them. Anyone else,
    commissioners included (figures only): none."""
    referrals = Referral.objects.select_related("locality", "plan", "allocated_to")
    if not user.is_authenticated:
        return referrals.none()
    if scope.sees_everything(user):
        return referrals
    if user.has_perm(TRIAGE):
        return scope.visible(referrals, user, own=Q(allocated_to=user))
    if user.has_perm(WORK_ON):
        return referrals.filter(allocated_to=user)
    return referrals.none()


def referrals_in_figures_of(user) -> QuerySet[Referral]:
    """The referrals a report counts for this person: the whole service for superusers and
    commissioners (figures only), else those they may see (`user=None`: the whole service)."""
    if scope.sees_all_figures(user):
        return Referral.objects.all()
    return referrals_visible_to(user)


def referrals_made_by(user) -> QuerySet[Referral]:
    """The professional referrals this signed-in person made (and nobody else's), newest
    first. Only what `referrer_status` needs is read: none of the person's data."""
    if not user.is_authenticated:
        return Referral.objects.none()
    return (
        Referral.objects.filter(referred_by=user, kind=Kind.PROFESSIONAL)
        .only("reference", "status", "created_at")
        .order_by("-created_at", "-pk")
    )


def advice_contacts_visible_to(user) -> QuerySet[AdviceContact]:
    """Those who record calls see the advice contacts of their localities and the ones they
    recorded themselves (a call may give no locality). Anyone else: none."""
    contacts = AdviceContact.objects.select_related("locality", "recorded_by")
    if not user.is_authenticated:
        return contacts.none()
    if scope.sees_everything(user):
        return contacts
    if user.has_perm(RECORD_CALLS):
        return scope.visible(contacts, user, own=Q(recorded_by=user))
    return contacts.none()


def advice_contacts_in_figures_of(user) -> QuerySet[AdviceContact]:
    if scope.sees_all_figures(user):
        return AdviceContact.objects.all()
    return advice_contacts_visible_to(user)


def queue(user) -> list[Referral]:
    """Open referrals this person may see, longest waiting first, with failed attempts."""
    return list(
        referrals_visible_to(user)
        .filter(status__in=OPEN_STATUSES)
        .annotate(
            attempt_count=Count("attempts"),
            failed_attempts=Count("attempts", filter=~Q(attempts__outcome=AttemptOutcome.SPOKE)),
        )
        .order_by("created_at", "pk")
    )


def allocated(user) -> list[Referral]:
    """Referrals with a community worker, of those this person may see."""
    return list(
        referrals_visible_to(user).filter(status=Status.ALLOCATED).order_by("created_at", "pk")
    )


def allocated_to(user) -> list[Referral]:
    """The cases this person is working on now (a closed case keeps its worker's name)."""
    return list(
        referrals_visible_to(user)
        .filter(allocated_to=user, status=Status.ALLOCATED)
        .order_by("created_at")
    )


def same_person(*, email: str = "", phone: str = "", identity: str = "") -> Q:
    """Referrals whose person has this email or phone (blind index on their plan), or this
    name with this date of birth (the referral's identity index)."""
    plans = Q(pk__in=[])
    if email:
        plans |= Q(**blind_lookup("email", email))
    if phone:
        plans |= Q(**blind_lookup("phone", phone))
    match = Q(plan__in=SafeContactPlan.objects.filter(plans, user__isnull=True).values("pk"))
    if identity:
        match |= Q(**blind_lookup("identity", identity))
    return match


def earlier_referrals(referral: Referral) -> list[Referral]:
    """Other referrals of the same person made before this one, newest first."""
    plan = referral.plan
    match = same_person(email=plan.email, phone=plan.phone, identity=referral.identity)
    return list(
        Referral.objects.filter(match, created_at__lte=referral.created_at)
        .exclude(pk=referral.pk)
        .select_related("locality")
        .order_by("-created_at")
    )


def is_repeat(*, email: str, phone: str, identity: str, now=None) -> bool:
    """Whether the person was referred within the last twelve months."""
    since = (now or timezone.now()) - REPEAT_WITHIN
    match = same_person(email=email, phone=phone, identity=identity)
    return Referral.objects.filter(match, created_at__gte=since).exists()


def _staff_in(role: str, locality: Locality) -> QuerySet:
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=role, staff_assignments__locality=locality)
        .distinct()
        .order_by("first_name", "last_name", "email")
    )


def community_workers_in(locality: Locality) -> QuerySet:
    return _staff_in(COMMUNITY_WORKER, locality)


def coordinators_of(locality: Locality) -> QuerySet:
    return _staff_in(COORDINATOR, locality)
