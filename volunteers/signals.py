"""The hook into registers: when a trainer marks someone present (or late) at a course
session, their volunteer training stage may now be complete.

A plain `post_save` receiver on `portal.attendance.AttendanceMark` (the register service
creates and saves marks one by one), so the attendance engine is not changed at all."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from portal.attendance.models import ATTENDED, AttendanceMark


@receiver(post_save, sender=AttendanceMark, dispatch_uid="volunteers-training-attended")
def training_marked(sender, instance: AttendanceMark, **kwargs):
    if instance.status not in ATTENDED:
        return
    from courses.models import Attendee, Session
    from volunteers import services

    if instance.occurrence_type.model_class() is not Session:
        return
    attendee = Attendee.objects.filter(pk=instance.person_id).only("user_id").first()
    if attendee is not None and attendee.user_id is not None:
        services.training_attended(attendee.user)
