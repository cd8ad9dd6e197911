"""Attendee names and emails and purchase-order numbers are encrypted at rest, and found
through the email's blind index (My bookings, the one-place rule, rotation, migration)."""

import importlib

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from courses import selectors, services
from courses.models import Attendee, Audience, Booking, CourseAudience, PaymentMethod
from courses.services import AttendeeDetails
from portal.crypto import blind_index, blind_lookup
from portal.places import HoldingStatus
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "courses.migrations.0008_encrypt_existing_attendees_and_purchase_orders"
)


def stored(table: str, pk: int, *columns: str) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()


def book_invoiced(session, *people):
    membership = MembershipFactory(organisation__invoiced=True, organisation__sector="business")
    CourseAudience.objects.get_or_create(
        course=session.course, audience=Audience.BUSINESS, defaults={"price_pence": 4500}
    )
    return services.book(
        session=session,
        user=membership.user,
        audience=Audience.BUSINESS,
        organisation=membership.organisation,
        attendees=[AttendeeDetails(name, email) for name, email in people],
        pay_by=PaymentMethod.INVOICE,
        purchase_order="PO-SECRET-991",
    )


def test_attendee_names_emails_and_purchase_orders_are_not_stored_in_plain_text(training_session):
    booking = book_invoiced(training_session, ("Robin Hartley", "Robin.Hartley@Firm.example"))
    attendee = booking.attendees.get()
    name, email, index = stored("courses_attendee", attendee.pk, "name", "email", "email_index")
    assert name.startswith("fernet:") and "Robin" not in name
    assert email.startswith("fernet:") and "hartley" not in email.lower()
    assert index == blind_index("robin.hartley@firm.example")
    (purchase_order,) = stored("courses_booking", booking.pk, "purchase_order")
    assert purchase_order.startswith("fernet:") and "991" not in purchase_order
    attendee = Attendee.objects.get(pk=attendee.pk)
    assert (attendee.name, attendee.email) == ("Robin Hartley", "robin.hartley@firm.example")
    assert Booking.objects.get(pk=booking.pk).purchase_order == "PO-SECRET-991"


def test_the_data_migration_encrypts_plaintext_rows_and_fills_the_blind_index(training_session):
    booking = book_invoiced(training_session, ("Robin Hartley", "robin@firm.example"))
    attendee = booking.attendees.get()
    with connection.cursor() as cursor:  # as rows were before the migration
        cursor.execute(
            "UPDATE courses_attendee SET name = %s, email = %s, email_index = '' WHERE id = %s",
            ["Robin Hartley", "robin@firm.example", attendee.pk],
        )
        cursor.execute(
            "UPDATE courses_booking SET purchase_order = %s WHERE id = %s", ["PO-7", booking.pk]
        )

    migration.encrypt(apps, None)

    name, email, index = stored("courses_attendee", attendee.pk, "name", "email", "email_index")
    assert name.startswith("fernet:") and email.startswith("fernet:")
    assert index == blind_index("robin@firm.example")
    assert (
        Attendee.objects.get(**blind_lookup("email", "Robin@firm.example")).name == "Robin Hartley"
    )
    assert Booking.objects.get(pk=booking.pk).purchase_order == "PO-7"
    migration.encrypt(apps, None)  # idempotent: an encrypted row is left as it is
    assert stored("courses_attendee", attendee.pk, "name") == (name,)

    migration.decrypt(apps, None)
    assert stored("courses_attendee", attendee.pk, "name", "email") == (
        "Robin Hartley",
        "robin@firm.example",
    )
    assert stored("courses_booking", booking.pk, "purchase_order") == ("PO-7",)


def test_my_bookings_finds_a_named_place_through_the_blind_index_across_a_key_rotation(
    training_session, settings
):
    named = UserFactory(email="named@firm.example")
    booking = book_invoiced(training_session, ("Named", "Named@Firm.example"))
    assert list(selectors.bookings_of(named)) == [booking]
    assert [a.booking for a in selectors.confirmed_places_of(named)] == [booking]

    old_key = settings.BLIND_INDEX_KEYS[0]
    settings.BLIND_INDEX_KEYS = ["the-next-blind-index-secret-0123456789abcdef", old_key]
    assert list(selectors.bookings_of(named)) == [booking]  # indexed under the old key still
    before = stored("courses_attendee", booking.attendees.get().pk, "email_index")

    call_command("rotate_encryption_keys")

    after = stored("courses_attendee", booking.attendees.get().pk, "email_index")
    assert after != before and after == (blind_index("named@firm.example"),)
    settings.BLIND_INDEX_KEYS = settings.BLIND_INDEX_KEYS[:1]  # the old key retired
    assert list(selectors.bookings_of(named)) == [booking]
    assert booking.status == HoldingStatus.CONFIRMED


def test_the_one_place_rule_matches_the_email_however_it_is_typed(training_session):
    book_invoiced(training_session, ("Robin", "robin@firm.example"))
    with pytest.raises(services.BookingError, match="robin@firm.example already has a place"):
        book_invoiced(training_session, ("Robin again", " ROBIN@firm.example "))
