"""Staff edit sessions in the Wagtail admin; a change of time or place, or a cancellation,
reaches every attendee (courses.services.session_changed) in the same transaction as the
edit: the messages leave only if the edit is saved."""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from courses.models import Session

ATTENDEE_VISIBLE = ("starts_at", "ends_at", "online", "venue", "joining_link")


@receiver(pre_save, sender=Session)
def remember_previous(sender, instance: Session, **kwargs):
    previous = (
        Session.objects.filter(pk=instance.pk).values(*ATTENDEE_VISIBLE, "status").first()
        if instance.pk
        else None
    )
    instance._previous = previous


@receiver(post_save, sender=Session)
def tell_attendees(sender, instance: Session, created: bool, **kwargs):
    previous = getattr(instance, "_previous", None)
    if created or previous is None:
        return
    if instance.status == Session.Status.CANCELLED and previous["status"] != instance.status:
        _changed(instance.pk, cancelled=True)
    elif instance.status == Session.Status.SCHEDULED and any(
        previous[f] != getattr(instance, f) for f in ATTENDEE_VISIBLE
    ):
        _changed(instance.pk, cancelled=False)


def _changed(pk: int, *, cancelled: bool) -> None:
    from courses import services

    services.session_changed(Session(pk=pk), cancelled=cancelled)
