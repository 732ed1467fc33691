import random
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Organization, User
from accounts.roles import make_agent
from helpcenter.models import Component, Project, RequestType, TicketType, Version
from tickets.models import Comment, Priority, Status, Ticket
from tickets.search import ticket_search_document_update
from tickets.services import _allocate_ticket_number

DEMO_PASSWORD = "demo-password"  # noqa: S105 - documented demo login

PROJECTS = [
    {
        "key": "NET",
        "name": "Network Planner Support",
        "description": "Planning, simulation and documentation of company networks.",
        "versions": ["2024.2", "2025.1", "2025.2", "2026.1"],
        "components": [
            "Topology editor",
            "Simulation",
            "Reports",
            "Import/Export",
            "Licensing",
        ],
    },
    {
        "key": "DOC",
        "name": "Document Archive Support",
        "description": "The archive server, its web client and the scanner connectors.",
        "versions": ["7.4", "8.0", "8.1"],
        "components": ["Server", "Web client", "Scanner connector", "Full-text index"],
    },
    {
        "key": "ALPHA",
        "name": "Alpha Industries custom solution",
        "description": "The customer-specific extensions maintained for Alpha Industries.",
        "versions": ["1.0", "1.1"],
        "components": ["ERP interface", "Custom reports"],
        "organizations": ["Alpha Industries"],
    },
]

REQUEST_TYPES = [
    (
        "report-bug",
        "Report a bug",
        TicketType.BUG,
        "Something in the product does not work as documented.",
    ),
    (
        "ask-question",
        "Ask a question",
        TicketType.QUESTION,
        "Configuration, usage, or how the product works together with other software.",
    ),
    (
        "request-task",
        "Request a service task",
        TicketType.TASK,
        "Deliver an update, renew licences, create portal accounts, or an enhancement wish.",
    ),
    (
        "extended-support",
        "Extended support",
        TicketType.SERVICE_REQUEST,
        "Support under a separate contract, or a paid service.",
    ),
]

USERS = [
    ("customer@alpha.example", "Clara Customer", "Alpha Industries", False, False),
    ("colleague@alpha.example", "Carl Colleague", "Alpha Industries", False, False),
    ("outsider@beta.example", "Olga Outsider", "Beta Logistics", False, False),
    ("agent@support.example", "Anna Agent", None, True, False),
    ("admin@support.example", "Adam Admin", None, True, True),
]

SUMMARIES = [
    "Export to PDF fails with error 500",
    "Simulation hangs at 99 %",
    "Licence renewal for 2027",
    "How do I import a CSV topology?",
    "Scanner connector loses the connection after an update",
    "Reports show wrong totals for Österreich",
    "Web client is slow when opening large folders",
    "Please create portal accounts for our new team",
    "Full-text index misses umlauts (Größe, Maßnahme)",
    "Enhancement: dark mode for the topology editor",
    "ERP interface rejects orders with long article numbers",
    "Update to 2026.1 fails on Windows Server 2022",
]

COMMENTS_CUSTOMER = [
    "I attached the log file from this morning.",
    "The problem also happens on a second machine.",
    "Thanks, the workaround helps for now.",
    "Can you give us an estimate for the fix?",
]
COMMENTS_AGENT = [
    "Thank you for the details. We are analysing the log file.",
    "Could you tell us the exact version and send the server log?",
    "We reproduced the problem and filed it with development.",
    "A fix is planned for the next maintenance release.",
]


class Command(BaseCommand):
    help = "Create demo organizations, projects, users and about 50 requests. Safe to run again."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "The demo data has well-known passwords; it is only created with DEBUG=true."
            )
        with transaction.atomic():
            users = self._create_users()
            projects = self._create_projects()
            created = self._create_tickets(users, projects)
        self.stdout.write(
            f"Demo ready: {len(users)} logins, {len(projects)} projects, "
            f"{created} requests created (password: {DEMO_PASSWORD})."
        )

    def _create_users(self) -> dict[str, User]:
        users = {}
        for email, name, organization_name, is_staff, is_superuser in USERS:
            user, created = User.objects.get_or_create(
                email=email,
                defaults={
                    "full_name": name,
                    "is_staff": is_staff,
                    "is_superuser": is_superuser,
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            if is_staff and not is_superuser:
                make_agent(user)
            if organization_name:
                organization, _ = Organization.objects.get_or_create(
                    name=organization_name
                )
                Membership.objects.get_or_create(user=user, organization=organization)
            users[email] = user
        return users

    def _create_projects(self) -> list[Project]:
        projects = []
        for spec in PROJECTS:
            project, _ = Project.objects.get_or_create(
                key=spec["key"],
                defaults={
                    "name": spec["name"],
                    "description": spec["description"],
                    "is_public": "organizations" not in spec,
                },
            )
            for name in spec.get("organizations", []):
                project.organizations.add(Organization.objects.get(name=name))
            for name in spec["versions"]:
                Version.objects.get_or_create(project=project, name=name)
            for name in spec["components"]:
                Component.objects.get_or_create(project=project, name=name)
            for position, (slug, name, ticket_type, description) in enumerate(
                REQUEST_TYPES
            ):
                RequestType.objects.get_or_create(
                    project=project,
                    slug=slug,
                    defaults={
                        "name": name,
                        "type": ticket_type,
                        "description": description,
                        "position": position,
                    },
                )
            projects.append(project)
        return projects

    def _create_tickets(self, users: dict[str, User], projects: list[Project]) -> int:
        if Ticket.objects.exists():
            return 0
        rng = random.Random(20261204)  # noqa: S311 - reproducible demo data
        customers = [
            users["customer@alpha.example"],
            users["colleague@alpha.example"],
            users["outsider@beta.example"],
        ]
        agent = users["agent@support.example"]
        now = timezone.now()
        statuses = list(Status)
        for index in range(50):
            project = projects[index % len(projects)]
            reporter = customers[(index // 3) % 3]
            if project.key == "ALPHA" and reporter.email.endswith("beta.example"):
                reporter = customers[0]
            request_type = project.request_types.all()[index % 4]
            organization = reporter.organizations.first() if index % 2 == 0 else None
            ticket = Ticket.objects.create(
                project=project,
                number=_allocate_ticket_number(project=project),
                summary=SUMMARIES[index % len(SUMMARIES)],
                description=(
                    "Steps to reproduce:\n1. Open the project.\n2. Start the action.\n\n"
                    "Expected: it finishes.\nActual: an error message appears."
                ),
                type=request_type.type,
                request_type=request_type,
                priority=rng.choice(Priority.values),
                status=statuses[index % len(statuses)],
                affected_version=project.versions.order_by("?").first(),
                reporter=reporter,
                organization=organization,
                assignee=agent if index % 3 else None,
            )
            ticket.components.set(project.components.all()[: 1 + index % 2])
            created_at = now - timedelta(days=60 - index, hours=rng.randint(0, 12))
            for position in range(index % 5):
                author = agent if position % 2 == 0 else reporter
                texts = COMMENTS_AGENT if author.is_staff else COMMENTS_CUSTOMER
                comment = Comment.objects.create(
                    ticket=ticket,
                    author=author,
                    body=rng.choice(texts),
                    is_internal=author.is_staff and position == 2,
                )
                Comment.objects.filter(pk=comment.pk).update(
                    created_at=created_at + timedelta(hours=4 * (position + 1))
                )
            ticket_search_document_update(ticket=ticket)
            Ticket.objects.filter(pk=ticket.pk).update(
                created_at=created_at,
                status_changed_at=created_at,
                updated_at=created_at + timedelta(hours=4 * (index % 5)),
            )
        return 50
