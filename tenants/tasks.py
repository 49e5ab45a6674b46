"""Celery discovers tasks in each app's tasks.py: the pool's refill lives in
tenants.pool and is registered from here."""

from tenants.pool import refill_standby_pool

__all__ = ["refill_standby_pool"]
