"""Staff scope: the shared rule for what a member of staff may see.

- Superusers see everything.
- Commissioners see figures only: every report's numbers, never a record of a person
  (`sees_all_figures` is true for them; `visible` gives them nothing).
- Everyone else on the staff (coordinators, trainers, programme facilitators, volunteer
  coordinators) sees the records their assignments allow: those in a locality they are
  assigned to (`portal.localities.StaffAssignment`), those they are assigned to one by one
  (an assignment's target, or the record's own field, such as a session's trainers).

Each kind of record has one selector in its app (`courses.selectors.sessions_visible_to`),
built with `visible()`; every staff view, export, register and report row of that kind asks
it, and answers a record outside it with the same 404 as a record that does not exist.
A kind shared by several apps (payments, organisations, safe-contact plans) is also seen
through the records of each app that uses it: an app says so in its `ready()` with
`register_rule(Model, rule)`, where `rule(user)` is a Q on that model (courses: the plans of
the people booked on the sessions a coordinator sees). Wagtail viewsets of a kind use
`ScopedViewSet`, which limits every view they make to the kind's selector.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.http import Http404

from portal.localities import StaffAssignment

FIGURES_ONLY = "Commissioner"
# The roles that see records (people, bookings, registers) within their assignments.
RECORD_ROLES = {
    "Coordinator",
    "Trainer",
    "Programme facilitator",
    "Volunteer coordinator",
    "Community worker",
}


_rules: dict[type[models.Model], list[Callable[..., Q]]] = {}


def register_rule(model: type[models.Model], rule: Callable[..., Q]) -> None:
    """From an app's ready(): `rule(user)` adds the rows of `model` this app's work gives
    a member of staff (`visible` ORs it in)."""
    _rules.setdefault(model, []).append(rule)


def sees_everything(user) -> bool:
    return bool(user.is_authenticated and user.is_superuser)


def _assignments(user) -> list[tuple[int | None, bool, int | None, int | None]]:
    """(locality id, locality is online, target type id, target id) of each assignment,
    read once per user object (a request's user keeps them)."""
    cached = getattr(user, "_staff_assignments", None)
    if cached is None:
        cached = list(
            StaffAssignment.objects.filter(user=user).values_list(
                "locality_id", "locality__is_online", "target_type_id", "target_id"
            )
        )
        user._staff_assignments = cached
    return cached


def locality_ids(user) -> set[int]:
    """The localities this person is assigned to (none for someone signed out)."""
    if not user.is_authenticated:
        return set()
    return {locality for locality, _, _, _ in _assignments(user) if locality is not None}


def assigned_online(user) -> bool:
    """Whether they are assigned to an online locality (what is held online is theirs)."""
    return user.is_authenticated and any(online for _, online, _, _ in _assignments(user))


def target_ids(user, model: type[models.Model]) -> set[int]:
    """The records of `model` this person is assigned to one by one."""
    if not user.is_authenticated:
        return set()
    type_id = ContentType.objects.get_for_model(model).pk
    return {target for _, _, kind, target in _assignments(user) if kind == type_id}


def _roles(user) -> set[str]:
    cached = getattr(user, "_staff_roles", None)
    if cached is None:
        cached = user._staff_roles = set(user.groups.values_list("name", flat=True))
    return cached


def figures_only(user) -> bool:
    """A commissioner (and nothing that sees records): every figure, no one's record."""
    if not user.is_authenticated or user.is_superuser:
        return False
    roles = _roles(user)
    return FIGURES_ONLY in roles and not roles & RECORD_ROLES


def sees_all_figures(user) -> bool:
    """Whether this person's reports count the whole service (superusers, commissioners).
    No user (a caller that is not answering a person, such as a test) counts the whole."""
    return user is None or sees_everything(user) or figures_only(user)


def visible(
    queryset: models.QuerySet,
    user,
    *,
    locality: str | None = "locality",
    own: Q | None = None,
    extra: Q | None = None,
) -> models.QuerySet:
    """The rows of `queryset` this member of staff may see as records: everything for a
    superuser; otherwise those whose `locality` field is one of their localities, those
    assigned to them as targets, those `own` matches (for example `Q(trainers=user)`), and
    those `extra` matches (an app's own reading of an assignment), and those the rules apps
    registered for the model give (`register_rule`). Nothing for anyone else.
    `own` and `extra` should not join to many rows (use `pk__in=` a subquery): the result
    is not made distinct."""
    if not user.is_authenticated:
        return queryset.none()
    if sees_everything(user):
        return queryset
    rule = Q(pk__in=target_ids(user, queryset.model))
    if locality is not None:
        rule |= Q(**{f"{locality}__in": locality_ids(user)})
    for more in (own, extra, *(app_rule(user) for app_rule in _rules.get(queryset.model, []))):
        if more is not None:
            rule |= more
    return queryset.filter(rule)


class VisibleOnly:
    """For Wagtail's generic admin views of one kind of record (listing, inspect, edit,
    delete, history, usage): they see only what `visible_to(user)`, the kind's selector,
    gives; any other record is a 404, the same answer as for one that does not exist.
    Set it as `visible_to = staticmethod(selector)`."""

    visible_to: Callable[..., models.QuerySet]

    def get_base_queryset(self):
        visible = self.visible_to(self.request.user).values("pk")
        return super().get_base_queryset().filter(pk__in=visible)

    def get_object(self, *args, **kwargs):
        record = super().get_object(*args, **kwargs)
        if not self.visible_to(self.request.user).filter(pk=record.pk).exists():
            raise Http404
        return record


class ScopedViewSet:
    """For a Wagtail ModelViewSet of one kind of record: every view it makes is limited to
    its `visible_to` selector (see `VisibleOnly`). Set `visible_to = staticmethod(selector)`."""

    visible_to: Callable[..., models.QuerySet]

    def construct_view(self, view_class, **kwargs):
        limited = type(
            view_class.__name__,
            (VisibleOnly, view_class),
            {"visible_to": staticmethod(self.visible_to)},
        )
        return super().construct_view(limited, **kwargs)
