"""Safe-contact plans (portal/contact) and how notify obeys them."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from portal import notify
from portal.contact import selectors
from portal.contact.windows import LONDON, common_safe_time, next_safe_time
from portal.localities import StaffAssignment
from portal.models import AuditEvent, OutboxMessage, SafeContactPlan
from portal.notify import delivery
from tests.factories import SafeContactPlanFactory, UserFactory
from tests.staff import sign_in_to_staff_area

Status = OutboxMessage.Status


def london(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def message(**extra) -> notify.Message:
    return notify.Message(
        kind="tests.example",
        template="tests/emails/message",
        subject="Your place on Coercive control awareness",
        context={"thing": "Coercive control awareness"},
        **extra,
    )


def invite(location="Riverside Hall") -> notify.Attachment:
    from portal import calendars

    event = calendars.CalendarEvent(
        uid="place-9@courses.portal",
        sequence=0,
        start=datetime(2030, 3, 4, 10, tzinfo=UTC),
        end=datetime(2030, 3, 4, 12, tzinfo=UTC),
        title="Coercive control awareness",
        description="A domestic abuse course",
        location=location,
    )
    return calendars.as_attachment(calendars.invite(event), method="REQUEST")


# --- when: the safe days and times (pure functions) -------------------------------------

# Wednesday 2 December 2026; Monday is 7 December.
WEDNESDAY_NOON = london(2026, 12, 2, 12, 0)


@pytest.mark.parametrize(
    ("days", "windows", "at", "expected"),
    [
        ([], [], WEDNESDAY_NOON, WEDNESDAY_NOON),
        ([2], [["09:00", "17:00"]], WEDNESDAY_NOON, WEDNESDAY_NOON),
        ([], [["14:00", "15:00"]], WEDNESDAY_NOON, london(2026, 12, 2, 14, 0)),
        ([], [["09:00", "10:00"]], WEDNESDAY_NOON, london(2026, 12, 3, 9, 0)),
        ([0], [["09:00", "10:00"]], WEDNESDAY_NOON, london(2026, 12, 7, 9, 0)),
        ([0], [], WEDNESDAY_NOON, london(2026, 12, 7, 0, 0)),
        # The second window of the day, not the first of tomorrow.
        ([], [["09:00", "10:00"], ["13:00", "14:00"]], WEDNESDAY_NOON, london(2026, 12, 2, 13)),
        # UK time across the clocks changing: 09:00 in summer is 08:00 UTC.
        ([6], [["09:00", "10:00"]], london(2026, 3, 28, 12), datetime(2026, 3, 29, 8, tzinfo=UTC)),
    ],
)
def test_the_next_safe_time(days, windows, at, expected):
    assert next_safe_time(days, windows, at) == expected


def test_plans_whose_safe_times_never_meet_have_no_common_time():
    weekdays = ([0, 1, 2, 3, 4], [])
    weekend = ([5, 6], [])
    mornings = ([], [["09:00", "12:00"]])
    assert common_safe_time([weekdays, mornings], WEDNESDAY_NOON) == london(2026, 12, 3, 9)
    assert common_safe_time([weekdays, weekend], WEDNESDAY_NOON) is None


# --- notify obeys the plan ---------------------------------------------------------------

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("message_templates")]


def test_email_is_refused_when_the_plan_says_email_is_not_safe(
    django_capture_on_commit_callbacks,
):
    """A plan kept for someone without an account still rules their address (blind index)."""
    SafeContactPlanFactory(email="hidden@example.com", email_is_safe=False)
    with django_capture_on_commit_callbacks(execute=True):
        outbox = notify.send(notify.Recipient(email="Hidden@Example.com"), message())
    assert mail.outbox == []
    assert outbox.status == Status.SUPPRESSED and outbox.recipient == ""


def test_a_plan_can_be_sent_to_directly_and_its_preferred_name_is_used(
    django_capture_on_commit_callbacks,
):
    plan = SafeContactPlanFactory(email="kim@example.com", preferred_name="Kim")
    with django_capture_on_commit_callbacks(execute=True):
        notify.send(plan, message())
    [email] = mail.outbox
    assert email.to == ["kim@example.com"] and "Hello Kim" in email.body


@time_machine.travel(datetime(2026, 12, 2, 12, 0, tzinfo=UTC), tick=False)
def test_a_message_outside_the_safe_times_waits_for_the_next_window_then_goes(
    django_capture_on_commit_callbacks,
):
    user = UserFactory(plan={"safe_days": [0], "safe_windows": [["09:00", "10:00"]]})
    with django_capture_on_commit_callbacks(execute=True):
        outbox = notify.send(user, message())
    outbox.refresh_from_db()
    monday_nine = london(2026, 12, 7, 9, 0)
    assert outbox.status == Status.PENDING and outbox.not_before == monday_nine
    assert mail.outbox == []
    assert notify.deliver(outbox.pk) == "skipped" and notify.send_due() == 0
    with time_machine.travel(monday_nine + timedelta(minutes=5), tick=False):
        assert notify.send_due() == 1
    outbox.refresh_from_db()
    assert outbox.status == Status.SENT and len(mail.outbox) == 1


@time_machine.travel(datetime(2026, 12, 7, 9, 59, tzinfo=UTC), tick=False)
def test_a_retry_waits_for_a_safe_window_too(monkeypatch):
    user = UserFactory(plan={"safe_windows": [["09:00", "10:00"]]})
    outbox = notify.send(user, message())
    monkeypatch.setattr(delivery, "_send_email", lambda m: (_ for _ in ()).throw(OSError("down")))
    assert notify.deliver(outbox.pk) == Status.PENDING
    outbox.refresh_from_db()
    # A two-minute back-off would land at 10:01, past the window: tomorrow at nine.
    assert outbox.next_attempt_at == london(2026, 12, 8, 9, 0)


def test_the_plan_is_read_again_before_sending(django_capture_on_commit_callbacks):
    user = UserFactory(plan={})
    outbox = notify.send(user, message())
    SafeContactPlan.objects.filter(user=user).update(email_is_safe=False)
    assert notify.deliver(outbox.pk) == Status.SUPPRESSED
    outbox.refresh_from_db()
    assert mail.outbox == [] and outbox.status == Status.SUPPRESSED and outbox.body == ""


def test_a_plan_made_discreet_after_writing_sends_the_neutral_message(settings):
    settings.SERVICE_NAME = "Riverside Domestic Abuse Service"
    user = UserFactory(plan={})
    outbox = notify.send(user, message(attachments=[invite()]))
    SafeContactPlan.objects.filter(user=user).update(service_may_be_named=False)
    assert notify.deliver(outbox.pk) == Status.SENT
    [email] = mail.outbox
    assert email.subject == settings.DISCREET_SUBJECT
    assert email.from_email == settings.DISCREET_FROM_EMAIL
    assert "coercive" not in email.body.lower()
    assert "SUMMARY:Appointment" in email.attachments[0][1]


@pytest.mark.parametrize("location_in_calendar", [False, True])
def test_discreet_when_the_service_may_not_be_named(
    settings, django_capture_on_commit_callbacks, location_in_calendar
):
    settings.SERVICE_NAME = "Riverside Domestic Abuse Service"
    user = UserFactory(
        plan={"service_may_be_named": False, "location_in_calendar": location_in_calendar}
    )
    with django_capture_on_commit_callbacks(execute=True):
        notify.send(user, message(attachments=[invite()]))
    [email] = mail.outbox
    assert email.from_email == settings.DISCREET_FROM_EMAIL
    assert email.subject == settings.DISCREET_SUBJECT
    ics = email.attachments[0][1]
    everything = f"{email.from_email} {email.subject} {email.body} {ics}".lower()
    for revealing in ["domestic", "abuse", "coercive", "riverside domestic"]:
        assert revealing not in everything
    assert "SUMMARY:Appointment" in ics
    assert ("LOCATION:Riverside Hall" in ics) is location_in_calendar


def test_a_personal_feed_is_discreet_when_the_service_may_not_be_named():
    from portal import calendars

    user = UserFactory(plan={"service_may_be_named": False})
    assert b"X-WR-CALNAME:Appointments" in calendars.personal_feed(user)


# --- SMS -------------------------------------------------------------------------------


def test_without_a_provider_a_text_only_person_gets_nothing_and_staff_are_told_to_phone(
    settings,
):
    settings.SMS_BACKEND = ""
    plan = SafeContactPlanFactory(email_is_safe=False, text_is_safe=True, phone="07700 900123")
    outbox = notify.send(plan, message())
    assert outbox.status == Status.SUPPRESSED
    assert selectors.channels(plan) == [
        "Contact by phone (text only: the portal cannot send texts yet)"
    ]


def test_the_console_sms_backend_prints_a_text_message(
    settings, capsys, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "portal.sms.ConsoleBackend"
    settings.SERVICE_NAME = "Riverside Domestic Abuse Service"
    plan = SafeContactPlanFactory(
        email_is_safe=False, phone="07700 900123", service_may_be_named=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        outbox = notify.send(plan, message(attachments=[invite()]))
    outbox.refresh_from_db()
    assert outbox.channel == OutboxMessage.Channel.SMS and outbox.status == Status.SENT
    printed = capsys.readouterr().out
    assert "SMS to 07700 900123" in printed and "appointment" in printed
    assert "riverside" not in printed.lower() and "coercive" not in printed.lower()
    assert selectors.channels(plan) == ["Text message"]


def test_the_file_sms_backend_writes_one_file_per_message(settings, tmp_path):
    from portal import sms

    settings.SMS_BACKEND = "portal.sms.FileBackend"
    settings.SMS_FILE_PATH = tmp_path
    sms.send("07700 900123", "Hello")
    [written] = tmp_path.iterdir()
    assert written.read_text() == "To: 07700 900123\n\nHello\n"


def test_a_number_in_a_plan_without_an_account_rules_texts_to_it(settings):
    settings.SMS_BACKEND = "portal.sms.ConsoleBackend"
    SafeContactPlanFactory(phone="+44 7700 900123", text_is_safe=False)
    outbox = notify.send(notify.Recipient(phone="07700900123", email_is_safe=False), message())
    assert outbox.status == Status.SUPPRESSED


# --- the outbox: locks and erasure -------------------------------------------------------


def test_no_transaction_is_open_while_the_mail_server_is_talked_to(monkeypatch):
    """The claim is one autocommitted UPDATE: no row lock is held during the send."""
    outbox = notify.send(notify.Recipient(email="x@example.com"), message())
    depth = len(connection.atomic_blocks)
    seen = []
    monkeypatch.setattr(
        delivery, "_send_email", lambda m: seen.append(len(connection.atomic_blocks))
    )
    assert notify.deliver(outbox.pk) == Status.SENT
    assert seen == [depth]


def test_email_timeout_is_set(settings):
    assert settings.EMAIL_TIMEOUT == 30


def test_erase_for_deletes_the_messages_about_a_record():
    about, other = UserFactory(), UserFactory()
    kept = notify.send(notify.Recipient(email="a@example.com"), message(concerns=other))
    first = notify.send(notify.Recipient(email="a@example.com"), message(concerns=about))
    unsent = notify.send(
        notify.Recipient(email="b@example.com", email_is_safe=False), message(concerns=about)
    )
    assert first.concerns == about and unsent.status == Status.SUPPRESSED
    assert notify.erase_for(about) == 2
    assert list(OutboxMessage.objects.all()) == [kept]


def test_erasing_a_plan_erases_the_messages_written_under_it():
    plan = SafeContactPlanFactory()
    notify.send(plan, message())
    assert notify.erase_for(plan) == 1 and not OutboxMessage.objects.exists()


# --- staff screens and My account --------------------------------------------------------


def _views_of(plan):
    return AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(SafeContactPlan),
        target_id=str(plan.pk),
        action="view",
    )


def test_a_coordinator_sees_the_plan_and_the_view_is_audited(client):
    coordinator = UserFactory(roles=["Coordinator"])
    sign_in_to_staff_area(client, coordinator)
    plan = SafeContactPlanFactory(
        email_is_safe=False,
        phone_call_is_safe=True,
        voicemail_allowed=True,
        voicemail_wording="It is Sam from the dentist",
        safe_days=[0, 2],
        safe_windows=[["09:00", "12:00"]],
        review_date=timezone.localdate() - timedelta(days=1),
    )
    StaffAssignment.objects.create(user=coordinator, target=plan)
    response = client.get(reverse("safe_contact_plans:inspect", args=[plan.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "read before contacting" in page and "Phone call" in page
    assert "Monday, Wednesday, 09:00 to 12:00" in page
    assert "It is Sam from the dentist" in page and "review date has passed" in page
    assert _views_of(plan).get().actor == coordinator
    listing = client.get(reverse("safe_contact_plans:index"))
    assert listing.status_code == 200 and plan.display_name in listing.content.decode()
    assert AuditEvent.objects.filter(target_label="Safe-contact plans (list)").exists()


def test_staff_edit_a_plan_with_safe_times_as_text(client):
    coordinator = UserFactory(roles=["Coordinator"])
    sign_in_to_staff_area(client, coordinator)
    plan = SafeContactPlanFactory()
    StaffAssignment.objects.create(user=coordinator, target=plan)
    url = reverse("safe_contact_plans:edit", args=[plan.pk])
    assert client.get(url).status_code == 200
    data = {
        "name": "Alex",
        "email": "alex@example.com",
        "email_is_safe": "on",
        "safe_days": ["1", "3"],
        "safe_windows": "14:00 to 16:30, 9.00-11:00",
        "service_may_be_named": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    plan.refresh_from_db()
    assert plan.safe_days == [1, 3]
    assert plan.safe_windows == [["09:00", "11:00"], ["14:00", "16:30"]]
    assert not plan.service_may_be_named
    bad = client.post(url, {**data, "safe_windows": "16:00-09:00"})
    assert bad.status_code == 200 and "must be after its start" in bad.content.decode()


@pytest.mark.parametrize("role", ["Trainer", "Editor", "Commissioner"])
def test_roles_that_contact_nobody_cannot_open_plans(client, role):
    sign_in_to_staff_area(client, UserFactory(roles=[role]))
    plan = SafeContactPlanFactory()
    assert client.get(reverse("safe_contact_plans:inspect", args=[plan.pk])).status_code in {
        302,
        403,
        404,
    }
    assert not _views_of(plan).exists()


def test_a_staff_screen_without_a_plan_says_to_ask_first(rf):
    from django.template.loader import render_to_string

    html = render_to_string(
        "portal/contact/plan_summary.html", {"summary": selectors.summary(None)}
    )
    assert "No safe-contact plan is recorded" in html


def test_my_account_edits_my_own_plan(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("my_account")).content.decode()
    assert "How we contact you" in page
    url = reverse("my_contact_plan")
    assert client.get(url).status_code == 200
    answers = {
        "channels": ["text"],
        "phone": "07700 900123",
        "safe_days": ["0", "4"],
        "window_start": "9:30",
        "window_end": "12:00",
        "voicemail_allowed": "yes",
        "voicemail_wording": "Call the surgery back",
        "service_may_be_named": "no",
        "location_in_calendar": "no",
        "preferred_name": "Jo",
        "language": "Polish",
        "interpreter_needed": "yes",
        "alternative_contact": "",
    }
    assert client.post(url, answers).status_code == 302
    plan = SafeContactPlan.objects.get(user=user)
    assert (plan.email_is_safe, plan.text_is_safe, plan.phone_call_is_safe) == (
        False,
        True,
        False,
    )
    assert plan.safe_days == [0, 4] and plan.safe_windows == [["09:30", "12:00"]]
    assert plan.discreet and plan.preferred_name == "Jo" and plan.interpreter_needed
    user.refresh_from_db()
    assert user.phone == "07700 900123"
    assert AuditEvent.objects.filter(action="create", actor=user).exists()


def test_my_own_plan_keeps_what_i_typed_when_something_is_wrong(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("my_contact_plan"),
        {"channels": ["email", "none"], "window_start": "25:00", "preferred_name": "Jo Bloggs"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and 'href="#id_channels_0"' in page
    assert "Enter a time in 24-hour format" in page and 'href="#id_window_start"' in page
    assert 'value="Jo Bloggs"' in page
    assert not SafeContactPlan.objects.filter(user=user).exists()


def test_encrypted_at_rest():
    plan = SafeContactPlanFactory(
        name="Sam Private", alternative_contact="My sister", voicemail_wording="Dentist"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, alternative_contact, voicemail_wording, email FROM "
            "portal_safecontactplan WHERE id = %s",
            [plan.pk],
        )
        stored = " ".join(cursor.fetchone())
    assert "Private" not in stored and "sister" not in stored and "Dentist" not in stored
    assert SafeContactPlan.objects.filter(email_index=plan.email_index).get() == plan
