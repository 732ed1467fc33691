"""Every admin page for an agent and a superuser, and what agents may not do."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Membership, User
from accounts.roles import (
    AGENT_LOCKOUT_PERMISSIONS,
    AGENT_OUTBOX_PERMISSIONS,
    AGENT_PERMISSIONS,
    AGENTS_GROUP,
    make_agent,
)
from helpcenter.models import Component, Version
from tests.conftest import PASSWORD, login
from tickets.models import Attachment, Comment
from tickets.services import comment_create, ticket_transition
from tickets.workflow import Actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_of_each(ticket, agent, reporter, alpha, request_type, project, make_ticket):
    """At least one row of every model registered in the admin."""
    comment_create(
        ticket=ticket,
        author=agent,
        body="Please try again.",
        files=[SimpleUploadedFile("a.txt", b"x", content_type="text/plain")],
    )
    ticket_transition(
        ticket=ticket, to_status="in_progress", actor=Actor.AGENT, changed_by=agent
    )
    make_ticket(organization=alpha)
    return ticket


def registered_models():
    return sorted(
        admin.site._registry, key=lambda model: (model._meta.app_label, model.__name__)
    )


def model_id(model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


@pytest.mark.parametrize("role", ["agent", "superuser"])
@pytest.mark.parametrize("model", registered_models(), ids=model_id)
def test_every_admin_page_opens(one_of_each, agent, superuser, role, model):
    client = login(agent if role == "agent" else superuser)
    opts = model._meta
    user = agent if role == "agent" else superuser
    can_view = user.has_perm(f"{opts.app_label}.view_{opts.model_name}") or (
        user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
    )

    changelist = client.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    )
    expected = 200 if can_view else 403
    assert changelist.status_code == expected

    # Third-party models (sign-in lockouts, two-factor devices) have no rows
    # in this fixture; their list and add pages are still checked.
    instance = model._default_manager.order_by("pk").first()
    if instance is not None:
        change = client.get(
            reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change", args=[instance.pk]
            )
        )
        history = client.get(
            reverse(
                f"admin:{opts.app_label}_{opts.model_name}_history", args=[instance.pk]
            )
        )
        assert change.status_code == expected
        assert history.status_code == expected
    model_admin = admin.site._registry[model]
    add = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    request = changelist.wsgi_request
    assert add.status_code == (200 if model_admin.has_add_permission(request) else 403)


@pytest.mark.parametrize("role", ["agent", "superuser"])
def test_admin_index_and_app_pages_open(agent, superuser, role):
    client = login(agent if role == "agent" else superuser)

    assert client.get(reverse("admin:index")).status_code == 200
    for app_label in ("tickets", "accounts", "helpcenter"):
        page = client.get(reverse("admin:app_list", args=[app_label]))
        assert page.status_code == 200, app_label


def test_agents_group_has_exactly_the_listed_permissions(db):
    group = Group.objects.get(name=AGENTS_GROUP)

    granted = set(group.permissions.values_list("content_type__app_label", "codename"))

    expected = {
        (app_label, f"{action}_{model}")
        for (app_label, model), actions in (
            AGENT_PERMISSIONS | AGENT_LOCKOUT_PERMISSIONS | AGENT_OUTBOX_PERMISSIONS
        ).items()
        for action in actions
    }
    assert granted == expected


def test_agent_cannot_change_projects(agent, project):
    client = login(agent)
    url = reverse("admin:helpcenter_project_change", args=[project.pk])

    page = client.get(url)
    post = client.post(url, {"key": "NET", "name": "Renamed"})

    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert post.status_code == 403
    project.refresh_from_db()
    assert project.name == "Network Planner Support"
    assert client.get(reverse("admin:helpcenter_project_add")).status_code == 403
    for model in (Version, Component):
        opts = model._meta
        add = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        assert add.status_code == 403


def test_agent_cannot_delete_tickets_or_comments(agent, ticket):
    client = login(agent)

    response = client.post(
        reverse("admin:tickets_ticket_delete", args=[ticket.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert not agent.has_perm("tickets.delete_comment")
    assert not agent.has_perm("tickets.change_comment")


def test_agent_given_permission_can_change_projects(agent, project):
    agent.user_permissions.add(
        Permission.objects.get(codename="change_project"),
    )
    agent = User.objects.get(pk=agent.pk)
    client = login(agent)

    response = client.get(reverse("admin:helpcenter_project_change", args=[project.pk]))

    assert response.context["has_change_permission"] is True


def test_superuser_changes_project_visibility(superuser, project, alpha):
    client = login(superuser)
    url = reverse("admin:helpcenter_project_change", args=[project.pk])
    data = {
        "key": "NET",
        "name": "Network Planner Support",
        "description": "",
        "is_active": "on",
        "organizations": [alpha.pk],
    }
    for prefix in ("versions", "components", "request_types"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )

    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    project.refresh_from_db()
    assert project.is_public is False
    assert list(project.organizations.all()) == [alpha]


def test_agent_cannot_edit_other_staff(agent, superuser):
    colleague = make_agent(
        User.objects.create_user(email="bob@support.example", password=PASSWORD)
    )
    client = login(agent)

    for target in (colleague, superuser):
        url = reverse("admin:accounts_user_change", args=[target.pk])
        page = client.get(url)
        post = client.post(url, {"email": target.email, "is_superuser": "on"})
        password = client.get(
            reverse("admin:auth_user_password_change", args=[target.pk])
        )
        assert page.status_code == 200
        assert page.context["has_change_permission"] is False
        assert post.status_code == 403
        assert password.status_code == 403


def test_agent_cannot_make_customer_staff(agent, reporter, alpha):
    client = login(agent)
    url = reverse("admin:accounts_user_change", args=[reporter.pk])
    page = client.get(url)
    form = page.context["adminform"].form

    assert "is_staff" not in form.fields
    assert "is_superuser" not in form.fields
    assert "groups" not in form.fields
    assert "user_permissions" not in form.fields

    membership = Membership.objects.get(user=reporter)
    response = client.post(
        url,
        {
            "email": reporter.email,
            "full_name": "Clara C.",
            "language": "en",
            "time_zone": "Europe/Berlin",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": [Group.objects.get(name=AGENTS_GROUP).pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
            "membership_set-TOTAL_FORMS": "1",
            "membership_set-INITIAL_FORMS": "1",
            "membership_set-MIN_NUM_FORMS": "0",
            "membership_set-MAX_NUM_FORMS": "1000",
            "membership_set-0-id": membership.pk,
            "membership_set-0-user": reporter.pk,
            "membership_set-0-organization": alpha.pk,
        },
    )

    assert response.status_code == 302, response.context and response.context["errors"]
    reporter.refresh_from_db()
    assert reporter.full_name == "Clara C."
    assert reporter.is_staff is False
    assert reporter.is_superuser is False
    assert not reporter.groups.exists()


def test_superuser_can_make_agent_staff(superuser, reporter):
    client = login(superuser)

    page = client.get(reverse("admin:accounts_user_change", args=[reporter.pk]))

    assert "is_staff" in page.context["adminform"].form.fields
    assert "groups" in page.context["adminform"].form.fields


def test_agent_without_group_sees_no_tickets(db, ticket):
    bare = User.objects.create_user(
        email="new@support.example", password=PASSWORD, is_staff=True
    )
    client = login(bare)

    response = client.get(reverse("admin:tickets_ticket_changelist"))

    assert response.status_code == 403


def test_organization_page_lists_members_and_tickets(agent, alpha, shared_ticket):
    client = login(agent)

    listing = client.get(reverse("admin:accounts_organization_changelist"))
    page = client.get(reverse("admin:accounts_organization_change", args=[alpha.pk]))

    html = page.content.decode()
    assert listing.status_code == 200
    row = listing.context["cl"].result_list[0]
    assert row.member_total == 1
    assert row.open_ticket_total == 1
    assert shared_ticket.key in html
    assert "Clara Customer" in html


@pytest.mark.parametrize("model", [Comment, Attachment])
def test_comments_and_files_not_added_alone(agent, superuser, model):
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")

    for user in (agent, superuser):
        assert login(user).get(url).status_code == 403
