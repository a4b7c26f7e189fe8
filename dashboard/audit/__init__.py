"""The audit log. Features write events with `record()` or `recording()`; see log.py."""

from dashboard.audit.log import PendingEvent, Target, record, recording

__all__ = ["PendingEvent", "Target", "record", "recording"]
