"""Settings for the public-site benchmark: the portal's own, plus a minimal baseline view."""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls_public_site"
# Plain static storage: the benchmark measures pages, not a collectstatic manifest.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
