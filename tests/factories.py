import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from portal.accounts.models import Membership, Organisation, Sector, User
from portal.contact.models import SafeContactPlan
from portal.localities import Locality, StaffAssignment

PASSWORD = "a-Long-test-passw0rd"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
        if create:
            self.save()

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or []:
            self.groups.add(Group.objects.get(name=role))

    @factory.post_generation
    def plan(self, create, extracted, **kwargs):
        """`UserFactory(plan={"service_may_be_named": False})`: their safe-contact plan."""
        if create and extracted is not None:
            SafeContactPlan.objects.create(user=self, **extracted)

    @factory.post_generation
    def localities(self, create, extracted, **kwargs):
        """Staff assignments: the localities given (slugs), or for a coordinator given none,
        every locality (a coordinator of the whole service); `localities=[]` for none."""
        if not create:
            return
        if extracted is None:
            coordinator = self.groups.filter(name="Coordinator").exists()
            extracted = Locality.objects.values_list("slug", flat=True) if coordinator else []
        for locality in Locality.objects.filter(slug__in=list(extracted)):
            StaffAssignment.objects.create(user=self, locality=locality)


class SafeContactPlanFactory(factory.django.DjangoModelFactory):
    """A plan for a person without an account."""

    class Meta:
        model = SafeContactPlan

    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"planned{n}@example.com")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    sector = Sector.BUSINESS


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
