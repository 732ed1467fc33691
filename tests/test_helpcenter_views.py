import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from helpcenter.models import Project, RequestType, TicketType
from tickets.models import Priority, Status, Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def alpha_project(alpha) -> Project:
    """A customer-specific project visible only to Alpha Industries."""
    project = Project.objects.create(
        key="ALPHA", name="Alpha custom solution", is_public=False
    )
    project.organizations.add(alpha)
    RequestType.objects.create(
        project=project, slug="ask", name="Ask a question", type=TicketType.QUESTION
    )
    return project


def form_url(request_type: RequestType) -> str:
    return request_type.get_absolute_url()


def test_home_sends_customer_to_help_center(personas):
    response = personas["reporter"].get("/")

    assert response.status_code == 302
    assert response["Location"] == reverse("helpcenter:project-list")


def test_home_sends_anonymous_to_login(personas):
    response = personas["anonymous"].get("/")

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")


@pytest.mark.parametrize("persona", ["reporter", "colleague", "outsider", "agent"])
def test_help_center_lists_public_project(personas, project, persona):
    response = personas[persona].get(reverse("helpcenter:project-list"))

    assert response.status_code == 200
    assert project.name in response.content.decode()


@pytest.mark.parametrize(
    "persona, visible",
    {"reporter": True, "colleague": True, "outsider": False, "agent": True}.items(),
)
def test_help_center_lists_restricted_project(
    personas, alpha_project, persona, visible
):
    response = personas[persona].get(reverse("helpcenter:project-list"))

    assert (alpha_project.name in response.content.decode()) is visible


@pytest.mark.parametrize(
    "persona, expected",
    {
        "reporter": 200,
        "colleague": 200,
        "outsider": 404,
        "agent": 200,
        "anonymous": 302,
    }.items(),
)
def test_restricted_project_page_by_persona(personas, alpha_project, persona, expected):
    response = personas[persona].get(alpha_project.get_absolute_url())

    assert response.status_code == expected


@pytest.mark.parametrize(
    "persona, expected",
    {
        "reporter": 200,
        "colleague": 200,
        "outsider": 404,
        "agent": 200,
        "anonymous": 302,
    }.items(),
)
def test_restricted_request_form_by_persona(personas, alpha_project, persona, expected):
    request_type = alpha_project.request_types.get()

    response = personas[persona].get(form_url(request_type))

    assert response.status_code == expected


def test_project_page_lists_request_types(personas, request_type):
    response = personas["reporter"].get(request_type.project.get_absolute_url())

    assert request_type.name in response.content.decode()


def test_inactive_project_is_not_found(personas, project):
    project.is_active = False
    project.save()

    response = personas["reporter"].get(project.get_absolute_url())

    assert response.status_code == 404


def test_unknown_request_type_is_not_found(personas, project):
    response = personas["reporter"].get(f"/help-center/{project.key}/no-such-type/")

    assert response.status_code == 404


def test_request_form_offers_project_choices(personas, request_type):
    response = personas["reporter"].get(form_url(request_type))

    content = response.content.decode()
    assert "2026.1" in content
    assert "Simulation" in content
    assert "Me and everyone at Alpha Industries" in content


def test_request_form_creates_ticket_with_attachments(personas, request_type, alpha):
    project = request_type.project
    component = project.components.get(name="Simulation")
    files = [
        SimpleUploadedFile(
            "stacktrace.txt", b"Traceback (most recent call last):\n", "text/plain"
        ),
        SimpleUploadedFile(
            "Übersicht Größe.png", b"\x89PNG\r\n\x1a\nfake", "image/png"
        ),
    ]

    response = personas["reporter"].post(
        form_url(request_type),
        {
            "summary": "Simulation hangs",
            "description": "It hangs at 99 %.",
            "priority": Priority.HIGH,
            "affected_version": project.versions.get().pk,
            "components": [component.pk],
            "sharing": str(alpha.pk),
            "attachments": files,
        },
    )

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == ticket.get_absolute_url()
    assert ticket.key == "NET-1"
    assert ticket.type == TicketType.BUG
    assert ticket.status == Status.OPEN
    assert ticket.priority == Priority.HIGH
    assert ticket.organization == alpha
    assert list(ticket.components.all()) == [component]
    assert sorted(a.original_name for a in ticket.attachments.all()) == [
        "stacktrace.txt",
        "Übersicht Größe.png",
    ]


def test_request_defaults_to_private_and_normal(personas, request_type):
    personas["reporter"].post(
        form_url(request_type),
        {"summary": "Question", "sharing": "private", "priority": Priority.NORMAL},
    )

    ticket = Ticket.objects.get()
    assert ticket.organization is None
    assert ticket.priority == Priority.NORMAL


def test_request_form_keeps_input_on_error(personas, request_type):
    response = personas["reporter"].post(
        form_url(request_type),
        {
            "summary": "",
            "description": "My carefully typed description",
            "priority": 3,
            "sharing": "private",
        },
    )

    content = response.content.decode()
    assert response.status_code == 400
    assert "My carefully typed description" in content
    assert "This field is required." in content
    assert not Ticket.objects.exists()


def test_request_form_rejects_foreign_organization(personas, request_type, beta):
    response = personas["reporter"].post(
        form_url(request_type),
        {"summary": "Share with strangers", "priority": 2, "sharing": str(beta.pk)},
    )

    assert response.status_code == 400
    assert not Ticket.objects.exists()


def test_request_form_rejects_component_of_other_project(personas, request_type):
    other = Project.objects.create(key="DOC", name="Document Archive")
    foreign = other.components.create(name="Server")

    response = personas["reporter"].post(
        form_url(request_type),
        {
            "summary": "Mixed",
            "priority": 2,
            "sharing": "private",
            "components": [foreign.pk],
        },
    )

    assert response.status_code == 400
    assert not Ticket.objects.exists()


def test_request_form_ignores_fields_it_does_not_show(personas, request_type, outsider):
    personas["reporter"].post(
        form_url(request_type),
        {
            "summary": "Sneaky",
            "priority": 2,
            "sharing": "private",
            "status": "resolved",
            "reporter": outsider.pk,
        },
    )

    ticket = Ticket.objects.get()
    assert ticket.status == Status.OPEN
    assert ticket.reporter.email == "customer@alpha.example"


def test_request_form_rejects_oversized_file(personas, request_type, settings):
    settings.ATTACHMENT_MAX_SIZE = 10
    response = personas["reporter"].post(
        form_url(request_type),
        {
            "summary": "Big file",
            "priority": 2,
            "sharing": "private",
            "attachments": [SimpleUploadedFile("huge.log", b"x" * 11, "text/plain")],
        },
    )

    assert response.status_code == 400
    assert (
        "huge.log is larger than the limit of 10\xa0bytes per file."
        in response.content.decode()
    )
    assert not Ticket.objects.exists()


def test_request_form_post_by_anonymous_creates_nothing(personas, request_type):
    response = personas["anonymous"].post(
        form_url(request_type), {"summary": "x", "priority": 2}
    )

    assert response.status_code == 302
    assert not Ticket.objects.exists()


def test_keys_count_per_project(make_ticket, request_type):
    other = Project.objects.create(key="DOC", name="Document Archive")
    other_type = RequestType.objects.create(
        project=other, slug="bug", name="Bug", type=TicketType.BUG
    )

    keys = [
        make_ticket().key,
        make_ticket(request_type=other_type).key,
        make_ticket().key,
    ]

    assert keys == ["NET-1", "DOC-1", "NET-2"]
