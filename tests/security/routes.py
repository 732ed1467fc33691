"""Every URL pattern of the portal, each with the access class it belongs to.

``all_routes()`` walks the URL configuration itself, so a view added
anywhere shows up here. ``RULES`` classifies the portal's own patterns by
name; patterns of the Django admin site are classified by what they are
(model pages by their permission, the site's own pages listed by name). A
pattern that no rule covers fails ``test_every_url_is_classified`` with the
line to add.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver

from security.world import Persona, World

# Access classes.
PUBLIC = "public"  # anyone, signed in or not
SIGNED_IN = "signed-in"  # any signed-in person; anonymous goes to the login page
TICKET = "ticket"  # signed in and allowed to see the request in the URL
ADMIN = "admin"  # agents in the admin site; everyone else goes to its login

NOT_ALLOWED = 405


@dataclass(frozen=True)
class Route:
    """One URL pattern: its full route text, qualified name and parameters."""

    route: str
    name: str | None
    parameters: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.name or self.route


@dataclass(frozen=True)
class Rule:
    """The expected answers of one URL for a person allowed to use it.

    ``get`` and ``post`` are the status codes for an allowed person sending
    an empty request; 405 means the view rejects that method for everyone
    who is signed in. ``overrides`` maps (persona name, method) or
    (SIGNED_IN, method) to a status that differs from the class's default.
    """

    access: str
    get: int
    post: int
    kwargs: Callable[[World, Persona], dict] | None = None
    overrides: dict[tuple[str, str], int] = field(default_factory=dict)
    changes_state: bool = False
    # Models a GET may add one row to on a person's first visit, and never
    # again after that (checked with a second GET).
    get_creates_once: tuple[str, ...] = ()


def _attachment_kwargs(world: World, persona: Persona) -> dict:
    return {"attachment_id": persona.target.attachment.pk}


def _invalid_token_kwargs(world: World, persona: Persona) -> dict:
    return {"uidb64": "MQ", "token": "invalid-token"}


def _invalid_unsubscribe_kwargs(world: World, persona: Persona) -> dict:
    return {"token": "invalid-token"}


def _saved_filter_kwargs(world: World, persona: Persona) -> dict:
    return {"saved_filter_id": world.saved_filter_id}


# Everyone but the reporter, who owns the world's saved filter.
_NOT_OWNER = (
    "colleague_shared",
    "colleague_unshared",
    "participant",
    "outsider",
    "agent",
)


def _owner_only(method: str) -> dict[tuple[str, str], int]:
    return {(name, method): 404 for name in _NOT_OWNER}


def _staged_upload_kwargs(world: World, persona: Persona) -> dict:
    return {"staged_id": "00000000-0000-4000-8000-000000000000"}


def _avatar_kwargs(world: World, persona: Persona) -> dict:
    return {"user_id": world.reporter.pk}


# The portal's own URLs by qualified name. A POST with an empty body reaches
# the view's form validation, so it changes nothing unless changes_state says
# otherwise.
RULES: dict[str, Rule] = {
    "home": Rule(PUBLIC, get=302, post=302),
    # The login page forwards people who are already signed in.
    "accounts:login": Rule(
        PUBLIC,
        get=200,
        post=200,
        overrides={(SIGNED_IN, "GET"): 302, (SIGNED_IN, "POST"): 302},
    ),
    "accounts:logout": Rule(PUBLIC, get=NOT_ALLOWED, post=302, changes_state=True),
    "set_language": Rule(PUBLIC, get=302, post=302, changes_state=True),
    "healthz": Rule(PUBLIC, get=200, post=NOT_ALLOWED),
    "readyz": Rule(PUBLIC, get=200, post=NOT_ALLOWED),
    "favicon": Rule(PUBLIC, get=301, post=NOT_ALLOWED),
    # Sign-up is off unless SIGNUP_ENABLED is set.
    "accounts:signup": Rule(PUBLIC, get=404, post=404),
    "accounts:invitation": Rule(
        PUBLIC, get=200, post=200, kwargs=_invalid_token_kwargs
    ),
    "accounts:password-reset": Rule(PUBLIC, get=200, post=200),
    "accounts:password-reset-done": Rule(PUBLIC, get=200, post=NOT_ALLOWED),
    "accounts:password-reset-confirm": Rule(
        PUBLIC, get=200, post=200, kwargs=_invalid_token_kwargs
    ),
    "accounts:password-reset-complete": Rule(PUBLIC, get=200, post=NOT_ALLOWED),
    "accounts:password-change": Rule(SIGNED_IN, get=200, post=200),
    "accounts:profile": Rule(SIGNED_IN, get=200, post=400),
    "accounts:avatar-upload": Rule(SIGNED_IN, get=NOT_ALLOWED, post=400),
    "accounts:avatar-remove": Rule(
        SIGNED_IN, get=NOT_ALLOWED, post=302, changes_state=True
    ),
    # The reporter's avatar: for people who share an organization or a
    # request with her, and for agents.
    "accounts:avatar": Rule(
        SIGNED_IN,
        get=200,
        post=NOT_ALLOWED,
        kwargs=_avatar_kwargs,
        overrides={("outsider", "GET"): 404},
    ),
    # Both pages create the user's pending authenticator key on first view.
    "accounts:two-factor-setup": Rule(
        SIGNED_IN, get=200, post=200, get_creates_once=("otp_totp.TOTPDevice",)
    ),
    "accounts:two-factor-qr": Rule(
        SIGNED_IN,
        get=200,
        post=NOT_ALLOWED,
        get_creates_once=("otp_totp.TOTPDevice",),
    ),
    "accounts:two-factor-verify": Rule(SIGNED_IN, get=302, post=302),
    "accounts:two-factor-recovery-codes": Rule(SIGNED_IN, get=NOT_ALLOWED, post=302),
    "accounts:two-factor-disable": Rule(SIGNED_IN, get=302, post=302),
    "help": Rule(PUBLIC, get=200, post=NOT_ALLOWED),
    # The signed token is the credential; an invalid one finds nothing.
    "notifications-unsubscribe": Rule(
        PUBLIC, get=404, post=404, kwargs=_invalid_unsubscribe_kwargs
    ),
    # Only the reporter changes who sees a request.
    "tickets:share": Rule(
        TICKET,
        get=200,
        post=200,
        overrides={
            (name, method): 403
            for name in ("colleague_shared", "participant", "agent")
            for method in ("GET", "POST")
        },
    ),
    # The reporter cancels; the reporter and participants escalate and
    # reopen. An empty reason or a move the workflow does not allow returns
    # to the request page.
    "tickets:cancel": Rule(
        TICKET,
        get=NOT_ALLOWED,
        post=302,
        changes_state=True,
        overrides={
            (name, "POST"): 403 for name in ("colleague_shared", "participant", "agent")
        },
    ),
    **{
        name: Rule(
            TICKET,
            get=NOT_ALLOWED,
            post=302,
            changes_state=True,
            overrides={("colleague_shared", "POST"): 403, ("agent", "POST"): 403},
        )
        for name in ("tickets:escalate", "tickets:reopen")
    },
    "tickets:notifications": Rule(
        TICKET, get=NOT_ALLOWED, post=302, changes_state=True
    ),
    "tickets:export": Rule(SIGNED_IN, get=200, post=NOT_ALLOWED),
    "tickets:columns": Rule(SIGNED_IN, get=NOT_ALLOWED, post=302, changes_state=True),
    "tickets:saved-filter-add": Rule(
        SIGNED_IN, get=NOT_ALLOWED, post=302, changes_state=True
    ),
    # Saved filters are their owner's: everyone else gets 404.
    "tickets:saved-filter-run": Rule(
        SIGNED_IN,
        get=302,
        post=NOT_ALLOWED,
        kwargs=_saved_filter_kwargs,
        overrides=_owner_only("GET"),
    ),
    "tickets:saved-filter-rename": Rule(
        SIGNED_IN,
        get=NOT_ALLOWED,
        post=302,
        kwargs=_saved_filter_kwargs,
        overrides=_owner_only("POST"),
        changes_state=True,
    ),
    "tickets:saved-filter-delete": Rule(
        SIGNED_IN,
        get=NOT_ALLOWED,
        post=302,
        kwargs=_saved_filter_kwargs,
        overrides=_owner_only("POST"),
        changes_state=True,
    ),
    # Files staged by the drag-and-drop editor before the form is sent.
    "tickets:upload-stage": Rule(
        SIGNED_IN, get=NOT_ALLOWED, post=400, changes_state=True
    ),
    "tickets:upload-discard": Rule(
        SIGNED_IN,
        get=NOT_ALLOWED,
        post=404,
        kwargs=_staged_upload_kwargs,
        changes_state=True,
    ),
    "tickets:mentions-new": Rule(SIGNED_IN, get=200, post=NOT_ALLOWED),
    "tickets:mentions": Rule(TICKET, get=200, post=NOT_ALLOWED),
    "tickets:attachment-preview": Rule(
        TICKET, get=200, post=NOT_ALLOWED, kwargs=_attachment_kwargs
    ),
    # Inline views and thumbnails exist for images only; the world's files
    # are text.
    "tickets:attachment-inline": Rule(
        TICKET, get=404, post=NOT_ALLOWED, kwargs=_attachment_kwargs
    ),
    "tickets:attachment-thumbnail": Rule(
        TICKET, get=404, post=NOT_ALLOWED, kwargs=_attachment_kwargs
    ),
    "helpcenter:project-list": Rule(SIGNED_IN, get=200, post=200),
    "helpcenter:project-detail": Rule(SIGNED_IN, get=200, post=200),
    "helpcenter:request-create": Rule(SIGNED_IN, get=200, post=200),
    "tickets:list": Rule(SIGNED_IN, get=200, post=NOT_ALLOWED),
    "tickets:detail": Rule(TICKET, get=200, post=NOT_ALLOWED),
    "tickets:comment-add": Rule(TICKET, get=NOT_ALLOWED, post=400),
    "tickets:attachment-download": Rule(
        TICKET, get=200, post=NOT_ALLOWED, kwargs=_attachment_kwargs
    ),
}

# The admin site's own pages, by name: (GET, POST) for an agent.
ADMIN_SITE_PAGES: dict[str, tuple[int, int]] = {
    "admin:index": (200, 200),
    "admin:login": (302, 200),
    "admin:logout": (NOT_ALLOWED, 302),
    "admin:password_change": (200, 200),
    "admin:password_change_done": (200, NOT_ALLOWED),
    "admin:autocomplete": (403, NOT_ALLOWED),
    "admin:jsi18n": (200, NOT_ALLOWED),
    "admin:view_on_site": (302, 302),
    "admin:app_list": (200, 200),
    # The agents' workspace on a ticket page: forms that only accept POST.
    "admin:tickets_ticket_reply": (NOT_ALLOWED, 400),
    "admin:tickets_ticket_transition": (NOT_ALLOWED, 400),
    "admin:tickets_ticket_assign_to_me": (NOT_ALLOWED, 302),
    # Sending the invitation again; the reporter has a password, so none goes.
    "admin:accounts_user_invite": (403, 302),
    "admin:otp_totp_totpdevice_config": (403, 403),
    "admin:otp_totp_totpdevice_qrcode": (403, 403),
}
# The admin site's last pattern, which answers 404 for unknown admin URLs.
ADMIN_CATCH_ALL = "admin/(?P<url>.*)$"
# Admin pages that log the agent out or change state on an empty POST.
ADMIN_STATE_CHANGING = {"admin:logout", "admin:tickets_ticket_assign_to_me"}
# Admin pages that anonymous visitors and customers may open.
ADMIN_OPEN_PAGES = {"admin:login"}

_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")
_REGEX_PARAMETER = re.compile(r"\(\?P<(?P<parameter>\w+)>")


def _walk(patterns, prefix: str = "", namespace: str | None = None):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part)
            yield from _walk(pattern.url_patterns, route, inner or None)
        elif isinstance(pattern, URLPattern):
            name = pattern.name
            if name and namespace:
                name = f"{namespace}:{name}"
            parameters = tuple(
                match["parameter"] for match in _PARAMETER.finditer(route)
            ) + tuple(match["parameter"] for match in _REGEX_PARAMETER.finditer(route))
            yield Route(route=route, name=name, parameters=parameters)


def all_routes() -> list[Route]:
    """Return every URL pattern of the project, admin site included."""
    return list(_walk(get_resolver().url_patterns))


# --- The admin site ---------------------------------------------------------

_MODEL_PAGE = re.compile(
    r"^admin/(?P<app>\w+)/(?P<model>\w+)/(?:(?P<object><path:object_id>/)"
    r"(?P<action>history/|delete/|change/)?|(?P<list_action>add/)?)$"
)


def admin_model(route: Route) -> tuple[type[models.Model], str] | None:
    """Return (model, page) for a standard ModelAdmin page, else None.

    The page is one of changelist, add, change, delete, history or redirect
    (the bare object URL that forwards to its change page).
    """
    match = _MODEL_PAGE.match(route.route)
    if match is None:
        return None
    for model in admin.site._registry:
        if (model._meta.app_label, model._meta.model_name) == (
            match["app"],
            match["model"],
        ):
            break
    else:
        return None
    if match["object"]:
        page = (match["action"] or "redirect/").rstrip("/")
    else:
        page = "add" if match["list_action"] else "changelist"
    return model, page


def is_admin(route: Route) -> bool:
    return route.route.startswith("admin/")


def admin_object_id(model: type[models.Model], world: World) -> str:
    """Return the id of an object of this model that agents may look at."""
    preferred = {
        "ticket": world.private.ticket.pk,
        "user": world.reporter.pk,
        "organization": world.alpha.pk,
        "project": world.project.pk,
    }
    if model._meta.model_name in preferred:
        return str(preferred[model._meta.model_name])
    first = model._default_manager.order_by("pk").first()
    return str(first.pk) if first is not None else "0"


def admin_expected(route: Route, method: str, world: World) -> int:
    """Return an agent's expected status on an admin page.

    Model pages follow the ModelAdmin's own permission methods, which combine
    the agent's model permissions with the admin's overrides. A missing
    object forwards to the admin index (302).
    """
    found = admin_model(route)
    if found is not None:
        model, page = found
        model_admin = admin.site._registry[model]
        request = RequestFactory().get("/admin/")
        request.user = world.agent
        object_id = admin_object_id(model, world)
        object_missing = object_id == "0"
        obj = None
        if not object_missing and page != "changelist":
            obj = model._default_manager.filter(pk=object_id).first()

        if page == "redirect":
            return 302
        if page == "history" and object_missing:
            # The history page looks the object up before it checks permissions.
            return 302
        if page in {"changelist", "history"}:
            granted = model_admin.has_view_or_change_permission(request, obj)
        elif page == "add":
            granted = model_admin.has_add_permission(request)
        elif page == "delete":
            granted = model_admin.has_delete_permission(request, obj)
        elif method == "POST":
            granted = model_admin.has_change_permission(request, obj)
        else:
            granted = model_admin.has_view_or_change_permission(request, obj)
        if not granted:
            return 403
        if page == "change" and method == "POST" and not object_missing:
            # An empty POST fails validation (200) unless the form has
            # nothing to fill in: then the admin saves and forwards (302).
            form = model_admin.get_form(request, obj, change=True)
            needs_input = model_admin.get_inlines(request, obj) or any(
                field.required for field in form.base_fields.values()
            )
            return 200 if needs_input else 302
        if page not in {"changelist", "add"} and object_missing:
            return 302
        return 200
    if route.name == "admin:auth_user_password_change":
        # Support never sets a customer's password: only superusers may.
        return 403
    if route.name in ADMIN_SITE_PAGES:
        get, post = ADMIN_SITE_PAGES[route.name]
        return get if method == "GET" else post
    if route.route == ADMIN_CATCH_ALL:
        return 404
    raise LookupError(route.label)


def admin_kwargs(route: Route, world: World) -> dict:
    kwargs: dict = {}
    found = admin_model(route)
    if "object_id" in route.parameters:
        if found is not None:
            kwargs["object_id"] = admin_object_id(found[0], world)
        else:
            kwargs["object_id"] = str(world.private.ticket.pk)
    if "content_type_id" in route.parameters:
        kwargs["content_type_id"] = ContentType.objects.get_for_model(
            world.private.ticket
        ).pk
    if "app_label" in route.parameters:
        kwargs["app_label"] = "tickets"
    if "user_id" in route.parameters:
        kwargs["user_id"] = str(world.reporter.pk)
    if "id" in route.parameters:
        kwargs["id"] = str(world.reporter.pk)
    if (
        "pk" in route.parameters
        and route.name
        and route.name.startswith("admin:otp_totp_totpdevice_")
    ):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        kwargs["pk"] = str(TOTPDevice.objects.order_by("pk").first().pk)
    if "url" in route.parameters:
        kwargs["url"] = "no-such-page/"
    return kwargs


def is_classified(route: Route) -> bool:
    if not is_admin(route):
        return route.name in RULES
    return (
        admin_model(route) is not None
        or route.name in ADMIN_SITE_PAGES
        or route.name == "admin:auth_user_password_change"
        or route.route == ADMIN_CATCH_ALL
    )


def classified_routes() -> list[Route]:
    """Return the routes with a rule; the classification test reports the rest."""
    return [route for route in all_routes() if is_classified(route)]


# --- Filling in URLs ---------------------------------------------------------


def expected_status(route: Route, persona: Persona, method: str, world: World) -> int:
    """Return the status code the product promises for one matrix cell."""
    if is_admin(route):
        if persona.is_agent:
            return admin_expected(route, method, world)
        if route.name in ADMIN_OPEN_PAGES:
            return 200
        return 302

    rule = RULES[route.label]
    group = SIGNED_IN if persona.user is not None else "anonymous"
    for key in ((persona.name, method), (group, method)):
        if key in rule.overrides:
            return rule.overrides[key]
    status = rule.get if method == "GET" else rule.post
    if rule.access == PUBLIC:
        return status
    if persona.user is None:
        return 302
    if status == NOT_ALLOWED:
        return status
    if rule.access == TICKET and not persona.sees_target:
        return 404
    return status


def changes_state(route: Route, method: str) -> bool:
    """Return whether an empty request of this method may change stored data."""
    if method == "GET":
        return False
    if is_admin(route):
        found = admin_model(route)
        # A change page that needs no input saves an empty POST (and logs it).
        return route.name in ADMIN_STATE_CHANGING or (
            found is not None and found[1] == "change"
        )
    return RULES[route.label].changes_state


def default_kwargs(route: Route, world: World, persona: Persona) -> dict:
    """Fill the URL parameters the portal's routes share by name."""
    values = {
        "key": persona.target.ticket.key,
        "project_key": world.project.key,
        "request_type": world.request_type.slug,
        "attachment_id": persona.target.attachment.pk,
    }
    return {name: values[name] for name in route.parameters if name in values}


def build_path(route: Route, kwargs: dict) -> str:
    """Return the URL path of a route with its parameters filled in."""
    if "(?P<" in route.route or route.route.startswith("^"):
        path = route.route
        for name, value in kwargs.items():
            path = re.sub(rf"\(\?P<{name}>[^)]*\)", str(value), path)
        path = path.replace("^", "").replace("$", "")
    else:
        path = _PARAMETER.sub(
            lambda match: str(kwargs[match["parameter"]]), route.route
        )
    return "/" + path


def path_for(route: Route, world: World, persona: Persona) -> str:
    if is_admin(route):
        kwargs = admin_kwargs(route, world)
    else:
        kwargs = default_kwargs(route, world, persona)
        rule = RULES[route.label]
        if rule.kwargs is not None:
            kwargs.update(rule.kwargs(world, persona))
    missing = [name for name in route.parameters if name not in kwargs]
    if missing:
        raise LookupError(
            f"{route.label}: no value for URL parameters {missing}; give its Rule "
            "a kwargs function in tests/security/routes.py"
        )
    return build_path(route, kwargs)
