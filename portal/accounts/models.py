from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower

from portal.crypto import EncryptedTextField

STAFF_ROLES = (
    "Editor",
    "Coordinator",
    "Trainer",
    "Programme facilitator",
    "Volunteer coordinator",
    "Commissioner",
    # Works on the referrals allocated to them (referrals migration 0002 makes the role).
    "Community worker",
)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in with their email address.

    How they may be contacted is their safe-contact plan (`portal.contact`,
    `user.safe_contact_plan`), which `portal.notify` honours for anything sent to them.
    """

    username = None
    email = models.EmailField("email address", unique=True)
    phone = EncryptedTextField("phone number", blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    @property
    def staff_roles(self) -> list[str]:
        return [g.name for g in self.groups.all() if g.name in STAFF_ROLES]

    @property
    def needs_mfa_for_staff_area(self) -> bool:
        """Everyone who can open the staff area must have TOTP set up first."""
        return (
            self.is_superuser
            or bool(self.staff_roles)
            or self.has_perm("wagtailadmin.access_admin")
        )

    @property
    def is_council_staff(self) -> bool:
        """A verified address on a configured council domain (see COUNCIL_EMAIL_DOMAINS)."""
        domains = {d.lower() for d in settings.COUNCIL_EMAIL_DOMAINS}
        return any(
            address.email.rsplit("@", 1)[-1].lower() in domains
            for address in self.emailaddress_set.all()
            if address.verified
        )


class Sector(models.TextChoices):
    COUNCIL = "council", "Council"
    PARTNER_AGENCY = "partner_agency", "Partner agency"
    BUSINESS = "business", "Business"
    VOLUNTARY = "voluntary", "Voluntary sector"
    PUBLIC_SECTOR = "public_sector", "Public sector"
    OTHER = "other", "Other"


class Organisation(models.Model):
    """A body whose members book on its behalf (a business booking places for its staff)."""

    name = models.CharField(max_length=200, unique=True)
    sector = models.CharField(max_length=32, choices=Sector.choices)
    invoiced = models.BooleanField(
        default=False,
        help_text="Set by staff: members may book with a purchase-order number instead of a card.",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organisations"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def admin_members(self):
        return self.members.filter(membership__is_admin=True)


class Membership(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    is_admin = models.BooleanField(
        default=False, help_text="May manage the organisation's members and bookings."
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="one_membership_each")
        ]

    def __str__(self):
        return f"{self.user} in {self.organisation}"
