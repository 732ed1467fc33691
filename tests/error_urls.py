"""The portal's URLs plus views that fail on purpose, for the error page tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from portal.urls import handler500
from portal.urls import urlpatterns as portal_urlpatterns


def bad_request(request):
    raise SuspiciousOperation("test: malformed input")


def forbidden(request):
    raise PermissionDenied


def crash(request):
    raise RuntimeError("test: unexpected failure")


urlpatterns = [
    *portal_urlpatterns,
    path("test-errors/400", bad_request),
    path("test-errors/403", forbidden),
    path("test-errors/500", crash),
]

__all__ = ["handler500", "urlpatterns"]
