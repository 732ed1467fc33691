"""Suggestions for @mentions in the editor, as JSON."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from tickets.selectors import (
    MENTION_SUGGESTION_LIMIT,
    mention_candidates,
    ticket_get_visible,
)


def _suggestions(request: HttpRequest, ticket) -> JsonResponse:
    # PostgreSQL rejects NUL and the other control characters in a query.
    query = "".join(char for char in request.GET.get("q", "") if char.isprintable())
    query = query[:100]
    users = mention_candidates(user=request.user, ticket=ticket, query=query)[
        :MENTION_SUGGESTION_LIMIT
    ]
    return JsonResponse(
        {"users": [{"id": user.pk, "name": user.display_name} for user in users]}
    )


@login_required
@require_GET
def mention_suggestions_new(request: HttpRequest) -> JsonResponse:
    """Colleagues the writer of a new request may mention."""
    return _suggestions(request, None)


@login_required
@require_GET
def mention_suggestions(request: HttpRequest, key: str) -> JsonResponse:
    """Colleagues that may be mentioned on a request the user can see."""
    ticket = ticket_get_visible(user=request.user, key=key)
    return _suggestions(request, ticket)
