"""Demo people and organisations for seed_demo. Apps add their own in `<app>/demo.py`."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth.models import Group

from portal.accounts.models import Membership, Organisation, Sector, User
from portal.localities import Locality, StaffAssignment

DEMO_PASSWORD = "demo-portal-2026"  # noqa: S105 - shown in the README; seed_demo needs DEBUG on
# Base32 secret shared by the demo staff, so `manage.py demo_totp` can print today's code.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 - demo staff only
COUNCIL_DOMAIN = (
    settings.COUNCIL_EMAIL_DOMAINS[0]
    if settings.COUNCIL_EMAIL_DOMAINS
    else "council.example.gov.uk"
)

DEMO_STAFF = [
    ("admin@portal.example.org.uk", "Ada", "Admin", None),
    (f"editor@{COUNCIL_DOMAIN}", "Erin", "Editor", "Editor"),
    (f"coordinator@{COUNCIL_DOMAIN}", "Cora", "Coordinator", "Coordinator"),
    ("trainer@portal.example.org.uk", "Tom", "Trainer", "Trainer"),
    ("facilitator@portal.example.org.uk", "Fay", "Facilitator", "Programme facilitator"),
    (f"volunteers@{COUNCIL_DOMAIN}", "Vic", "Volunteers", "Volunteer coordinator"),
    (f"commissioner@{COUNCIL_DOMAIN}", "Cal", "Commissioner", "Commissioner"),
    (f"worker@{COUNCIL_DOMAIN}", "Wren", "Worker", "Community worker"),
]
# Assigned to every locality, online included (the demo coordinator coordinates everything,
# the demo community worker can be allocated anywhere; the demo trainer sees the sessions
# they train, assigned in courses/demo.py).
LOCALITY_ROLES = {"Coordinator", "Community worker"}
DEMO_PEOPLE = [
    ("member@business.example.com", "Bea", "Business", "Northgate Logistics Ltd", True),
    ("public@example.com", "Pat", "Public", None, False),
]
DEMO_ORGANISATIONS = [
    ("Riverside Borough Council", Sector.COUNCIL),
    ("Riverside Housing Partnership", Sector.PARTNER_AGENCY),
    ("Northgate Logistics Ltd", Sector.BUSINESS),
    ("Safe Steps Women's Aid", Sector.VOLUNTARY),
    ("Riverside Primary Care Network", Sector.PUBLIC_SECTOR),
    ("Riverside Tenants' Forum", Sector.OTHER),
]


def _person(email, first, last, **extra) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": first, "last_name": last, **extra}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _with_totp(user: User) -> None:
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
        RecoveryCodes.activate(user)


def seed() -> list[tuple[str, str]]:
    """Create the demo organisations and one user per role; returns (email, role) rows."""
    organisations = {
        name: Organisation.objects.get_or_create(name=name, defaults={"sector": sector})[0]
        for name, sector in DEMO_ORGANISATIONS
    }
    rows = []
    for email, first, last, role in DEMO_STAFF:
        extra = {"is_superuser": True, "is_staff": True} if role is None else {}
        user = _person(email, first, last, **extra)
        if role:
            user.groups.add(Group.objects.get(name=role))
        if role in LOCALITY_ROLES:
            for locality in Locality.objects.all():
                StaffAssignment.objects.get_or_create(user=user, locality=locality)
        _with_totp(user)
        rows.append((email, role or "Administrator"))
    for email, first, last, organisation, is_admin in DEMO_PEOPLE:
        user = _person(email, first, last)
        if organisation:
            Membership.objects.get_or_create(
                user=user, organisation=organisations[organisation], defaults={"is_admin": is_admin}
            )
        rows.append((email, f"{organisation} (organisation admin)" if organisation else "Public"))
    return rows
