"""Read and write functions for saved filters and the chosen columns."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.models import User
from tickets.list_state import list_state
from tickets.models import RequestListPreference, SavedFilter
from tickets.tables import columns_clean


def saved_filter_query_clean(*, user: User, query_string: str) -> str:
    """Return the canonical form of a list's query string, without its page.

    Unknown parameters are dropped, and a list with invalid filters (such as
    another organization's id) raises ValidationError. The access rule and
    the allowed choices are checked again each time the filter runs, because
    memberships change.
    """
    state = list_state(user=user, query=QueryDict(query_string))
    if not state.is_valid:
        raise ValidationError(
            _(
                "This list has invalid filters. Correct the marked filters, then save it."
            )
        )
    return state.query_string(page=None)


def saved_filter_get(*, user: User, saved_filter_id: int) -> SavedFilter:
    """Return the user's saved filter, or raise Http404 for any other id."""
    return get_object_or_404(SavedFilter, pk=saved_filter_id, user=user)


def _save(saved_filter: SavedFilter) -> SavedFilter:
    try:
        with transaction.atomic():
            saved_filter.full_clean(exclude=["user"])
            saved_filter.save()
    except IntegrityError:
        raise ValidationError(
            {"name": _("You already have a saved filter with this name.")}
        ) from None
    return saved_filter


def saved_filter_create(*, user: User, name: str, query_string: str) -> SavedFilter:
    query = saved_filter_query_clean(user=user, query_string=query_string)
    return _save(SavedFilter(user=user, name=name, query_string=query))


def saved_filter_rename(*, saved_filter: SavedFilter, name: str) -> SavedFilter:
    saved_filter.name = name
    return _save(saved_filter)


def saved_filter_delete(*, saved_filter: SavedFilter) -> None:
    saved_filter.delete()


def column_preference_set(*, user: User, columns: list[str]) -> tuple[str, ...]:
    """Remember the user's columns for the requests overview; return them cleaned."""
    cleaned = columns_clean(columns)
    RequestListPreference.objects.update_or_create(
        user=user, defaults={"columns": list(cleaned)}
    )
    return cleaned
