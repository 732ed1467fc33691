"""Small views of the site itself, outside the apps."""

from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.decorators.http import require_safe


@require_safe
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Send /favicon.ico, which browsers and feed readers ask for, to the icon.

    The pages name the icon in a <link>, but some clients still try the
    fixed address, and each miss was logged as a 404.
    """
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
