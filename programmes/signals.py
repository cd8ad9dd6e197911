"""The hook into registers: a programme week marked absent, with no apologies sent, puts a
safe check-in on the coordinators' list. A plain `post_save` receiver on AttendanceMark (the
register service saves marks one by one), so the attendance engine is unchanged."""

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_save
from django.dispatch import receiver

from portal.attendance.models import AttendanceMark


@receiver(post_save, sender=AttendanceMark, dispatch_uid="programmes-absence-follow-up")
def week_marked(sender, instance: AttendanceMark, **kwargs):
    from programmes.models import ProgrammeSession
    from programmes.services import absence_marked

    if instance.occurrence_type_id != ContentType.objects.get_for_model(ProgrammeSession).pk:
        return
    absence_marked(instance.person_id, instance.occurrence_id, instance.status)
