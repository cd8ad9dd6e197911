"""Reads for the public site. Each costs a fixed number of queries, however much content."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet, Window
from django.db.models.functions import Left, Length, RowNumber
from django.utils import timezone
from wagtail.models import PageViewRestriction, Site

from cms import page_cache
from cms.hours import LONDON, HelplineStatus, is_bank_holiday
from cms.models.dropins import DropIn, DropInCancellation
from cms.models.helpline import HelplineSettings
from cms.models.taxonomy import Audience, Topic
from cms.recurrence import rule_dates
from portal.localities import Locality

# How far ahead a drop-in's next date is looked for.
NEXT_SESSION_HORIZON_DAYS = 400
THIS_WEEK_DAYS = 7
# The home page shows the first few articles of each guidance section, then a link to the rest.
HOME_ARTICLES_PER_SECTION = 5


@dataclass(frozen=True)
class Session:
    drop_in: DropIn
    date: date

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.date, self.drop_in.start_time, tzinfo=LONDON)

    @property
    def ends_at(self) -> datetime:
        return datetime.combine(self.date, self.drop_in.end_time, tzinfo=LONDON)


@dataclass(frozen=True)
class GuidanceSection:
    index: object
    articles: list
    total: int

    @property
    def more(self) -> bool:
        return self.total > len(self.articles)


@dataclass(frozen=True)
class Helpline:
    settings: HelplineSettings
    status: HelplineStatus


def helpline(request, now: datetime | None = None) -> Helpline | None:
    """The site's helpline settings and whether it is open now, once per request."""
    if hasattr(request, "_cms_helpline"):
        return request._cms_helpline
    site = Site.find_for_request(request)
    result = None
    if site is not None:
        settings, closed = page_cache.remember(f"helpline:{site.pk}", lambda: _helpline(site))
        status = settings.status_at(now or timezone.now(), closed)
        result = Helpline(settings, status)
        request._cms_helpline_status = status
    request._cms_helpline = result
    return result


def _helpline(site) -> tuple[HelplineSettings, set]:
    settings = HelplineSettings.for_site(site)
    return settings, set(settings.closures.values_list("date", flat=True))


def public(pages: QuerySet) -> QuerySet:
    """Wagtail's `.public()` in the same query: no page under a view restriction (a password,
    signing in, groups). Wagtail's reads every restriction first, a query each time."""
    restricted = PageViewRestriction.objects.filter(
        page__path=Left(OuterRef("path"), Length("page__path"))
    )
    return pages.filter(~Exists(restricted))


def shown_drop_ins() -> QuerySet[DropIn]:
    """Published and listed: a draft or an unlisted drop-in is never shown to the public."""
    return DropIn.objects.filter(live=True, is_listed=True)


def listed_drop_ins(locality: Locality | None = None, day: int | None = None) -> QuerySet[DropIn]:
    drop_ins = (
        shown_drop_ins()
        .select_related("locality")
        .prefetch_related(
            Prefetch("cancellations", queryset=DropInCancellation.objects.order_by("date"))
        )
    )
    if locality is not None:
        drop_ins = drop_ins.filter(locality=locality)
    if day is not None:
        drop_ins = drop_ins.filter(weekday=day)
    return drop_ins


def sessions_between(drop_in: DropIn, start: date, end: date) -> list[Session]:
    """Sessions from start to end inclusive, leaving out cancelled dates and bank holidays."""
    cancelled = {cancellation.date for cancellation in drop_in.cancellations.all()}
    return [
        Session(drop_in, day)
        for day in rule_dates(
            frequency=drop_in.frequency,
            weekday=drop_in.weekday,
            week_of_month=drop_in.week_of_month,
            starts_on=drop_in.starts_on,
            ends_on=drop_in.ends_on,
            start=start,
            end=end,
        )
        if day not in cancelled and not is_bank_holiday(day)
    ]


def next_session(drop_in: DropIn, now: datetime | None = None) -> Session | None:
    """The next session that has not yet finished."""
    now = (now or timezone.now()).astimezone(LONDON)
    today = now.date()
    end = today + timedelta(days=NEXT_SESSION_HORIZON_DAYS)
    for session in sessions_between(drop_in, today, end):
        if session.ends_at > now:
            return session
    return None


def with_next_sessions(
    drop_ins: QuerySet[DropIn], now: datetime | None = None
) -> list[tuple[DropIn, Session | None]]:
    return [(drop_in, next_session(drop_in, now)) for drop_in in drop_ins]


def sessions_this_week(
    drop_ins: QuerySet[DropIn], now: datetime | None = None, limit: int | None = None
) -> list[Session]:
    """Sessions today and in the six days after, not yet finished, in date and time order."""
    now = (now or timezone.now()).astimezone(LONDON)
    today = now.date()
    end = today + timedelta(days=THIS_WEEK_DAYS - 1)
    sessions = [
        session
        for drop_in in drop_ins
        for session in sessions_between(drop_in, today, end)
        if session.ends_at > now
    ]
    sessions.sort(key=lambda session: (session.starts_at, session.drop_in.name))
    return sessions[:limit] if limit else sessions


def guidance_articles(index_page, topic: Topic | None = None, audience: Audience | None = None):
    from cms.models.pages import GuidancePage

    articles = public(GuidancePage.objects.child_of(index_page).live()).order_by("title")
    if topic is not None:
        articles = articles.filter(topics=topic)
    if audience is not None:
        articles = articles.filter(audiences=audience)
    return articles.only("title", "slug", "url_path", "summary", "path", "depth")


def guidance_sections(home_page, per_section: int = HOME_ARTICLES_PER_SECTION) -> list:
    """The guidance index pages under the home page, each with its first few articles in the
    order editors give them in the admin, and how many it has in all: one query for every
    section, however many articles there are."""
    from cms.models.pages import GuidanceIndexPage, GuidancePage

    indexes = list(public(GuidanceIndexPage.objects.child_of(home_page).live()))
    if not indexes:
        return []
    parent_path = Left("path", (home_page.depth + 1) * home_page.steplen)
    articles = (
        public(GuidancePage.objects.live())
        .filter(path__startswith=home_page.path, depth=home_page.depth + 2)
        .annotate(
            position=Window(RowNumber(), partition_by=[parent_path], order_by=["path"]),
            in_section=Window(Count("pk"), partition_by=[parent_path]),
        )
        .filter(position__lte=per_section)
        .order_by("path")
        .only("title", "slug", "url_path", "summary", "path", "depth")
    )
    by_parent: dict[str, list] = {index.path: [] for index in indexes}
    totals: dict[str, int] = {}
    for article in articles:
        parent = article.path[: -home_page.steplen]
        by_parent.setdefault(parent, []).append(article)
        totals[parent] = article.in_section
    return [
        GuidanceSection(index, by_parent[index.path], totals.get(index.path, 0))
        for index in indexes
    ]


def drop_in_finder():
    from cms.models.pages import DropInFinderPage

    return public(DropInFinderPage.objects.live()).first()
