"""Access rules for views: the territory comes from the edge, the role from the
membership checked on this request."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

View = Callable[..., HttpResponse]


def _require(check: Callable[[Any], bool]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if getattr(request, "territory", None) is None:
                # Territory pages never exist on the network host.
                raise PermissionDenied
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = getattr(request, "membership", None)
            if membership is None or not check(membership):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


territory_member_required = _require(lambda membership: True)
territory_staff_required = _require(lambda membership: membership.is_staff)
territory_admin_required = _require(lambda membership: membership.is_admin)


def platform_staff_required(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request, "territory", None) is not None:
            raise PermissionDenied
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
