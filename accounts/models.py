"""The console's own record of the people who sign in: a mirror of their platform identity.

Nobody has a password here: the platform checks it at every sign-in (`accounts.backends`), and
this row, refreshed each time, is what sessions and the audit log point at.
"""

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The platform's roles: a CUSTOMER manages a workspace, an AGENT answers its chats."""

    MANAGER = "CUSTOMER", _("Manager")
    AGENT = "AGENT", _("Agent")


class UserManager(BaseUserManager["User"]):
    def create_user(self, platform_user_id: str, email: str, **fields: Any) -> "User":
        user = self.model(
            platform_user_id=platform_user_id, email=self.normalize_email(email), **fields
        )
        user.set_unusable_password()
        user.save(using=self._db)
        return user


class User(AbstractBaseUser):
    # The platform's id is the identity: an email can move between platform users over time.
    platform_user_id = models.CharField(max_length=64, unique=True)
    email = models.EmailField(max_length=254, db_index=True)
    name = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=16, choices=Role)
    tenant_id = models.CharField(max_length=64, db_index=True)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # The user's own IANA time zone for every time the console shows and reads; blank: the
    # workspace's (accounts.zones). A local preference: the platform has no such setting.
    time_zone = models.CharField(max_length=64, blank=True)
    # The user's own language for the console (a code of settings.LANGUAGES); blank: the
    # workspace's (accounts.languages). Local like the zone.
    language = models.CharField(max_length=8, blank=True)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "platform_user_id"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["email"]

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER

    @property
    def is_agent(self) -> bool:
        return self.role == Role.AGENT

    @property
    def display_name(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name


class ThrottleCounter(models.Model):
    """One windowed counter of `accounts.counters` (sign-in and confirmation throttling), when
    the counters live in the database. The key is a keyed hash: no email or address in clear."""

    key = models.CharField(max_length=100, primary_key=True)
    count = models.IntegerField(default=0)
    window_ends_at = models.DateTimeField(db_index=True)
    # Set once per window by `first_mark`: the lockout this counter caused is in the audit log.
    marked = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.key}: {self.count} until {self.window_ends_at:%H:%M:%S}"


class WorkspaceZone(models.Model):
    """Each workspace's time zone as the console last read it from the platform (a manager's
    sign-in, overview or settings save). Agents cannot read the workspace settings (that is the
    tenant API, managers only), so their sessions take the zone from here (accounts.zones)."""

    tenant_id = models.CharField(max_length=64, primary_key=True)
    time_zone = models.CharField(max_length=64)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.tenant_id}: {self.time_zone}"


class WorkspaceLanguage(models.Model):
    """Each workspace's language as the console last read it from the platform, for the agents'
    sessions (as WorkspaceZone is for its time zone: agents cannot read the settings)."""

    tenant_id = models.CharField(max_length=64, primary_key=True)
    language = models.CharField(max_length=8)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.tenant_id}: {self.language}"
