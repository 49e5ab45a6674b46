"""Celery discovers tasks in each app's tasks.py: the pool's refill lives in
tenants.pool and the session housekeeping in tenants.sessions; both register from here."""

from tenants.pool import refill_standby_pool
from tenants.sessions import clear_expired_sessions, clear_expired_sessions_everywhere

__all__ = ["clear_expired_sessions", "clear_expired_sessions_everywhere", "refill_standby_pool"]
