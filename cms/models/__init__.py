from cms.models.dropins import DropIn, DropInCancellation, Weekday
from cms.models.helpline import HelplineClosure, HelplineSettings
from cms.models.pages import (
    AccessibilityStatementPage,
    DropInFinderPage,
    GuidanceIndexPage,
    GuidancePage,
    HomePage,
    PrivacyNoticePage,
    SafetyPage,
    StandardPage,
)
from cms.models.taxonomy import Audience, Topic

__all__ = [
    "AccessibilityStatementPage",
    "Audience",
    "DropIn",
    "DropInCancellation",
    "DropInFinderPage",
    "GuidanceIndexPage",
    "GuidancePage",
    "HelplineClosure",
    "HelplineSettings",
    "HomePage",
    "PrivacyNoticePage",
    "SafetyPage",
    "StandardPage",
    "Topic",
    "Weekday",
]
