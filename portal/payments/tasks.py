"""Scheduled work for payments (see PaymentsConfig for the schedule)."""

import logging
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from portal.payments import services
from portal.payments.models import Payment, Refund

logger = logging.getLogger(__name__)

BATCH = 200
# A refund younger than this may still be in the hands of the request that reserved it.
REFUND_RETRY_AFTER = timedelta(minutes=2)


def sweep() -> str:
    return f"expired {expire_lapsed_checkouts()}, refunds retried {retry_pending_refunds()}"


def expire_lapsed_checkouts() -> int:
    """Expire open checkouts whose hold (or Stripe session) has lapsed; handlers' on_expired
    releases what was held."""
    now = timezone.now()
    lapsed = Payment.objects.filter(status=Payment.Status.OPEN).filter(
        Q(hold_expires_at__lte=now) | Q(checkout_expires_at__lte=now)
    )
    expired = 0
    for payment in lapsed.order_by("hold_expires_at")[:BATCH]:
        try:
            expired += services.expire_checkout(payment).status != Payment.Status.OPEN
        except services.PaymentError:
            logger.warning("%s: could not expire it now; will try again", payment)
        except Exception:
            # One payment whose handler fails must not hold every other place hostage.
            logger.exception("%s: expiring it failed; the sweep goes on", payment)
    return expired


def retry_pending_refunds() -> int:
    """Refunds reserved but never accepted by Stripe (it was unreachable): ask again, with
    the same Idempotency-Key, so a refund that did go through is not made twice."""
    stale = Refund.objects.filter(
        status=Refund.Status.PENDING,
        stripe_refund_id="",
        created_at__lte=timezone.now() - REFUND_RETRY_AFTER,
    )
    retried = 0
    for refund_id in list(stale.values_list("pk", flat=True)[:BATCH]):
        try:
            services.submit_refund(refund_id)
            retried += 1
        except services.PaymentError:
            logger.warning("Refund #%s: Stripe still unavailable or refusing", refund_id)
        except Exception:
            logger.exception("Refund #%s: retrying failed; the sweep goes on", refund_id)
    return retried
