from django.conf import settings
from django.db import models
from django.utils import timezone


class InviteInFlight(models.Model):
    """At most one row per manager: the invitation they are sending right now.

    The hourly limit counts a manager's successful invitations in the audit log, which is exact
    across processes; this row makes the count-then-send step exact too, by letting one manager
    send one invitation at a time (two tabs submitting at once cannot both pass at 49 of 50). The
    primary key is the lock; a row older than STALE_AFTER is from a process that died mid-send.
    """

    manager = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"invitation in flight for {self.manager_id} since {self.started_at:%H:%M:%S}"
