"""allauth's forms in the portal's words and GOV.UK's ways: labels that say what to enter,
no placeholders (they vanish as the person types), hints in sentences, links styled."""

from django import template
from django.contrib.auth.password_validation import password_validators_help_texts
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()

LABELS = {
    "login": "Email address",
    "email": "Email address",
    "oldpassword": "Current password",
    "password": "Password",
    "code": "Code",
}


@register.filter
def govuk_account_form(form):
    """The same form, its fields relabelled for the page (allauth's views make the form; the
    elements/fields.html template renders every one of them through here)."""
    for name, field in form.fields.items():
        field.widget.attrs.pop("placeholder", None)
        new = "new" in str(field.label).lower()
        if name in LABELS:
            field.label = LABELS[name]
        elif name == "password1":
            field.label = "New password" if new else "Create a password"
            field.help_text = " ".join(password_validators_help_texts())
        elif name == "password2":
            field.label = "Confirm your new password" if new else "Confirm your password"
        if "<a " in str(field.help_text):  # allauth's "Forgot your password?" link
            field.help_text = format_html(
                '<a class="govuk-link" href="{}">Forgotten your password?</a>',
                reverse("account_reset_password"),
            )
    # A bound form has made its bound fields already (validating it does): they copy the
    # label and hint when made, so they are given the new ones too.
    for bound in form:
        bound.label, bound.help_text = bound.field.label, bound.field.help_text
    return form
