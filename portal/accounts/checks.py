"""Deploy checks for what signing in relies on."""

from django.conf import settings
from django.core.checks import Error, Tags, register

# Caches whose entries live inside one process: each web worker would keep its own.
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches, deploy=True)
def check_cache_is_shared(app_configs=None, **kwargs) -> list[Error]:
    """Login lockouts, rate limits and used one-time codes are kept in the default cache: a
    cache per process lets a locked-out attacker carry on at another worker, and a code be
    used again there."""
    if settings.DEBUG:
        return []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in PER_PROCESS_CACHES:
        return [
            Error(
                f"The default cache ({backend}) is kept per process, so sign-in lockouts and "
                "used authenticator codes would not hold across web workers.",
                hint="Set REDIS_URL, or leave it unset for the database cache (portal.settings).",
                id="accounts.E001",
            )
        ]
    return []
