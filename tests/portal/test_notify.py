import logging
from datetime import UTC, timedelta

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from portal import notify
from portal.models import OutboxMessage
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("message_templates")]

MESSAGE = notify.Message(
    kind="tests.example",
    template="tests/emails/message",
    subject="Your place on Coercive control awareness",
    context={"thing": "Coercive control awareness"},
    attachments=[notify.Attachment("invite.ics", "BEGIN:VCALENDAR", "text/calendar")],
)


def test_a_message_is_written_to_the_outbox_then_sent_after_commit(
    django_capture_on_commit_callbacks,
):
    user = UserFactory(first_name="Sam")
    with django_capture_on_commit_callbacks(execute=True):
        outbox = notify.send(notify.Recipient.for_user(user), MESSAGE)
        assert len(mail.outbox) == 0  # nothing leaves before the transaction commits
    outbox.refresh_from_db()
    assert outbox.status == OutboxMessage.Status.SENT
    assert outbox.attempts == 1
    email = mail.outbox[0]
    assert email.to == [user.email]
    assert email.subject == "Your place on Coercive control awareness"
    assert "Hello Sam" in email.body
    assert email.attachments[0][0] == "invite.ics"


def test_nothing_is_sent_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                notify.send(notify.Recipient.for_user(user), MESSAGE)
                raise RuntimeError("booking failed")
        except RuntimeError:
            pass
    assert mail.outbox == []
    assert not OutboxMessage.objects.exists()


def test_discreet_mode_uses_a_neutral_sender_subject_and_body(
    settings, django_capture_on_commit_callbacks
):
    settings.SERVICE_NAME = "Riverside Domestic Abuse Service"
    user = UserFactory(plan={"service_may_be_named": False})
    with django_capture_on_commit_callbacks(execute=True):
        notify.send(notify.Recipient.for_user(user), MESSAGE)
    email = mail.outbox[0]
    assert email.from_email == settings.DISCREET_FROM_EMAIL
    assert email.subject == settings.DISCREET_SUBJECT
    everything = f"{email.from_email} {email.subject} {email.body}".lower()
    for revealing in ["domestic", "abuse", "coercive", "riverside"]:
        assert revealing not in everything


def test_a_channel_marked_unsafe_is_never_used(django_capture_on_commit_callbacks):
    user = UserFactory(plan={"email_is_safe": False}, phone="07700 900123")
    with django_capture_on_commit_callbacks(execute=True):
        outbox = notify.send(notify.Recipient.for_user(user), MESSAGE)
    assert mail.outbox == []
    assert outbox.status == OutboxMessage.Status.SUPPRESSED
    assert outbox.recipient == "" and outbox.body == ""


def test_bodies_and_addresses_are_encrypted_in_the_outbox():
    user = UserFactory(email="private@example.com")
    outbox = notify.send(notify.Recipient.for_user(user), MESSAGE)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT recipient, subject, body FROM portal_outboxmessage WHERE id = %s", [outbox.pk]
        )
        row = " ".join(cursor.fetchone())
    assert "private@example.com" not in row and "Coercive" not in row


def test_a_failed_send_is_retried_later_and_logs_nothing_sensitive(monkeypatch, caplog):
    user = UserFactory(email="private@example.com")
    outbox = notify.send(notify.Recipient.for_user(user), MESSAGE)

    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("550 private@example.com: Coercive control")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    with caplog.at_level(logging.DEBUG):
        assert notify.deliver(outbox.pk) == OutboxMessage.Status.PENDING
    outbox.refresh_from_db()
    assert outbox.attempts == 1 and outbox.last_error == "ConnectionRefusedError"
    assert outbox.next_attempt_at > timezone.now()
    assert "private@example.com" not in caplog.text and "Coercive" not in caplog.text

    # Not due yet: the sweep leaves it alone.
    monkeypatch.undo()
    assert notify.send_due() == 0
    OutboxMessage.objects.filter(pk=outbox.pk).update(next_attempt_at=timezone.now())
    assert notify.send_due() == 1
    outbox.refresh_from_db()
    assert outbox.status == OutboxMessage.Status.SENT and outbox.attempts == 2
    assert len(mail.outbox) == 1


def test_a_message_that_keeps_failing_stops_after_the_last_attempt(monkeypatch):
    outbox = notify.send(notify.Recipient(email="x@example.com"), MESSAGE)
    monkeypatch.setattr(
        "django.core.mail.EmailMultiAlternatives.send",
        lambda self, fail_silently=False: (_ for _ in ()).throw(OSError("down")),
    )
    for _ in range(notify.MAX_ATTEMPTS):
        OutboxMessage.objects.filter(pk=outbox.pk).update(
            next_attempt_at=timezone.now() - timedelta(seconds=1)
        )
        notify.send_due()
    outbox.refresh_from_db()
    assert outbox.status == OutboxMessage.Status.FAILED
    assert outbox.attempts == notify.MAX_ATTEMPTS


