"""Who an email address belongs to. Only a verified address is someone's: anyone can open an
account in another person's name, and until they prove the address is theirs it tells us
nothing (portal.notify decides whose preferences apply the same way)."""

from __future__ import annotations

from django.db.models import QuerySet

from portal import scope
from portal.accounts.models import Organisation, User


def verified_emails(user) -> list[str]:
    """The addresses this person has proved are theirs, in lower case."""
    if not user.is_authenticated:
        return []
    from allauth.account.models import EmailAddress

    return sorted(
        {
            email.strip().lower()
            for email in EmailAddress.objects.filter(user=user, verified=True).values_list(
                "email", flat=True
            )
        }
    )


def user_with_verified_email(email: str) -> User | None:
    """The account that has proved this address is theirs, if one has."""
    return (
        User.objects.filter(emailaddress__email__iexact=email.strip(), emailaddress__verified=True)
        .order_by("pk")
        .first()
    )


def organisations_visible_to(user) -> QuerySet[Organisation]:
    """The organisations a member of staff may see: every one for a superuser, and for a
    commissioner (an organisation's name and sector are what their figures are counted by,
    not a person's record); for other staff, those assigned to them and those their work
    gives them (the apps' `scope.register_rule(Organisation, ...)`: courses, those that
    booked their sessions or have booked nothing yet)."""
    if user.is_authenticated and scope.figures_only(user):
        return Organisation.objects.all()
    return scope.visible(Organisation.objects.all(), user, locality=None)


def users_visible_to(user) -> QuerySet[User]:
    """The accounts a member of staff may see in the user admin: every one for a superuser
    (the only role that manages accounts), otherwise those assigned to them."""
    if user.is_authenticated and scope.figures_only(user):
        return User.objects.none()
    return scope.visible(User.objects.all(), user, locality=None)
