"""Demo site content for seed_demo: pages, guidance, drop-ins and the helpline settings.

Idempotent: anything that already exists (found by slug or name) is left as editors made it.
Pages go live after sign-off in Wagtail's "Moderators approval" workflow; the demo
administrator (a superuser) can approve, and real approvers are put in the Moderators group.
"""

from datetime import time, timedelta
from io import BytesIO
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.images import ImageFile
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from cms import demo_content as content
from cms.hours import LONDON
from cms.models import (
    AccessibilityStatementPage,
    Audience,
    DropIn,
    DropInCancellation,
    DropInFinderPage,
    GuidanceIndexPage,
    GuidancePage,
    HelplineSettings,
    HomePage,
    PrivacyNoticePage,
    SafetyPage,
    StandardPage,
    Topic,
)
from cms.selectors import next_session
from portal.localities import Locality


def seed_site() -> HomePage:
    """Only the home page, the site and the helpline settings: the least a page needs."""
    home = _home_and_site()
    _helpline(Site.objects.get(is_default_site=True))
    return home


def seed() -> None:
    home = seed_site()
    topics = _terms(Topic, content.TOPICS)
    audiences = _terms(Audience, content.AUDIENCES)
    guidance = _child(
        home,
        GuidanceIndexPage(
            title="Guidance",
            slug="guidance",
            show_in_menus=True,
            intro="<p>Information about domestic abuse for survivors, friends and family, "
            "employers and professionals.</p>",
        ),
    )
    for slug, title, summary, topic_slugs, audience_slugs, body in content.ARTICLES:
        article = GuidancePage(
            title=title, slug=slug, summary=summary, body=body, last_reviewed=timezone.localdate()
        )
        article.topics = [topics[slug] for slug in topic_slugs]
        article.audiences = [audiences[slug] for slug in audience_slugs]
        _child(guidance, article)
    _child(
        home,
        DropInFinderPage(
            title="Find a drop-in",
            slug="drop-ins",
            show_in_menus=True,
            intro="<p>Drop-ins are free and you do not need to book. Come along, have a cup "
            "of tea and talk to a specialist in confidence.</p>",
        ),
    )
    for model, spec, in_menu in [
        (SafetyPage, content.SAFETY_PAGE, True),
        (StandardPage, content.ABOUT_PAGE, False),
        (AccessibilityStatementPage, content.ACCESSIBILITY_STATEMENT, False),
        (PrivacyNoticePage, content.PRIVACY_NOTICE, False),
    ]:
        slug, title, intro, body = spec
        body = _with_pictures(body)
        reviewed = hasattr(model, "last_reviewed")
        extra = {"last_reviewed": timezone.localdate()} if reviewed else {}
        _child(
            home,
            model(title=title, slug=slug, intro=intro, body=body, show_in_menus=in_menu, **extra),
        )
    _drop_ins()


EXIT_BUTTON_PICTURE = "Exit this page button (demo)"


def _with_pictures(body: list) -> list:
    """Fill the demo's image blocks with its one picture, drawn here: no download."""
    if not any(kind == "image" for kind, _ in body):
        return body
    image = _exit_button_picture()
    return [
        (kind, {**value, "image": image}) if kind == "image" else (kind, value)
        for kind, value in body
    ]


def _exit_button_picture():
    Image = get_image_model()
    existing = Image.objects.filter(title=EXIT_BUTTON_PICTURE).first()
    if existing is not None:
        return existing
    from PIL import Image as Picture
    from PIL import ImageDraw, ImageFont

    picture = Picture.new("RGB", (480, 160), "white")
    draw = ImageDraw.Draw(picture)
    draw.rounded_rectangle((40, 40, 440, 120), radius=8, fill="#d4351c")
    font = ImageFont.load_default(size=36)
    draw.text((240, 80), "Exit this page", fill="white", font=font, anchor="mm")
    data = BytesIO()
    picture.save(data, format="PNG")
    return Image.objects.create(
        title=EXIT_BUTTON_PICTURE, file=ImageFile(data, name="exit-this-page-button.png")
    )


def _home_and_site() -> HomePage:
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
        home.save_revision().publish()
    # Wagtail's own placeholder page goes once our home page exists.
    for page in root.get_children().exclude(pk=home.pk).filter(depth=2):
        if page.specific_class is Page:
            page.delete()
    # Where the demo is served (SITE_URL follows `make run PORT=...`): Wagtail's own links,
    # such as the sitemap's and the admin's "View live", then lead there too.
    address = urlsplit(settings.SITE_URL)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": address.hostname or "localhost",
            "port": address.port or (443 if address.scheme == "https" else 80),
            "root_page": home,
            "site_name": settings.SERVICE_NAME,
        },
    )
    return home


def _child(parent: Page, page: Page) -> Page:
    existing = parent.get_children().filter(slug=page.slug).first()
    if existing is not None:
        return existing.specific
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _terms(model, rows) -> dict:
    """The topics, audiences and localities a migration created (cms 0006), found by slug
    or, where an editor changed the slug, by name; created only when neither is there."""
    terms = {}
    for order, (name, slug) in enumerate(rows):
        term = model.objects.filter(slug=slug).first() or model.objects.filter(name=name).first()
        if term is None:
            term = model.objects.create(name=name, slug=slug, sort_order=order)
        terms[slug] = term
    return terms


def _drop_ins() -> None:
    localities = _terms(Locality, content.LOCALITIES)
    today = timezone.now().astimezone(LONDON).date()
    created = []
    for row in content.DROP_INS:
        (
            name,
            locality,
            venue,
            address,
            postcode,
            frequency,
            weekday,
            week_of_month,
            start,
            end,
            who_for,
            step_free,
            hearing_loop,
            creche,
            access_notes,
            description,
        ) = row
        if DropIn.objects.filter(name=name).exists():
            continue
        # The first session: the rule's weekday on or before today, so it is already running.
        starts_on = today - timedelta(days=(today.weekday() - weekday) % 7)
        if frequency == "monthly":
            starts_on -= timedelta(weeks=5)
        drop_in = DropIn(
            name=name,
            locality=localities[locality],
            venue_name=venue,
            address=address,
            postcode=postcode,
            frequency=frequency,
            weekday=weekday,
            week_of_month=week_of_month,
            starts_on=starts_on,
            start_time=time.fromisoformat(start),
            end_time=time.fromisoformat(end),
            who_for=who_for,
            step_free=step_free,
            hearing_loop=hearing_loop,
            creche=creche,
            access_notes=access_notes,
            description=description,
        )
        drop_in.full_clean()
        drop_in.save()
        created.append(drop_in)
    # One cancelled date, so the finder shows how a cancellation looks.
    coffee = DropIn.objects.get(name="Monday coffee morning")
    if not coffee.cancellations.exists():
        upcoming = next_session(coffee, timezone.now() + timedelta(weeks=2))
        if upcoming:
            DropInCancellation.objects.create(
                drop_in=coffee, date=upcoming.date, reason="Venue closed for staff training"
            )
    # Published, as an editor would: live, with a first revision in each drop-in's history.
    for drop_in in created:
        drop_in.save_revision().publish()


def _helpline(site: Site) -> None:
    helpline = HelplineSettings.for_site(site)
    if not helpline.helpline_number:
        helpline.helpline_name = "Riverside domestic abuse helpline"
        helpline.helpline_number = "0808 157 0192"
        helpline.save()
