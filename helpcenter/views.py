from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from helpcenter.models import Project, RequestType
from tickets.forms import RequestForm, attachment_limits
from tickets.services import ticket_create


def _get_visible_project(request: HttpRequest, project_key: str) -> Project:
    return get_object_or_404(Project.objects.visible_to(request.user), key=project_key)


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    projects = Project.objects.visible_to(request.user).order_by("name")
    return render(request, "helpcenter/project_list.html", {"projects": projects})


@login_required
def project_detail(request: HttpRequest, project_key: str) -> HttpResponse:
    project = _get_visible_project(request, project_key)
    request_types = project.request_types.filter(is_active=True)
    return render(
        request,
        "helpcenter/project_detail.html",
        {"project": project, "request_types": request_types},
    )


@login_required
def request_create(
    request: HttpRequest, project_key: str, request_type: str
) -> HttpResponse:
    project = _get_visible_project(request, project_key)
    request_type_obj = get_object_or_404(
        RequestType.objects.filter(is_active=True), project=project, slug=request_type
    )
    form = RequestForm(
        request.POST or None,
        request.FILES or None,
        request_type=request_type_obj,
        reporter=request.user,
        mention_url=reverse("tickets:mentions-new"),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = ticket_create(
                reporter=request.user,
                request_type=request_type_obj,
                summary=data["summary"],
                description=data["description"],
                priority=data["priority"],
                affected_version=data.get("affected_version"),
                components=data.get("components") or [],
                organization=form.cleaned_organization(),
                files=data["attachments"],
                staged=data["staged"],
                bug_report=form.cleaned_bug_report(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Your request %(key)s was created.") % {"key": ticket.key}
            )
            return redirect(ticket)

    if form.is_bound:
        form.keep_uploaded_files()
    return render(
        request,
        "helpcenter/request_form.html",
        {
            "project": project,
            "request_type": request_type_obj,
            "form": form,
            "upload_limits": attachment_limits(),
        },
        status=400 if form.is_bound and form.errors else 200,
    )
