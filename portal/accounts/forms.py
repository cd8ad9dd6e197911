"""allauth's forms, changed so that a request does the same work whether or not the address
it names has an account: what differs happens later, in a task, or is done either way."""

from allauth.account import forms as allauth_forms
from django import forms
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django_q.tasks import async_task


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    """Queues the reset and answers at once: looking the address up, making the link and
    writing the email are the task's (`portal.accounts.tasks.send_password_reset`), so the
    answer takes as long for an unknown address as for a known one."""

    def clean_email(self) -> str:
        from allauth.account.adapter import get_adapter

        self.users = []  # looked up in the task, never while the person waits
        get_adapter().clean_email(self.cleaned_data["email"].lower())
        return self.cleaned_data["email"]

    def save(self, request, **kwargs) -> str:
        email = self.cleaned_data["email"]
        transaction.on_commit(
            lambda: async_task("portal.accounts.tasks.send_password_reset", email)
        )
        return email


# The User's first_name and last_name (AbstractUser's, which Wagtail's user screens list, sort
# and search): a first name is asked for, a last name only of those who have one.
NAME_MAX_LENGTH = 150


def first_name_field() -> forms.CharField:
    return forms.CharField(
        label="First name",
        max_length=NAME_MAX_LENGTH,
        error_messages={
            "required": "Enter your first name",
            "max_length": f"First name must be {NAME_MAX_LENGTH} characters or fewer",
        },
        widget=forms.TextInput(attrs={"autocomplete": "given-name", "spellcheck": "false"}),
    )


def last_name_field() -> forms.CharField:
    return forms.CharField(
        label="Last name",
        help_text="Leave this empty if you have only one name.",
        max_length=NAME_MAX_LENGTH,
        required=False,
        error_messages={
            "max_length": f"Last name must be {NAME_MAX_LENGTH} characters or fewer",
        },
        widget=forms.TextInput(attrs={"autocomplete": "family-name", "spellcheck": "false"}),
    )


class NameForm(forms.Form):
    """The name on a person's places, registers, invites and certificates."""

    first_name = first_name_field()
    last_name = last_name_field()


class SignupForm(allauth_forms.SignupForm):
    """Asks for the person's name first: their places, registers, invites and certificates
    carry it (allauth's adapter saves first_name and last_name from the form).

    A sign-up with an address that already has an account sends that account an email
    and creates nothing (allauth's enumeration prevention). It hashes the password it was
    given all the same: the hash is what a new account's sign-up spends its time on, and
    skipping it would tell, by the answer's speed, that the address is taken."""

    first_name = first_name_field()
    last_name = last_name_field()
    field_order = ["first_name", "last_name", "email", "password1", "password2"]

    def try_save(self, request):
        if self.account_already_exists and self.cleaned_data.get("password1"):
            make_password(self.cleaned_data["password1"])
        return super().try_save(request)
