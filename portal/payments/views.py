"""HTTP for payments: only Stripe's webhook. Features redirect to Payment.checkout_url."""

import logging

from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from portal.payments import services

logger = logging.getLogger(__name__)


@csrf_exempt  # Stripe cannot send our CSRF token; its signature is checked instead.
@require_POST
def stripe_webhook(request):
    try:
        event = services.verify_webhook(request.body, request.headers.get("Stripe-Signature"))
    except services.InvalidWebhook as exc:
        logger.warning("Stripe webhook rejected: %s", exc)
        return HttpResponseBadRequest("Invalid signature or payload.")
    try:
        outcome = services.process_event(event)
    except services.PaymentError:
        # Stripe retries failed deliveries; nothing was recorded, so the retry is processed.
        return HttpResponse("Stripe could not be reached; try again.", status=503)
    return HttpResponse(outcome, content_type="text/plain")
