from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.accounts.sections import account_sections


@never_cache
def exit_page(request):
    """Leave at once: end the session, tell the browser to forget this site, go somewhere neutral.

    Whatever the query string says, only the configured EXIT_PAGE_URL is ever redirected to:
    an exit link can never be turned into an open redirect.
    """
    logout(request)
    request.session.flush()
    response = HttpResponseRedirect(settings.EXIT_PAGE_URL)
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    for name in request.COOKIES:
        response.delete_cookie(name)
    return response


@never_cache
@require_GET
def healthz(request):
    checks = {"database": _database_ok(), "task_queue": _task_queue_status()}
    healthy = checks["database"] and checks["task_queue"]["ok"]
    body = {"status": "ok" if healthy else "error", "time": timezone.now().isoformat(), **checks}
    return JsonResponse(body, status=200 if healthy else 503)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means unhealthy
        return False


def _task_queue_status() -> dict:
    """The broker answers, and how many tasks wait in it."""
    try:
        from django_q.brokers import get_broker

        broker = get_broker()
        return {
            "ok": bool(broker.ping()),
            "broker": type(broker).__name__,
            "queued": broker.queue_size(),
        }
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "error": type(exc).__name__}


@login_required
def my_account(request):
    """The signed-in person's own page. Later features add their sections here."""
    return render(request, "portal/my_account.html", {"sections": account_sections(request)})


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def csrf_failure(request, reason=""):
    """A form that was open too long, or sent from a page that is not ours."""
    return render(request, "403_csrf.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors or database: this must render even when those are what broke.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render({}), status=500)
