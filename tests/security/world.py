"""The data every security test runs against: two client organizations, a
third person who only takes part in one request, an agent, and requests with
files and comments whose text must never leak to the wrong person.

Visibility here is written down by hand, not computed with the access rule
under test, so a broken rule makes the tests fail.
"""

import io
from dataclasses import dataclass, field

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from accounts.models import Membership, Organization, User
from accounts.roles import make_agent
from helpcenter.models import Component, Project, RequestType, TicketType, Version
from tickets.models import Attachment, Comment, Ticket
from tickets.services import comment_create, ticket_create

PASSWORD = "correct horse battery staple"


@dataclass
class TicketFacts:
    """A request of the world and the strings that identify it."""

    ticket: Ticket
    attachment: Attachment
    fragments: tuple[str, ...]


@dataclass
class Persona:
    """A person (or the anonymous visitor) and the request they act on.

    ``target`` fills the ticket parts of a URL; ``sees_target`` is whether
    the product lets this person see it.
    """

    name: str
    user: User | None
    target: TicketFacts
    sees_target: bool
    forbidden_fragments: tuple[str, ...] = field(default=())

    def client(self, **kwargs) -> Client:
        client = Client(**kwargs)
        if self.user is not None:
            client.force_login(self.user)
        return client

    @property
    def is_agent(self) -> bool:
        return self.user is not None and self.user.is_staff


@dataclass
class World:
    alpha: Organization
    beta: Organization
    reporter: User
    colleague: User
    participant: User
    outsider: User
    agent: User
    project: Project
    request_type: RequestType
    private: TicketFacts
    shared: TicketFacts
    foreign: TicketFacts
    internal_attachment: Attachment
    personas: dict[str, Persona]
    # The reporter's saved filter, 0 where the model does not exist.
    saved_filter_id: int = 0


def _user(email: str, name: str, organization: Organization | None) -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, full_name=name)
    if organization is not None:
        Membership.objects.create(user=user, organization=organization)
    return user


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "#0d6efd").save(buffer, format="PNG")
    return buffer.getvalue()


def _upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"log line 1\nlog line 2\n", "text/plain")


def _ticket(
    *, reporter: User, request_type: RequestType, tag: str, organization=None
) -> TicketFacts:
    summary = f"{tag} summary of the request"
    description = f"{tag} description with the steps to reproduce"
    file_name = f"{tag.lower()}-trace.txt"
    ticket = ticket_create(
        reporter=reporter,
        request_type=request_type,
        summary=summary,
        description=description,
        organization=organization,
        files=[_upload(file_name)],
    )
    comment_body = f"{tag} comment from the customer"
    comment_create(ticket=ticket, author=reporter, body=comment_body)
    return TicketFacts(
        ticket=ticket,
        attachment=ticket.attachments.get(),
        fragments=(summary, description, file_name, comment_body),
    )


def build_world() -> World:
    alpha = Organization.objects.create(name="Alpha Industries")
    beta = Organization.objects.create(name="Beta Logistics")
    gamma = Organization.objects.create(name="Gamma Consulting")
    reporter = _user("customer@alpha.example", "Clara Customer", alpha)
    colleague = _user("colleague@alpha.example", "Carl Colleague", alpha)
    participant = _user("participant@gamma.example", "Paul Participant", gamma)
    outsider = _user("outsider@beta.example", "Olga Outsider", beta)
    agent = make_agent(_user("agent@support.example", "Anna Agent", None))
    if hasattr(reporter, "avatar"):
        reporter.avatar.save("avatar.png", ContentFile(_png()), save=True)

    project = Project.objects.create(key="NET", name="Network Planner Support")
    Version.objects.create(project=project, name="2026.1")
    Component.objects.create(project=project, name="Simulation")
    request_type = RequestType.objects.create(
        project=project, slug="report-bug", name="Report a bug", type=TicketType.BUG
    )

    private = _ticket(reporter=reporter, request_type=request_type, tag="PRIVATEALPHA")
    private.ticket.participants.add(participant)
    shared = _ticket(
        reporter=reporter,
        request_type=request_type,
        tag="SHAREDALPHA",
        organization=alpha,
    )
    foreign = _ticket(
        reporter=outsider,
        request_type=request_type,
        tag="FOREIGNBETA",
        organization=beta,
    )

    note = comment_create(
        ticket=private.ticket,
        author=agent,
        body="INTERNALNOTE the customer runs an old patch",
        is_internal=True,
        files=[_upload("internalnote-diagnosis.txt")],
    )
    internal_attachment = note.attachments.get()
    internal_fragments = ("INTERNALNOTE", "internalnote-diagnosis.txt")

    # Signing in writes rows in other apps (sessions, sign-in logs), so every
    # person signs in once here and later sign-ins add no new kind of row.
    for user in (reporter, colleague, participant, outsider, agent):
        Client().force_login(user)
    if apps.is_installed("django_otp.plugins.otp_totp"):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice.objects.create(user=outsider, name="app", confirmed=False)

    saved_filter_id = 0
    if apps.is_installed("tickets"):
        try:
            saved_filter_model = apps.get_model("tickets", "SavedFilter")
        except LookupError:
            saved_filter_model = None
        if saved_filter_model is not None:
            saved_filter_id = saved_filter_model.objects.create(
                user=reporter, name="SAVEDALPHA shared only", query_string="q=x"
            ).pk

    alpha_people = ("Clara Customer", "Carl Colleague", "Alpha Industries")
    beta_people = ("Olga Outsider", "Beta Logistics", "outsider@beta.example")
    hidden_from_alpha = (*foreign.fragments, *beta_people, *internal_fragments)

    personas = {
        "reporter": Persona("reporter", reporter, private, True, hidden_from_alpha),
        "colleague_shared": Persona(
            "colleague_shared",
            colleague,
            shared,
            True,
            (*hidden_from_alpha, *private.fragments),
        ),
        "colleague_unshared": Persona(
            "colleague_unshared",
            colleague,
            private,
            False,
            (*hidden_from_alpha, *private.fragments),
        ),
        "participant": Persona(
            "participant",
            participant,
            private,
            True,
            # Carl is the reporter's colleague and not on this request.
            (*hidden_from_alpha, *shared.fragments, "Carl Colleague"),
        ),
        "outsider": Persona(
            "outsider",
            outsider,
            private,
            False,
            (
                *private.fragments,
                *shared.fragments,
                *alpha_people,
                *internal_fragments,
            ),
        ),
        "anonymous": Persona(
            "anonymous",
            None,
            private,
            False,
            (
                *private.fragments,
                *shared.fragments,
                *foreign.fragments,
                *alpha_people,
                *beta_people,
                *internal_fragments,
            ),
        ),
        "agent": Persona("agent", agent, private, True, ()),
    }
    return World(
        alpha=alpha,
        beta=beta,
        reporter=reporter,
        colleague=colleague,
        participant=participant,
        outsider=outsider,
        agent=agent,
        project=project,
        request_type=request_type,
        private=private,
        shared=shared,
        foreign=foreign,
        internal_attachment=internal_attachment,
        personas=personas,
        saved_filter_id=saved_filter_id,
    )


def comment_of(facts: TicketFacts) -> Comment:
    return facts.ticket.comments.filter(is_internal=False).first()
