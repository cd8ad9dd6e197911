"""Referrals: a person asking for support (for themselves or someone they know), or a
professional asking on their behalf, and what the service does with it.

Everything a referral says about a person is encrypted at rest (`portal.crypto`): their
name, email and phone live on their `SafeContactPlan` (with blind indexes), and every
detail, free text and answer here is an `EncryptedTextField`. What stays plain is what the
queue, the scope and the reports must filter on: the kind, source, locality, status, risk
level and route, the reasons for a flag (codes), the people involved on the staff side, and
times. A name with a date of birth has a blind index of its own (`identity_index`), so a
second referral for someone already known is found without decrypting anything.
"""

from __future__ import annotations

import json
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from portal.crypto import BlindIndexField, EncryptedTextField

from . import dash

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_reference() -> str:
    return "S" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(7))


class Kind(models.TextChoices):
    SELF = "self", "Asked for support (self or someone they know)"
    PROFESSIONAL = "professional", "Professional referral"
    HELPLINE = "helpline", "Recorded from a helpline call"


class Source(models.TextChoices):
    SELF = "self", "The person themself"
    FRIEND_FAMILY = "friend_family", "A friend or family member"
    POLICE = "police", "Police report"
    SCHOOL = "school", "Operation Encompass (school)"
    GP = "gp", "GP practice or Primary Care Network"
    MENTAL_HEALTH = "mental_health", "Mental health or community link worker"
    HOUSING = "housing", "Housing"
    OTHER = "other", "Another agency"
    HELPLINE = "helpline", "A call to the helpline"


class Status(models.TextChoices):
    NEW = "new", "Waiting for first contact"
    CONTACTING = "contacting", "Trying to make contact"
    ALLOCATED = "allocated", "Community worker support"
    REFERRED_ON = "referred_on", "Offered another service"
    HIGH_RISK = "high_risk", "Passed to the MARAC and IDVA route"
    CLOSED = "closed", "Closed"


OPEN_STATUSES = (Status.NEW, Status.CONTACTING)

# What the professional who made a referral is told of where it stands. Which service was
# offered, and whether the route became high risk, is the person's business: a referrer's
# account can be borrowed, and a "referrer" can be the one the person needs to be safe from.
REFERRER_STATUS = {
    Status.NEW: "Received",
    Status.CONTACTING: "Being contacted",
    Status.ALLOCATED: "Support offered",
    Status.REFERRED_ON: "Support offered",
    Status.HIGH_RISK: "Support offered",
    Status.CLOSED: "Closed",
}


class Route(models.TextChoices):
    COMMUNITY = "community", "Community"
    HIGH_RISK = "high_risk", "High risk: MARAC and IDVA"


class Outcome(models.TextChoices):
    COMMUNITY_WORKER = "community_worker", "Community worker support"
    COUNSELLING_INDIVIDUAL = "counselling_individual", "Counselling (individual)"
    COUNSELLING_FAMILY = "counselling_family", "Counselling (whole family)"
    PROGRAMME = "programme", "A recovery programme (its locality's waiting list)"
    DROP_IN = "drop_in", "Drop-in information"
    SIGNPOST = "signpost", "Signposted elsewhere"
    HIGH_RISK = "high_risk", "Passed to the MARAC and IDVA route"
    CLOSED = "closed", "Closed with a reason"


class Closure(models.TextChoices):
    """Why a case with a community worker ended."""

    SUPPORT_COMPLETED = "support_completed", "Support completed"
    DECLINED = "declined", "They declined further support"
    MOVED_AWAY = "moved_away", "They moved away"
    NO_CONTACT = "no_contact", "No contact possible"
    PASSED_ON = "passed_on", "Passed to another service"


