"""How a message is written for its recipient: templates, text messages, discreet mode."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string

from portal.contact.windows import common_safe_time


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: str
    mimetype: str = "application/octet-stream"


# What a discreet recipient gets when a message has no discreet version of its own: nothing
# about what it concerns, rather than the full message under a neutral subject.
NEUTRAL_TEMPLATE = "portal/emails/neutral"
# A text message: `<template>.sms.txt` (`<template>.discreet.sms.txt` when discreet) where the
# message has one, otherwise this, which says only that there is something to read.
NEUTRAL_SMS_TEMPLATE = "portal/sms/neutral"


def _render(template: str, context: dict, discreet: bool) -> tuple[str, str]:
    if discreet:
        try:
            return _render_pair(f"{template}.discreet", context)
        except TemplateDoesNotExist:
            return _render_pair(NEUTRAL_TEMPLATE, context)
    return _render_pair(template, context)


def _render_sms(template: str, context: dict, discreet: bool) -> str:
    name = f"{template}.discreet.sms" if discreet else f"{template}.sms"
    try:
        return render_to_string(f"{name}.txt", context).strip()
    except TemplateDoesNotExist:
        return render_to_string(f"{NEUTRAL_SMS_TEMPLATE}.txt", context).strip()


def _render_pair(name: str, context: dict) -> tuple[str, str]:
    text = render_to_string(f"{name}.txt", context)
    try:
        html = render_to_string(f"{name}.html", context)
    except TemplateDoesNotExist:
        html = ""
    return text, html


def _safe_time(plans, at: datetime) -> datetime | None:
    return common_safe_time([(p.safe_days, p.safe_windows) for p in plans], at)


def _discreet_attachments(
    attachments: list[Attachment], *, keep_location: bool = False
) -> list[Attachment]:
    """Calendar files made discreet (neutral title, no description, link or organiser, and
    no place unless the person chose to be told it); anything else, which could say what
    the message is about, left out."""
    from portal.calendars import make_discreet

    kept = []
    for attachment in attachments:
        if attachment.mimetype.startswith("text/calendar"):
            content = make_discreet(attachment.content, keep_location=keep_location)
            if content is not None:
                kept.append(replace(attachment, content=content))
    return kept
