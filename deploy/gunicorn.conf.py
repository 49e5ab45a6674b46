"""gunicorn settings for production (and for `make bench`, which runs it this way).

Everything can be overridden from the environment: WEB_CONCURRENCY, PORT / BIND.
"""

import gc
import multiprocessing
import os

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
# Django is synchronous: processes, not threads, use the cores.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# Before a request takes longer than this, something is wrong (the proxy gives up at 60 s).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak can never take a node down.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))  # 0 = never
max_requests_jitter = 200
# Each worker loads the application itself, never the master: `systemctl reload`
# (HUP) then starts workers that import the code now on disk and retires the old ones
# gracefully, so a release switches code without dropping a request. With
# preload_app the master would keep the old code and hand it to every new worker.
preload_app = False
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# No client address and no query string in the access log: most users are minors.
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
access_log_format = (
    '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms host=%({host}i)s rid=%({x-request-id}o)s'
)
if os.environ.get("LOG_FORMAT") == "json":
    # One JSON object per line like the application's logs. Paths and hosts have been
    # through nginx/Django's checks; a quote in a path would still break a line's JSON.
    access_log_format = (
        '{"time": "%(t)s", "logger": "gunicorn.access", "method": "%(m)s", '
        '"path": "%(U)s", "status": %(s)s, "bytes": %(B)s, "duration_ms": %(M)s, '
        '"host": "%({host}i)s", "request_id": "%({x-request-id}o)s"}'
    )
errorlog = "-"
pythonpath = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "platform")
wsgi_app = "learning_platform.wsgi:application"


def child_exit(server: object, worker: object) -> None:
    """With PROMETHEUS_MULTIPROC_DIR set, forget the metrics files of a dead worker
    (its counters stay summed in the live ones' totals until the directory is wiped
    at the next start: deploy/systemd/cities-web.service)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined]


def post_worker_init(worker: object) -> None:
    """A worker whose production configuration is incomplete fails to boot, naming the
    missing settings (gunicorn then stops), instead of serving on local fallbacks."""
    from shared_apps.core.checks import refuse_incomplete_configuration

    refuse_incomplete_configuration()
    # The application is loaded (this hook runs after the worker imported it): move
    # its modules, classes, URL patterns and templates out of the collector's
    # generations, so a full collection no longer walks them (large responses build
    # enough objects to trigger full collections). bench/bench_opendata.py feeds, two
    # runs each way: app CPU per 500-item catalogue page 0.048 -> 0.039 s, per
    # 10,000-row CSV download 0.70 -> 0.60 s; the changes feed unchanged.
    gc.freeze()
