from django import forms
from django.core.exceptions import ValidationError

from courses.models import Audience, PaymentMethod, Topic
from courses.selectors import where_choices

MAX_PLACES_PER_BOOKING = 20


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
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    availability = forms.ChoiceField(
        label="Availability",
        choices=[("", "Any"), ("available", "Places left"), ("full", "Full (waiting list)")],
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "The end date must be the same as or after the start date.")
        return data


class BookingForm(forms.Form):
    """Who books, at which price. The price itself is never taken from the form."""

    audience = forms.ChoiceField(label="Which price applies to you", widget=forms.RadioSelect)
    organisation = forms.ChoiceField(label="Who are you booking for", required=False)
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
        audience_choices,
        organisations,
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
        self.fields["audience"].choices = audience_choices
        if organisations:
            self.fields["organisation"].choices = [
                ("", "Just me"),
                *[(str(o.pk), f"{o.name} (name each attendee)") for o in organisations],
            ]
        else:
            del self.fields["organisation"]

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
    name = forms.CharField(label="Full name", max_length=150)
    email = forms.EmailField(label="Email address")
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


class PlacesCountForm(forms.Form):
    places = forms.IntegerField(
        label="How many places", min_value=1, max_value=MAX_PLACES_PER_BOOKING
    )


class TransferForm(AttendeeForm):
    pass
