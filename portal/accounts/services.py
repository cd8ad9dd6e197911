"""Writes to a person's own account."""

from portal.accounts.models import User


def change_name(user: User, *, first_name: str, last_name: str) -> User:
    """The name their places, registers, invites and certificates carry from now on (places
    already booked keep the name they were booked in)."""
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.save(update_fields=["first_name", "last_name"])
    return user
