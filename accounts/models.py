import secrets

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from matchmaking.taxonomy import Language, Sector


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person; signs in with e-mail. Belongs to organisations through Membership."""

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email


class Region(models.Model):
    """A NUTS-2 region (2021 classification) with its centroid, for distances."""

    code = models.CharField(_("NUTS-2 code"), max_length=4, primary_key=True)
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, db_index=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members of the platform")
    HIDDEN = "hidden", _("Hidden")


class Organisation(models.Model):
    class Kind(models.TextChoices):
        SME = "sme", _("SME")
        STARTUP = "startup", _("Startup")
        RESEARCH_INSTITUTE = "research_institute", _("Research institute")
        UNIVERSITY = "university", _("University")
        LARGE_COMPANY = "large_company", _("Large company")
        PUBLIC_BODY = "public_body", _("Public body")
        CLUSTER = "cluster", _("Cluster / network")

    class SizeBand(models.TextChoices):
        MICRO = "1-9", _("1–9 employees")
        SMALL = "10-49", _("10–49 employees")
        MEDIUM = "50-249", _("50–249 employees")
        LARGE = "250-999", _("250–999 employees")
        VERY_LARGE = "1000+", _("1000+ employees")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166 code, e.g. DE"))
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, null=True, blank=True
    )
    city = models.CharField(_("city"), max_length=120, blank=True)
    size_band = models.CharField(_("size"), max_length=16, choices=SizeBand.choices, blank=True)
    languages = ArrayField(
        models.CharField(max_length=2, choices=Language.choices),
        verbose_name=_("languages"),
        default=list,
        blank=True,
    )
    sectors = ArrayField(
        models.CharField(max_length=1, choices=Sector.choices),
        verbose_name=_("sectors (NACE)"),
        default=list,
        blank=True,
    )
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = unique_slug(Organisation, self.name)
        super().save(*args, **kwargs)

    def get_additional_data(self) -> dict:
        """Stored on audit-log entries (accounts/audit.py)."""
        return {"organisation_id": self.pk}


def unique_slug(model: type[models.Model], text: str) -> str:
    base = slugify(text)[:200] or "org"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Admin")
        MEMBER = "member", _("Member")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_unique_user_org"
            )
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN

    def get_additional_data(self) -> dict:
        return {"organisation_id": self.organisation_id}


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An organisation admin invites an e-mail address; the link carries the token."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail"))
    role = models.CharField(
        _("role"), max_length=16, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None

    def get_additional_data(self) -> dict:
        return {"organisation_id": self.organisation_id}


class ProgrammeManager(models.Model):
    """A regional programme manager: staff grant someone the regional dashboard for one
    country or one NUTS-2 region (one row per area; several rows for several areas)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="programme_areas")
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("ISO 3166 code, e.g. DE")
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, null=True, blank=True
    )
    granted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("regional programme manager")
        verbose_name_plural = _("regional programme managers")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(country="") & models.Q(region__isnull=False))
                | (~models.Q(country="") & models.Q(region__isnull=True)),
                name="programme_manager_country_or_region",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.country or self.region_id}"
