"""Recurring django-q2 jobs, declared by each app and created (idempotently) after migrate."""

from django_q.models import Schedule


def ensure_schedule(name: str, func: str, minutes: int) -> None:
    Schedule.objects.update_or_create(
        name=name,
        defaults={
            "func": func,
            "schedule_type": Schedule.MINUTES,
            "minutes": minutes,
            "repeats": -1,
        },
    )
