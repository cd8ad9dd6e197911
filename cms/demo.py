"""Demo site content for seed_demo: the Wagtail site and its home page."""

from django.conf import settings
from wagtail.models import Page, Site

from cms.models import HomePage


def seed() -> None:
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is None:
        home = root.add_child(
            instance=HomePage(
                title="Domestic abuse support",
                slug="home-page",
                intro="<p>Free, confidential help for anyone affected by domestic abuse, "
                "and training for the people who support them.</p>",
            )
        )
    # Wagtail's own placeholder page goes once our home page exists.
    for page in root.get_children().exclude(pk=home.pk).filter(depth=2):
        if page.specific_class is Page:
            page.delete()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": "localhost",
            "port": 80,
            "root_page": home,
            "site_name": settings.SERVICE_NAME,
        },
    )
