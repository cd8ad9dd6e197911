from datetime import timedelta
from http.cookies import CookieError

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Min
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.accounts.roles import ADMIN_ACCESS
from portal.accounts.sections import account_sections


@never_cache
def exit_page(request):
    """Leave at once: end the session, tell the browser to forget this site, go somewhere neutral.

    Whatever the query string says, only the configured EXIT_PAGE_URL is ever redirected to:
    an exit link can never be turned into an open redirect.
    """
    logout(request)
    request.session.flush()
    # Nor does the CSRF middleware hand out a new token (it would, for a malformed one).
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False
    response = HttpResponseRedirect(settings.EXIT_PAGE_URL)
    # The browser forgets every cookie of this site through Clear-Site-Data; our own are
    # also expired by name for browsers that ignore that header.
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    for name, path, domain in _own_cookies():
        response.delete_cookie(name, path=path, domain=domain)
    for name in request.COOKIES:
        if name not in response.cookies:
            _delete_cookie_if_settable(response, name)
    return response


def _own_cookies() -> list[tuple[str, str, str | None]]:
    """(name, path, domain) of each cookie this site sets."""
    from django.contrib.messages.storage.cookie import CookieStorage

    return [
        (
            settings.SESSION_COOKIE_NAME,
            settings.SESSION_COOKIE_PATH,
            settings.SESSION_COOKIE_DOMAIN,
        ),
        (settings.CSRF_COOKIE_NAME, settings.CSRF_COOKIE_PATH, settings.CSRF_COOKIE_DOMAIN),
        (CookieStorage.cookie_name, settings.SESSION_COOKIE_PATH, settings.SESSION_COOKIE_DOMAIN),
        (
            settings.LANGUAGE_COOKIE_NAME,
            settings.LANGUAGE_COOKIE_PATH,
            settings.LANGUAGE_COOKIE_DOMAIN,
        ),
    ]


def _delete_cookie_if_settable(response, name: str) -> None:
    """A cookie someone else set under a name that Set-Cookie cannot carry (a space, a comma,
    a non-ASCII letter) is left to Clear-Site-Data: the exit must never fail."""
    try:
        response.delete_cookie(name)
    except (CookieError, ValueError):
        response.cookies.pop(name, None)


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


# A task waiting longer than this, or a recurring job this late, means no worker is running.
TASK_QUEUE_MAX_DELAY = timedelta(minutes=5)


def _task_queue_status() -> dict:
    """Whether a worker is taking tasks, not only whether the broker answers.

    The ORM broker's ping always says yes, and cluster statistics live in the cache (per
    process without Redis), so liveness is read from what a worker would have done: the
    oldest task still waiting in the queue (ORM broker) and the most overdue recurring job
    (the cluster's scheduler moves each one on when it runs it; every minute for some).
    """
    try:
        from django_q.brokers import get_broker
        from django_q.conf import Conf

        if Conf.SYNC:
            return {"ok": True, "worker": "sync"}
        broker = get_broker()
        status = {
            "broker": type(broker).__name__,
            "reachable": bool(broker.ping()),
            "queued": broker.queue_size(),
            "oldest_queued_seconds": _oldest_queued_seconds(broker),
            "most_overdue_schedule_seconds": _most_overdue_schedule_seconds(),
        }
        limit = TASK_QUEUE_MAX_DELAY.total_seconds()
        stale = any(
            (status[key] or 0) > limit
            for key in ("oldest_queued_seconds", "most_overdue_schedule_seconds")
        )
        alive = status["reachable"] and not stale
        return {"ok": alive, "worker": "alive" if alive else "not running", **status}
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "error": type(exc).__name__}


def _oldest_queued_seconds(broker) -> int | None:
    """How long the oldest task has waited for a worker (the ORM broker records it)."""
    from django_q.brokers.orm import ORM

    if not isinstance(broker, ORM):
        return None
    now = timezone.now()
    queued = broker.get_connection().filter(key=broker.list_key, lock__lte=now)
    oldest = queued.aggregate(oldest=Min("lock"))["oldest"]
    return int((now - oldest).total_seconds()) if oldest else 0


def _most_overdue_schedule_seconds() -> int:
    from django_q.models import Schedule

    now = timezone.now()
    due = Schedule.objects.exclude(repeats=0).filter(next_run__lte=now)
    earliest = due.aggregate(earliest=Min("next_run"))["earliest"]
    return int((now - earliest).total_seconds()) if earliest else 0


@login_required
def my_account(request):
    """The signed-in person's own page. Later features add their sections here. Staff land
    here after signing in too, so it leads them on to the staff area."""
    context = {
        "sections": account_sections(request),
        "staff_area": request.user.has_perm(ADMIN_ACCESS),
    }
    return render(request, "portal/my_account.html", context)


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
