import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.http import urlencode

from accounts.two_factor import SESSION_KEY, TwoFactorStep


class UserPreferencesMiddleware:
    """Activate the signed-in user's language and time zone for the request.

    Before login, LocaleMiddleware has already chosen the language from the
    language cookie or the browser's Accept-Language header.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


# Pages a signed-in user can open while a two-factor step is open.
TWO_FACTOR_OPEN_URLS = {
    TwoFactorStep.VERIFY: {
        "accounts:two-factor-verify",
        "accounts:logout",
        "set_language",
    },
    TwoFactorStep.SETUP: {
        "accounts:two-factor-setup",
        "accounts:two-factor-qr",
        "accounts:logout",
        "set_language",
    },
}


class TwoFactorMiddleware:
    """Send users who still owe their second factor to the verify or setup page.

    The step is stored in the session at login (accounts.two_factor), so a
    request costs no query here.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        step = (
            request.session.get(SESSION_KEY) if request.user.is_authenticated else None
        )
        if step:
            try:
                match = resolve(request.path_info)
                url_name = (
                    f"{match.namespace}:{match.url_name}"
                    if match.namespace
                    else match.url_name
                )
            except Resolver404:
                url_name = None
            if url_name not in TWO_FACTOR_OPEN_URLS[TwoFactorStep(step)]:
                target = (
                    "accounts:two-factor-verify"
                    if step == TwoFactorStep.VERIFY
                    else "accounts:two-factor-setup"
                )
                response = redirect(target)
                if request.method == "GET":
                    response["Location"] += "?" + urlencode(
                        {"next": request.get_full_path()}
                    )
                return response
        return self.get_response(request)
