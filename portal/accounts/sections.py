"""Sections of the "My account" page, contributed by each app.

An app registers a function that takes the request and returns an `AccountSection` (or None
when it has nothing to show this person); courses add bookings, volunteers applications,
programmes enrolments.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class AccountSection:
    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


_providers: list[Callable] = []


def register(provider: Callable) -> Callable:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def account_sections(request) -> list[AccountSection]:
    sections = [section for provider in _providers if (section := provider(request))]
    return sorted(sections, key=lambda s: s.order)
