"""Referral and helpline reports for commissioners, registered with portal.reports; the rows
come from `rows` (each counts only what the requesting user's scope allows)."""

from portal.reports.registry import ServiceReport, register
from portal.reports.suppression import Figures

from .. import dash
from ..models import Source
from .rows import (
    HOUR_KEYS,
    HOURS,
    RISK_KEYS,
    SOURCE_KEYS,
    contact_attempts,
    days_to_first_contact,
    days_to_service_start,
    helpline_by_caller_and_hour,
    referral_outcomes,
    referrals_by_locality,
    referrals_by_source_and_month,
    register_service_start,
    support_endings,
)

__all__ = ["register_service_start"]

REFERRAL_DATES = "Referrals made (and helpline calls taken) between these dates."

register(
    ServiceReport(
        slug="helpline-by-caller-and-hour",
        title="Helpline calls by caller and hour",
        description="Every call recorded: advice contacts and referrals taken by phone, by "
        "who called and the hour the call came in (the helpline is open 8am to 6pm).",
        columns=[
            ("caller", "Caller"),
            *[(key, f"{hour}:00") for key, hour in HOURS.items()],
            ("other_hours", "Outside opening hours"),
            ("calls", "Calls"),
        ],
        rows=helpline_by_caller_and_hour,
        permission="referrals.report_helpline_by_caller_and_hour",
        figures=Figures(
            counts=(*HOUR_KEYS, "other_hours", "calls"),
            row_totals={"calls": (*HOUR_KEYS, "other_hours")},
            column_totals=(*HOUR_KEYS, "other_hours", "calls"),
        ),
        date_help="Calls taken between these dates.",
        order=50,
    )
)
register(
    ServiceReport(
        slug="referrals-by-source-and-month",
        title="Referrals by source and month",
        description="Referrals by where they came from and the month they were made, with "
        "the helpline's advice-only calls beside them (not counted as referrals).",
        columns=[
            ("month", "Month"),
            *Source.choices,
            ("referrals", "Referrals"),
            ("advice", "Advice-only calls"),
        ],
        rows=referrals_by_source_and_month,
        permission="referrals.report_referrals_by_source_and_month",
        figures=Figures(
            counts=(*SOURCE_KEYS, "referrals", "advice"),
            row_totals={"referrals": SOURCE_KEYS},
            column_totals=(*SOURCE_KEYS, "referrals", "advice"),
        ),
        date_help=REFERRAL_DATES,
        order=51,
    )
)
register(
    ServiceReport(
        slug="referrals-by-locality",
        title="Referrals and the high-risk route by locality",
        description="Referrals by locality, by route (the community queue, or recorded for "
        "the MARAC and IDVA route) and by risk level, with advice-only calls beside them.",
        columns=[
            ("locality", "Locality"),
            ("community", "Community route"),
            ("high_risk", "High-risk route"),
            ("referrals", "Referrals"),
            *[(key, f"Risk: {dash.LEVEL_LABELS[level]}") for key, level in RISK_KEYS.items()],
            ("advice", "Advice-only calls"),
        ],
        rows=referrals_by_locality,
        permission="referrals.report_referrals_by_locality",
        figures=Figures(
            counts=("community", "high_risk", "referrals", *RISK_KEYS, "advice"),
            row_totals={"referrals": ("community", "high_risk")},
            more_row_totals=(("referrals", tuple(RISK_KEYS)),),
            column_totals=("community", "high_risk", "referrals", *RISK_KEYS, "advice"),
        ),
        date_help=REFERRAL_DATES,
        order=52,
    )
)
register(
    ServiceReport(
        slug="referral-outcomes",
        title="Outcomes of referrals",
        description="What triage decided for each referral made in the period.",
        columns=[("outcome", "Outcome"), ("referrals", "Referrals")],
        rows=referral_outcomes,
        permission="referrals.report_referral_outcomes",
        figures=Figures(counts=("referrals",), column_totals=("referrals",)),
        date_help=REFERRAL_DATES,
        order=53,
    )
)
register(
    ServiceReport(
        slug="support-endings",
        title="How community worker support ended",
        description="Community worker cases closed in the period, by why they ended.",
        columns=[("closure", "Why it ended"), ("cases", "Cases")],
        rows=support_endings,
        # The same figures as the outcomes, one step on: whoever reads those reads these.
        permission="referrals.report_referral_outcomes",
        figures=Figures(counts=("cases",), column_totals=("cases",)),
        date_help="Counted by the day the case was closed.",
        order=54,
    )
)
register(
    ServiceReport(
        slug="days-to-first-contact",
        title="Days from referral to first contact",
        description="For referrals made in the period: how long it took to first speak to "
        "the person (a contact attempt with the outcome 'spoke'), by locality.",
        columns=[
            ("locality", "Locality"),
            ("contacted", "Referrals contacted"),
            ("average_days", "Average days"),
            ("median_days", "Median days"),
            ("not_yet", "Not contacted yet"),
        ],
        rows=days_to_first_contact,
        permission="referrals.report_days_to_first_contact",
        figures=Figures(
            counts=("contacted", "not_yet"),
            derived={"average_days": ("contacted",), "median_days": ("contacted",)},
            column_totals=("contacted", "not_yet"),
        ),
        date_help=REFERRAL_DATES,
        order=55,
    )
)
register(
    ServiceReport(
        slug="days-to-service-start",
        title="Days from referral to a service starting",
        description="For referrals made in the period: how long until a service started "
        "(the day community worker support, counselling or a recovery programme was offered), "
        "by locality.",
        columns=[
            ("locality", "Locality"),
            ("contacted", "Services started"),
            ("average_days", "Average days"),
            ("median_days", "Median days"),
            ("not_yet", "No service started"),
        ],
        rows=days_to_service_start,
        permission="referrals.report_days_to_service_start",
        figures=Figures(
            counts=("contacted", "not_yet"),
            derived={"average_days": ("contacted",), "median_days": ("contacted",)},
            column_totals=("contacted", "not_yet"),
        ),
        date_help=REFERRAL_DATES,
        order=56,
    )
)
register(
    ServiceReport(
        slug="contact-attempts",
        title="Contact attempts per referral",
        description="How many contact attempts each referral made in the period has had.",
        columns=[("attempts", "Attempts"), ("referrals", "Referrals")],
        rows=contact_attempts,
        permission="referrals.report_contact_attempts",
        figures=Figures(counts=("referrals",), column_totals=("referrals",)),
        date_help=REFERRAL_DATES,
        order=57,
    )
)