class Referral(models.Model):
    reference = models.CharField(max_length=12, unique=True, default=new_reference)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    source = models.CharField(max_length=20, choices=Source.choices)
    locality = models.ForeignKey(
        "portal.Locality", on_delete=models.PROTECT, related_name="referrals"
    )
    plan = models.OneToOneField(
        "portal.SafeContactPlan",
        on_delete=models.PROTECT,
        related_name="referral",
        help_text="The person's name, email, phone and how they may be contacted.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    route = models.CharField(max_length=20, choices=Route.choices, default=Route.COMMUNITY)
    risk_level = models.CharField(
        max_length=10, choices=[(level, label) for level, label in dash.LEVEL_LABELS.items()]
    )
    risk_reasons = models.JSONField(default=list, blank=True)  # codes of dash.REASONS
    # Who called, for a referral recorded from a helpline call (values of CallerType).
    caller_type = models.CharField(max_length=20, blank=True)

    # About the person (encrypted).
    date_of_birth = EncryptedTextField(blank=True)  # ISO date
    identity = EncryptedTextField(blank=True, editable=False)  # "name|date of birth"
    identity_index = BlindIndexField(source="identity", kind="identity")
    postcode = EncryptedTextField(blank=True)
    help_wanted = EncryptedTextField(blank=True)
    access_needs = EncryptedTextField(blank=True)
    childcare_needs = EncryptedTextField(blank=True)
    details = EncryptedTextField(blank=True, help_text="What prompted it, in their words.")

    # Who asked, when it was not the person (encrypted).
    referrer_name = EncryptedTextField(blank=True)
    referrer_role = EncryptedTextField(blank=True)
    referrer_agency = EncryptedTextField(blank=True)
    referrer_email = EncryptedTextField(blank=True)
    referrer_email_index = BlindIndexField(source="referrer_email", kind="email")
    referrer_phone = EncryptedTextField(blank=True)

    # Consent, and the lawful basis when it was not given (a senior reviews it).
    consent_given = models.BooleanField(null=True)
    lawful_basis = EncryptedTextField(blank=True)
    senior_review_due_at = models.DateTimeField(null=True, blank=True)
    senior_reviewed_at = models.DateTimeField(null=True, blank=True)
    senior_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Source details and risk (encrypted).
    police_risk = EncryptedTextField(blank=True)
    school_name = EncryptedTextField(blank=True)
    school_told = models.BooleanField(null=True)
    dash_answers = EncryptedTextField(blank=True)  # JSON {"1": "yes", ...}
    judgement = EncryptedTextField(blank=True)
    incidents_last_year = EncryptedTextField(blank=True)

    # Triage.
    flagged_for_review = models.BooleanField(default=False)
    allocated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allocated_referrals",
    )
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    outcome_reason = EncryptedTextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    first_contact_at = models.DateTimeField(null=True, blank=True)
    # The end of community worker support (`services.close_case`); retention counts from it.
    closure = models.CharField(max_length=30, choices=Closure.choices, blank=True)
    closure_note = EncryptedTextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    # The signed-in professional (a verified email) who made it: they see its reference and
    # a coarse status under My account (`referrer_status`), nothing else. Cleared when the
    # referral is anonymised.
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals_made",
    )
    # The random key of the form that sent it (`services.submit`): the same form sent
    # twice records one referral. Not personal: it names nothing but this request.
    submission_key = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    # Set when retention blanked everything personal (referrals.retention): the row stays,
    # to be counted.
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        permissions = [
            ("triage_referral", "Can triage referrals in their localities"),
            ("work_on_referral", "Can work on referrals allocated to them"),
            ("record_helpline_call", "Can record helpline calls"),
            # One per report (referrals.reports), granted by referrals 0003.
            (
                "report_helpline_by_caller_and_hour",
                "Can see the report: helpline calls by caller and hour",
            ),
            (
                "report_referrals_by_source_and_month",
                "Can see the report: referrals by source and month",
            ),
            (
                "report_referrals_by_locality",
                "Can see the report: referrals and the high-risk route by locality",
            ),
            ("report_referral_outcomes", "Can see the report: outcomes of referrals"),
            (
                "report_days_to_first_contact",
                "Can see the report: days from referral to first contact",
            ),
            ("report_contact_attempts", "Can see the report: contact attempts per referral"),
            (
                "report_days_to_service_start",
                "Can see the report: days from referral to a service starting",
            ),
            (
                "handle_subject_request",
                "Can export and erase a person's referrals (subject access and erasure)",
            ),
        ]

    def __str__(self):
        # No personal data: names the referral in logs and Wagtail's action log.
        return f"Referral {self.reference}"

    @property
    def high_risk(self) -> bool:
        return self.route == Route.HIGH_RISK

    @property
    def answers(self) -> dict[int, str]:
        """The DASH checklist's answers by question number (none: not completed)."""
        return {int(k): v for k, v in json.loads(self.dash_answers or "{}").items()}

    @property
    def dash_score(self) -> int | None:
        return dash.score(self.answers) if self.dash_answers else None

    @property
    def risk_reason_labels(self) -> list[str]:
        return [dash.REASONS[code] for code in self.risk_reasons if code in dash.REASONS]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def senior_review_pending(self) -> bool:
        return self.senior_review_due_at is not None and self.senior_reviewed_at is None

    @property
    def referrer_status(self) -> str:
        return REFERRER_STATUS[self.status]

    def days_waiting(self, now=None) -> int:
        return ((now or timezone.now()) - self.created_at).days


