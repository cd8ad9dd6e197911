"""Who an email address belongs to. Only a verified address is someone's: anyone can open an
account in another person's name, and until they prove the address is theirs it tells us
nothing (portal.notify decides whose preferences apply the same way)."""

from __future__ import annotations

from portal.accounts.models import User


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
