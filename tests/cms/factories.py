from datetime import date, time

import factory

from cms.models import DropIn, DropInCancellation
from portal.localities import Locality


class LocalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Locality
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Area {n}")
    slug = factory.Sequence(lambda n: f"area-{n}")


class DropInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DropIn

    name = factory.Sequence(lambda n: f"Drop-in {n}")
    locality = factory.SubFactory(LocalityFactory)
    venue_name = "Community Centre"
    address = "1 High Street\nRiverside"
    postcode = "RV1 1AA"
    weekday = 0
    # A Monday, long before any date the tests use.
    starts_on = date(2025, 1, 6)
    start_time = time(10, 0)
    end_time = time(12, 0)
    who_for = "Open to all"


class CancellationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DropInCancellation

    drop_in = factory.SubFactory(DropInFactory)
    date = date(2026, 3, 2)
