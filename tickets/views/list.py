"""The requests overview."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tickets.selectors import ticket_list_visible

PAGE_SIZE = 25


@login_required
@require_GET
def ticket_list(request: HttpRequest) -> HttpResponse:
    tickets = (
        ticket_list_visible(user=request.user)
        .select_related("project")
        .order_by("-updated_at", "-pk")
    )
    page = Paginator(tickets, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "tickets/ticket_list.html", {"page": page})
