from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from portal.accounts.models import User
from volunteers.models import (
    Application,
    DBSCheck,
    Shift,
    SignUpMode,
    Stage,
    VolunteerRolePage,
)
from volunteers.selectors import applications_visible_to

pytestmark = pytest.mark.django_db


def test_the_demo_has_roles_and_applications_at_every_stage(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    counts = (Application.objects.count(), VolunteerRolePage.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (Application.objects.count(), VolunteerRolePage.objects.count()) == counts == (15, 5)
    assert set(Application.objects.values_list("stage", flat=True)) == set(Stage.values)
    active = Application.objects.filter(stage=Stage.ACTIVE)
    assert DBSCheck.objects.filter(application__in=active).count() == active.count() == 3
    coordinator = User.objects.get(groups__name="Volunteer coordinator")
    assert applications_visible_to(coordinator).count() == 14  # every one but the draft
    assert VolunteerRolePage.objects.live().filter(required_courses__isnull=False).exists()
    upcoming = Shift.objects.filter(starts_at__gt=timezone.now())
    assert upcoming.count() == 18  # three weekly shifts, six weeks each, made once
    assert upcoming.filter(sign_up=SignUpMode.APPROVAL).exists()
