from dataclasses import replace
from types import SimpleNamespace
from urllib.parse import quote, urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal import crypto, notify

# The longest address the account tables hold (RFC 5321's path limit, less the brackets).
EMAIL_MAX_LENGTH = 254


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email):
        email = super().clean_email(email).strip().lower()
        # Refused, not cut short: a truncated address loses its domain and reaches nobody.
        if len(email) > EMAIL_MAX_LENGTH:
            raise ValidationError(
                f"Enter an email address of {EMAIL_MAX_LENGTH} characters or fewer",
                code="max_length",
            )
        return email

    def get_reauthentication_methods(self, user) -> list[dict]:
        """Someone with an authenticator re-authenticates with it, not with the password:
        the password alone must not reach what the second factor protects."""
        from portal.accounts.second_factor import has_authenticator

        methods = super().get_reauthentication_methods(user)
        if has_authenticator(user):
            methods = [m for m in methods if m["id"] != "reauthenticate"]
        return methods

    def get_reset_password_from_key_url(self, key: str) -> str:
        # Built from SITE_URL, as every link we send is: the email is sent from a task, where
        # there is no request to take a host from (and a request's Host is the sender's).
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return settings.SITE_URL + path.replace("UID-KEY", quote(key))

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        # From SITE_URL, as the reset link is: not from the Host the sign-up was sent with.
        path = reverse("account_confirm_email", args=[emailconfirmation.key])
        return settings.SITE_URL + path

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Account emails go through the outbox like every other message, so they honour the
        person's preferences: never to an address they marked unsafe, and with a neutral
        sender, subject and site name when they asked for discreet messages."""
        from portal.accounts.models import User

        user = context.get("user") or User.objects.filter(email__iexact=email).first()
        recipient = notify.Recipient.for_user(user) if user else notify.Recipient(email=email)
        # Sent where allauth says (a newly added address is verified at that address).
        recipient = replace(recipient, email=email)
        # The site is named from SERVICE_NAME and SITE_URL, never from the Sites framework's
        # row ("example.com") or the request's host; in discreet mode it is not named at all.
        site_name = "Appointments" if recipient.discreet else settings.SERVICE_NAME
        site = SimpleNamespace(name=site_name, domain=urlsplit(settings.SITE_URL).netloc)
        rendered = self.render_mail(
            template_prefix,
            email,
            {
                "email": email,
                **context,
                "current_site": site,
                "site_name": site_name,
                "site_url": settings.SITE_URL,
                "discreet": recipient.discreet,
                "recipient_name": recipient.name,
            },
        )
        alternatives = getattr(rendered, "alternatives", [])
        notify.send_rendered(
            recipient,
            kind=f"accounts.{template_prefix.rsplit('/', 1)[-1]}",
            subject=rendered.subject,
            text=rendered.body,
            html=next((body for body, mimetype in alternatives if mimetype == "text/html"), ""),
        )


class MFAAdapter(DefaultMFAAdapter):
    """Authenticator secrets (the TOTP key, the recovery-code seed) are stored encrypted with
    the field keys, and re-encrypted by `manage.py rotate_encryption_keys`."""

    def encrypt(self, text: str) -> str:
        return crypto.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return crypto.decrypt(encrypted_text)
