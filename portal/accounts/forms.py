"""allauth's forms, changed so that a request does the same work whether or not the address
it names has an account: what differs happens later, in a task, or is done either way."""

from allauth.account import forms as allauth_forms
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


class SignupForm(allauth_forms.SignupForm):
    """A sign-up with an address that already has an account sends that account an email
    and creates nothing (allauth's enumeration prevention). It hashes the password it was
    given all the same: the hash is what a new account's sign-up spends its time on, and
    skipping it would tell, by the answer's speed, that the address is taken."""

    def try_save(self, request):
        if self.account_already_exists and self.cleaned_data.get("password1"):
            make_password(self.cleaned_data["password1"])
        return super().try_save(request)
