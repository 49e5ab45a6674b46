"""Project configuration for the Cities of Learning platform.

Imported as ``learning_platform`` (``platform/`` is only a source root).
"""

from learning_platform.celery import app as celery_app

__version__ = "0.1.0"
__all__ = ["__version__", "celery_app"]