class AttemptChannel(models.TextChoices):
    PHONE_CALL = "phone_call", "Phone call"
    TEXT = "text", "Text message"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"


# Which plan flag makes each channel safe.
CHANNEL_FLAGS = {
    AttemptChannel.PHONE_CALL: "phone_call_is_safe",
    AttemptChannel.TEXT: "text_is_safe",
    AttemptChannel.EMAIL: "email_is_safe",
    AttemptChannel.LETTER: "letter_is_safe",
}


class AttemptOutcome(models.TextChoices):
    SPOKE = "spoke", "Spoke to them"
    NO_ANSWER = "no_answer", "No answer"
    VOICEMAIL = "voicemail", "Voicemail left as agreed"
    NOT_SAFE = "not_safe", "Not safe to talk"
    WRONG_NUMBER = "wrong_number", "Wrong number"


class ContactAttempt(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="attempts")
    channel = models.CharField(max_length=20, choices=AttemptChannel.choices)
    outcome = models.CharField(max_length=20, choices=AttemptOutcome.choices)
    at = models.DateTimeField(default=timezone.now)
    inside_safe_window = models.BooleanField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"Contact attempt #{self.pk}"

    @property
    def succeeded(self) -> bool:
        return self.outcome == AttemptOutcome.SPOKE


class CaseNote(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Case note #{self.pk}"


class Handover(models.Model):
    """A change of community worker or of locality, with the reason for it."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="handovers")
    from_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    to_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    from_locality = models.ForeignKey("portal.Locality", on_delete=models.PROTECT, related_name="+")
    to_locality = models.ForeignKey("portal.Locality", on_delete=models.PROTECT, related_name="+")
    reason = EncryptedTextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"Handover #{self.pk}"


class CallerType(models.TextChoices):
    PERSON = "person", "The person themself"
    FRIEND = "friend", "A friend"
    FAMILY = "family", "A family member"
    PROFESSIONAL = "professional", "A professional"
    OTHER = "other", "Someone else"


class AdviceTopic(models.TextChoices):
    WORRIED_ABOUT_SOMEONE = "worried", "Worried about someone"
    SAFETY = "safety", "Staying safe"
    SERVICES = "services", "What the service offers"
    REFERRING = "referring", "How to refer"
    LEGAL_HOUSING = "legal_housing", "Legal or housing questions"
    OTHER = "other", "Something else"


class AdviceContact(models.Model):
    """A helpline call that was advice only: no personal data is asked for. What was advised
    is encrypted (a caller may have said more than they meant to); the rest stays plain for
    the reports. A call without a locality is seen by the one who recorded it (and counted
    in figures for the whole service)."""

    caller_type = models.CharField(max_length=20, choices=CallerType.choices)
    topic = models.CharField(max_length=20, choices=AdviceTopic.choices)
    locality = models.ForeignKey(
        "portal.Locality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="advice_contacts",
    )
    advice = EncryptedTextField(help_text="What was advised.")
    called_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-called_at", "-pk"]

    def __str__(self):
        return f"Advice contact #{self.pk}"