def test_delivering_twice_sends_once():
    outbox = notify.send(notify.Recipient(email="x@example.com"), MESSAGE)
    notify.deliver(outbox.pk)
    assert notify.deliver(outbox.pk) == "skipped"
    assert len(mail.outbox) == 1


def test_the_outbox_sweep_is_scheduled():
    from django_q.models import Schedule

    assert Schedule.objects.filter(func="portal.notify.send_due").exists()


def test_a_message_without_a_discreet_version_is_replaced_by_a_neutral_one(
    settings, django_capture_on_commit_callbacks
):
    user = UserFactory(plan={"service_may_be_named": False})
    no_discreet_version = notify.Message(
        kind="tests.plain",
        template="tests/emails/plain",
        subject="Coercive control awareness: your place",
        context={"thing": "Coercive control awareness"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        notify.send(notify.Recipient.for_user(user), no_discreet_version)
    [email] = mail.outbox
    assert "coercive" not in f"{email.subject} {email.body}".lower()
    assert "appointment" in email.body


def _invite_ics() -> str:
    from datetime import datetime

    from portal import calendars

    event = calendars.CalendarEvent(
        uid="place-1@courses.portal",
        sequence=0,
        start=datetime(2030, 3, 4, 10, tzinfo=UTC),
        end=datetime(2030, 3, 4, 12, tzinfo=UTC),
        title="Coercive control awareness",
        description="A domestic abuse course",
        location="Riverside Hall",
        url="https://portal.example.org.uk/training/coercive-control/",
    )
    return calendars.invite(event).decode()


def test_an_address_whose_owner_marked_email_unsafe_gets_nothing(
    django_capture_on_commit_callbacks,
):
    """A place booked for an address, without an account, by someone else."""
    UserFactory(email="owner@example.com", plan={"email_is_safe": False})
    with django_capture_on_commit_callbacks(execute=True):
        by_address = notify.Recipient(email="Owner@Example.com", name="Sam")
        sent = notify.send(by_address, MESSAGE)
        rendered = notify.send_rendered(by_address, kind="tests.plain", subject="S", text="T")
    assert mail.outbox == []
    assert sent.status == rendered.status == OutboxMessage.Status.SUPPRESSED
    assert sent.recipient == "" and sent.body == ""


def test_a_verified_second_address_of_someone_discreet_gets_the_discreet_message(
    settings, django_capture_on_commit_callbacks
):
    from allauth.account.models import EmailAddress

    settings.SERVICE_NAME = "Riverside Domestic Abuse Service"
    owner = UserFactory(email="login@example.com", plan={"service_may_be_named": False})
    EmailAddress.objects.create(user=owner, email="other@example.com", verified=True)
    message = notify.Message(
        kind="courses.booking_confirmed",
        template="tests/emails/message",
        subject="Your place on Coercive control awareness",
        context={"thing": "Coercive control awareness"},
        attachments=[
            notify.Attachment("invite.ics", _invite_ics(), "text/calendar; method=REQUEST"),
            notify.Attachment("certificate.pdf", "Coercive control awareness", "application/pdf"),
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        notify.send(notify.Recipient(email="OTHER@example.com", name="Sam"), message)
        notify.send_rendered(
            notify.Recipient(email="other@example.com"),
            kind="tests.plain",
            subject="Coercive control awareness: your booking",
            text="You are booked on Coercive control awareness.",
        )
    assert len(mail.outbox) == 2
    for email in mail.outbox:
        assert email.from_email == settings.DISCREET_FROM_EMAIL
        assert email.subject == settings.DISCREET_SUBJECT
        everything = f"{email.from_email} {email.subject} {email.body}"
        everything += " ".join(str(content) for _, content, _ in email.attachments)
        for revealing in ["domestic", "abuse", "coercive", "riverside domestic", "DA Service"]:
            assert revealing.lower() not in everything.lower()
    # The invite stays (its time), made discreet, without the place the person did not ask
    # to be told; the certificate is left out.
    attachments = mail.outbox[0].attachments
    assert [name for name, _, _ in attachments] == ["invite.ics"]
    assert "SUMMARY:Appointment" in attachments[0][1]
    assert "UID:place-1@courses.portal" in attachments[0][1]
    assert "LOCATION" not in attachments[0][1]
    assert "update about your appointment" in mail.outbox[1].body


def test_an_unverified_second_address_does_not_take_its_claimants_preferences(
    django_capture_on_commit_callbacks,
):
    """Anyone can add an address to their account: only a verified one is theirs."""
    from allauth.account.models import EmailAddress

    claimant = UserFactory(email="claimant@example.com", plan={"email_is_safe": False})
    EmailAddress.objects.create(user=claimant, email="someone@example.com", verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        notify.send(notify.Recipient(email="someone@example.com"), MESSAGE)
    assert mail.outbox[0].to == ["someone@example.com"]


def test_an_account_opened_in_someone_elses_name_cannot_silence_their_mail(
    django_capture_on_commit_callbacks,
):
    """Signing up with another person's address, never verified, changes nothing they get."""
    UserFactory(email="survivor@example.com", verified=False, plan={"email_is_safe": False})
    with django_capture_on_commit_callbacks(execute=True):
        notify.send(notify.Recipient(email="survivor@example.com"), MESSAGE)
    assert mail.outbox[0].to == ["survivor@example.com"]


class WorkerKilled(BaseException):
    """A worker process dying mid-send: not an Exception, so nothing catches it."""


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    return time_machine


def _sending(monkeypatch, during_send):
    """Mail 'sent' into a list; `during_send(n)` runs inside the n-th try to send (counted
    from 0), where another worker may act or this one may fail or die."""
    sent, tries = [], []

    def send(self, fail_silently=False):
        tries.append(self.subject)
        during_send(len(tries) - 1)
        sent.append(self.subject)

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", send)
    return sent


def test_a_message_being_sent_is_not_claimed_by_another_worker(monkeypatch):
    outbox = notify.send(notify.Recipient(email="x@example.com"), MESSAGE)
    others = []

    def another_worker_tries(n):
        if n == 0:
            others.append(notify.deliver(outbox.pk))
            others.append(notify.send_due())

    sent = _sending(monkeypatch, another_worker_tries)
    assert notify.deliver(outbox.pk) == OutboxMessage.Status.SENT
    assert others == ["skipped", 0]
    assert len(sent) == 1
    outbox.refresh_from_db()
    assert outbox.attempts == 1 and outbox.claim == "" and outbox.claimed_until is None


def test_a_claim_whose_worker_died_is_retried_only_after_its_lease(monkeypatch, clock):
    outbox = notify.send(notify.Recipient(email="x@example.com"), MESSAGE)

    def die(n):
        if n == 0:
            raise WorkerKilled

    sent = _sending(monkeypatch, die)
    with pytest.raises(WorkerKilled):
        notify.deliver(outbox.pk)
    assert notify.send_due() == 0  # still claimed by the dead worker
    clock.shift(notify.CLAIM_LEASE - timedelta(seconds=5))
    assert notify.send_due() == 0
    clock.shift(timedelta(seconds=10))
    assert notify.send_due() == 1
    outbox.refresh_from_db()
    assert outbox.status == OutboxMessage.Status.SENT and outbox.attempts == 2
    assert len(sent) == 1


def test_a_worker_whose_lease_lapsed_cannot_overwrite_the_next_workers_outcome(monkeypatch, clock):
    outbox = notify.send(notify.Recipient(email="x@example.com"), MESSAGE)

    def first_is_slow_then_fails(n):
        if n == 0:
            clock.shift(notify.CLAIM_LEASE + timedelta(seconds=1))
            assert notify.deliver(outbox.pk) == OutboxMessage.Status.SENT
            raise TimeoutError("the first mail server gave up")

    _sending(monkeypatch, first_is_slow_then_fails)
    notify.deliver(outbox.pk)
    outbox.refresh_from_db()
    assert outbox.status == OutboxMessage.Status.SENT and outbox.last_error == ""


def test_a_worker_dying_on_the_last_attempt_leaves_the_message_failed(monkeypatch, clock):
    outbox = notify.send(notify.Recipient(email="x@example.com"), MESSAGE)
    OutboxMessage.objects.filter(pk=outbox.pk).update(attempts=notify.MAX_ATTEMPTS - 1)

    def die(n):
        raise WorkerKilled

    sent = _sending(monkeypatch, die)
    with pytest.raises(WorkerKilled):
        notify.deliver(outbox.pk)
    clock.shift(notify.CLAIM_LEASE + timedelta(seconds=1))
    assert notify.send_due() == 0
    outbox.refresh_from_db()
    assert outbox.status == OutboxMessage.Status.FAILED and outbox.last_error == "ClaimLapsed"
    assert sent == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_connections_racing_to_deliver_one_message_send_it_once():
    import threading

    outbox = notify.send(notify.Recipient(email="x@example.com"), MESSAGE)
    mail.outbox.clear()  # Q_SYNC delivered it on commit: make it pending again, unclaimed
    OutboxMessage.objects.filter(pk=outbox.pk).update(
        status=OutboxMessage.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    racers = 12
    barrier = threading.Barrier(racers)
    results, errors = [], []

    def racer():
        try:
            barrier.wait()
            results.append(notify.deliver(outbox.pk))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=racer) for _ in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == ["sent"] + ["skipped"] * (racers - 1)
    assert len(mail.outbox) == 1
