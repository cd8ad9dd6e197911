import re
from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from courses.models import Audience, PaymentMethod, Topic
from courses.selectors import where_choices

MAX_PLACES_PER_BOOKING = 20
CATALOGUE_DAYS_AHEAD = 2 * 366


class CatalogueFilterForm(forms.Form):
    audience = forms.ChoiceField(
        label="Who is it for", choices=[("", "Anyone"), *Audience.choices], required=False
    )
    topic = forms.ModelChoiceField(
        label="Topic",
        queryset=Topic.objects.all(),
        to_field_name="slug",
        empty_label="Any topic",
        required=False,
    )
    where = forms.ChoiceField(
        label="Where",
        choices=where_choices,
        required=False,
    )
    date_from = forms.DateField(
        label="From",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the start date as a real date, like 2026-03-27."},
    )
    date_to = forms.DateField(
        label="To",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the end date as a real date, like 2026-03-27."},
    )
    availability = forms.ChoiceField(
        label="Availability",
        choices=[("", "Any"), ("available", "Places left"), ("full", "Full (waiting list)")],
        required=False,
    )

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        latest = today + timedelta(days=CATALOGUE_DAYS_AHEAD)
        for name, label in (("date_from", "start"), ("date_to", "end")):
            day = data.get(name)
            if day and day > latest:
                self.add_error(
                    name,
                    f"The {label} date must be on or before {latest:%-d %B %Y}: sessions are "
                    "listed up to two years ahead.",
                )
        if data.get("date_to") and data["date_to"] < today:
            self.add_error(
                "date_to",
                f"The end date must be today ({today:%-d %B %Y}) or later: only sessions to "
                "come are listed.",
            )
        elif data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "The end date must be the same as or after the start date.")
        return data


class BookingForForm(forms.Form):
    """The first step for a member of an organisation: who the places are for, and how many.
    Bound to the query string (a GET form), so the next step's address can be bookmarked and
    the browser's back button works."""

    places = forms.IntegerField(
        label="How many places",
        min_value=1,
        max_value=MAX_PLACES_PER_BOOKING,
        error_messages={
            "required": "Enter how many places you want.",
            "invalid": "Enter how many places as a number, like 3.",
            "min_value": "Book at least 1 place.",
            "max_value": f"Book at most {MAX_PLACES_PER_BOOKING} places at a time.",
        },
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        # "for" is a Python keyword: the field is added by name.
        self.fields = {
            "for": forms.ChoiceField(
                label="Who are you booking for",
                choices=[("", "Just me"), *[(str(o.pk), o.name) for o in organisations]],
                required=False,
                widget=forms.RadioSelect,
                error_messages={
                    "invalid_choice": "You can only book for an organisation you belong to."
                },
            ),
            **self.fields,
        }
        self.organisations = {str(o.pk): o for o in organisations}

    def clean(self):
        data = super().clean()
        if not data.get("for") and (data.get("places") or 1) > 1:
            self.add_error(
                "places",
                "To book more than one place, choose your organisation and name each attendee.",
            )
        return data

    @property
    def organisation(self):
        return self.organisations.get(self.cleaned_data.get("for") or "")


class BookingForm(forms.Form):
    """At which price (only when booking for yourself: places booked for an organisation are
    at its audience's price) and how to pay. The price itself is never taken from the form."""

    audience = forms.ChoiceField(
        label="Which price applies to you",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose which price applies to you."},
    )
    payment = forms.ChoiceField(
        label="How will your organisation pay",
        choices=[
            (PaymentMethod.CARD, "By card, now"),
            (PaymentMethod.INVOICE, "By invoice, with a purchase-order number"),
        ],
        required=False,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": "Choose how to pay: by card, or by invoice if your organisation "
            "is one we invoice."
        },
    )
    purchase_order = forms.CharField(label="Purchase-order number", max_length=50, required=False)

    def __init__(
        self,
        *args,
        audience_choices=None,
        invoice_allowed=False,
        card_allowed=True,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        if not card_allowed:
            # No card payments on this site: paid places are invoiced, or not offered.
            self.fields["payment"].choices = [
                c for c in self.fields["payment"].choices if c[0] != PaymentMethod.CARD
            ]
            self.fields["payment"].error_messages["invalid_choice"] = (
                "Paying by card is not available on this site: choose to pay by invoice."
            )
        # Only members of an invoiced organisation booking for it are offered the choice;
        # the field stays in the form so that a tampered choice gets a clear error.
        self.invoice_allowed = invoice_allowed
        if audience_choices is None:
            del self.fields["audience"]  # booking for an organisation: its price
        else:
            self.fields["audience"].choices = audience_choices

    def clean(self):
        data = super().clean()
        if data.get("payment") == PaymentMethod.INVOICE:
            if not self.invoice_allowed:
                self.add_error(
                    None,
                    "Paying by invoice is only for members of an organisation we invoice, "
                    "booking for it. Pay by card instead.",
                )
            elif not data.get("purchase_order", "").strip():
                self.add_error("purchase_order", "Enter your purchase-order number.")
        else:
            data["payment"] = PaymentMethod.CARD
        return data


class AttendeeForm(forms.Form):
    name = forms.CharField(
        label="Full name",
        max_length=150,
        error_messages={"required": "Enter the full name.", "max_length": "Enter a shorter name."},
    )
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter the email address.",
            "invalid": "Enter an email address in the correct format, like name@example.com.",
        },
    )
    needs = forms.CharField(
        label="Access or dietary needs (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SelfAttendeeForm(forms.Form):
    needs = AttendeeForm.base_fields["needs"]


class BaseAttendeeFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        emails = [f.cleaned_data["email"].lower() for f in self.forms if f.cleaned_data]
        if len(emails) != len(set(emails)):
            raise ValidationError("Each attendee needs their own email address.")


AttendeeFormSet = forms.formset_factory(
    AttendeeForm,
    formset=BaseAttendeeFormSet,
    extra=0,
    min_num=1,
    max_num=MAX_PLACES_PER_BOOKING,
    validate_min=True,
    validate_max=True,
)


class TransferForm(AttendeeForm):
    pass


# What courses.models.Booking.new_reference issues: "TR-" and six of its letters and digits.
BOOKING_REFERENCE = re.compile(r"TR-[A-HJ-NP-Z2-9]{6}")


class FindBookingForm(forms.Form):
    reference = forms.CharField(
        label="Booking reference", max_length=20, help_text="For example TR-AB3CD4."
    )

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip().upper()
        if not BOOKING_REFERENCE.fullmatch(reference):
            raise ValidationError(
                "Enter a booking reference as it was given: TR-, then six letters and digits, "
                "for example TR-AB3CD4."
            )
        return reference
