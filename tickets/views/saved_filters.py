"""Saved filters and the column choice of the requests overview."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from portal.text import VisibleTextField
from tickets.list_state import list_state
from tickets.saved_filters import (
    column_preference_set,
    saved_filter_create,
    saved_filter_delete,
    saved_filter_get,
    saved_filter_rename,
)
from tickets.tables import ALL_COLUMNS

# Django rejects redirects to URLs longer than 16,384 characters, and both
# forms redirect back to the list with this query string.
MAX_QUERY_STRING = 16_000


class SavedFilterForm(forms.Form):
    name = VisibleTextField(label=gettext_lazy("Name"), max_length=100)
    query_string = forms.CharField(required=False, max_length=MAX_QUERY_STRING)


class ColumnsForm(forms.Form):
    columns = forms.MultipleChoiceField(
        choices=[(name, name) for name in ALL_COLUMNS], required=False
    )
    query_string = forms.CharField(required=False, max_length=MAX_QUERY_STRING)


def _list_redirect(query_string: str) -> HttpResponseRedirect:
    url = reverse("tickets:list")
    return HttpResponseRedirect(f"{url}?{query_string}" if query_string else url)


def _invalid_form_message(form: SavedFilterForm) -> str:
    if form.has_error("query_string"):
        return _("This list could not be saved: its address is invalid or too long.")
    if form.has_error("name", "invisible"):
        return _("Give the filter a name with visible characters.")
    return _("Give the filter a name of up to 100 characters.")


def _error_message(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_POST
def saved_filter_add(request: HttpRequest) -> HttpResponse:
    form = SavedFilterForm(request.POST)
    query_string = request.POST.get("query_string", "")
    if not form.is_valid():
        messages.error(request, _invalid_form_message(form))
        return _list_redirect(query_string)
    try:
        saved_filter = saved_filter_create(
            user=request.user,
            name=form.cleaned_data["name"],
            query_string=form.cleaned_data["query_string"],
        )
    except ValidationError as error:
        _error_message(request, error)
        return _list_redirect(query_string)
    messages.success(request, _("The filter was saved."))
    return _list_redirect(saved_filter.query_string)


@login_required
@require_GET
def saved_filter_run(request: HttpRequest, saved_filter_id: int) -> HttpResponse:
    saved_filter = saved_filter_get(user=request.user, saved_filter_id=saved_filter_id)
    return _list_redirect(saved_filter.query_string)


@login_required
@require_POST
def saved_filter_rename_view(
    request: HttpRequest, saved_filter_id: int
) -> HttpResponse:
    saved_filter = saved_filter_get(user=request.user, saved_filter_id=saved_filter_id)
    form = SavedFilterForm(request.POST)
    if not form.is_valid():
        messages.error(request, _invalid_form_message(form))
        return _list_redirect(request.POST.get("query_string", ""))
    try:
        saved_filter_rename(saved_filter=saved_filter, name=form.cleaned_data["name"])
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(request, _("The filter was renamed."))
    return _list_redirect(form.cleaned_data["query_string"])


@login_required
@require_POST
def saved_filter_delete_view(
    request: HttpRequest, saved_filter_id: int
) -> HttpResponse:
    saved_filter = saved_filter_get(user=request.user, saved_filter_id=saved_filter_id)
    saved_filter_delete(saved_filter=saved_filter)
    messages.success(request, _("The filter was deleted."))
    return _list_redirect(request.POST.get("query_string", ""))


@login_required
@require_POST
def columns_choose(request: HttpRequest) -> HttpResponse:
    """Remember the chosen columns and show the list with them."""
    form = ColumnsForm(request.POST)
    query_string = request.POST.get("query_string", "")
    if not form.is_valid():
        return HttpResponse(_("Unknown column."), status=400, content_type="text/plain")
    columns = column_preference_set(
        user=request.user, columns=form.cleaned_data["columns"]
    )
    state = list_state(user=request.user, query=QueryDict(query_string))
    return _list_redirect(state.query_string(columns=columns, page=None))
