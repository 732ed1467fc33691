"""Seed a large, reproducible data set for the requests overview benchmark."""

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import Membership, Organization, User
from accounts.roles import make_agent
from helpcenter.models import Component, Project, RequestType, TicketType, Version
from tickets.management.commands._bench_text import BenchText
from tickets.models import (
    CLOSED_STATUSES,
    Attachment,
    Comment,
    Priority,
    Status,
    Ticket,
)
from tickets.search import search_document_join, search_vectors_rebuild

BENCH_PASSWORD = "bench-password"  # noqa: S105 - documented bench-only login
BENCH_DOMAIN = "bench.example"
BATCH_SIZE = 2000
PROJECTS = [
    ("BNET", "Network Planner (bench)"),
    ("BCAD", "CAD Suite (bench)"),
    ("BGIS", "GIS Server (bench)"),
    ("BERP", "ERP Connector (bench)"),
    ("BPLM", "PLM Gateway (bench)"),
    ("BSIM", "Simulation Studio (bench)"),
]
COMPONENTS = ["Import", "Export", "Reports", "Simulation", "Licensing", "Installer"]
VERSIONS = ["2023.2", "2024.1", "2024.2", "2025.1", "2025.2", "2026.1"]
ORGANIZATIONS = [
    "Alpenwerk GmbH",
    "Brightwater Utilities Ltd",
    "Czerny Maschinenbau AG",
    "Delta Grid Services",
    "Elbtal Stadtwerke",
    "Fjordline Shipping",
    "Gruber & Söhne KG",
    "Harbour Rail plc",
    "Isar Energie eG",
    "Juniper Telecom Inc",
]
CUSTOMERS_PER_ORGANIZATION = 20
STATUS_WEIGHTS = {
    Status.OPEN: 8,
    Status.IN_PROGRESS: 8,
    Status.WAITING_FOR_CUSTOMER: 6,
    Status.WAITING_FOR_SUPPORT: 3,
    Status.REVIEW_DEVELOPMENT: 3,
    Status.UNCLEAR_WAITING: 2,
    Status.ESCALATED: 1,
    Status.RESOLVED: 55,
    Status.CANCELED: 14,
}
PRIORITY_WEIGHTS = {
    Priority.LOW: 15,
    Priority.NORMAL: 60,
    Priority.HIGH: 20,
    Priority.CRITICAL: 5,
}


def organization_slug(name: str) -> str:
    return "".join(char for char in name.split()[0].lower() if char.isalnum())


def bench_email(organization: str, index: int) -> str:
    return f"customer{index:02d}@{organization_slug(organization)}.{BENCH_DOMAIN}"


@contextmanager
def explicit_timestamps() -> Iterator[None]:
    """Let bulk_create keep the given created/updated times instead of now."""
    fields = [
        field
        for model in (Ticket, Comment, Attachment)
        for field in model._meta.fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


class Command(BaseCommand):
    help = (
        "Seed a reproducible benchmark data set: organizations, projects and "
        "the given number of requests with about four comments each, in German "
        "and English. Needs DEBUG=true and a database without bench data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--tickets", type=int, default=100_000, help="Number of requests to create."
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=1,
            help="Random seed; the same seed gives the same data.",
        )

    def handle(self, *args, tickets: int, seed: int, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_bench creates logins with a known password; run it with DEBUG=true "
                "and only on a benchmark database."
            )
        if tickets < 1:
            raise CommandError("--tickets must be at least 1.")
        if Project.objects.filter(key=PROJECTS[0][0]).exists():
            raise CommandError(
                "This database already has bench data. Use a fresh database "
                "(createdb, then migrate) to seed again."
            )

        started = time.monotonic()
        rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
        with transaction.atomic():
            world = self._create_world(rng)
        created = self._create_tickets(rng, world, tickets)

        self.stdout.write(f"Computing search vectors of {created} requests ...")
        search_vectors_rebuild()
        if connection.vendor == "postgresql":
            # Computing the vectors rewrote every ticket row once. Compact the
            # table as a database in service would be after autovacuum, and
            # set the visibility map so that counts can read indexes only.
            # VACUUM cannot run in a transaction (as in the tests): ANALYZE can.
            with connection.cursor() as cursor:
                if connection.in_atomic_block:
                    cursor.execute("ANALYZE")
                else:
                    cursor.execute("VACUUM FULL tickets_ticket")
                    cursor.execute("VACUUM ANALYZE")

        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {created} requests, {world['comments']} comments, "
                f"{len(world['customers'])} customers in {len(ORGANIZATIONS)} "
                f"organizations in {elapsed:.0f} s. Logins: "
                f"{bench_email(ORGANIZATIONS[0], 1)} (and customerNN@...), "
                f"agent@{BENCH_DOMAIN}; password {BENCH_PASSWORD!r}."
            )
        )

    def _create_world(self, rng: random.Random) -> dict:
        password = make_password(BENCH_PASSWORD)
        organizations = [
            Organization.objects.create(name=name) for name in ORGANIZATIONS
        ]
        customers: list[User] = []
        members: dict[int, list[User]] = {}
        for organization in organizations:
            members[organization.pk] = []
            for index in range(1, CUSTOMERS_PER_ORGANIZATION + 1):
                user = User.objects.create(
                    email=bench_email(organization.name, index),
                    full_name=f"{rng.choice(BenchText.FIRST_NAMES)} "
                    f"{rng.choice(BenchText.LAST_NAMES)}",
                    password=password,
                    language=rng.choice(["de", "en"]),
                )
                Membership.objects.create(user=user, organization=organization)
                customers.append(user)
                members[organization.pk].append(user)
        agent = make_agent(
            User.objects.create(
                email=f"agent@{BENCH_DOMAIN}",
                full_name="Bench Agent",
                password=password,
                is_staff=True,
            )
        )
        projects = []
        for position, (key, name) in enumerate(PROJECTS):
            project = Project.objects.create(key=key, name=name, is_public=position < 4)
            if not project.is_public:
                project.organizations.set(organizations[position::3])
            components = [
                Component.objects.create(project=project, name=component)
                for component in COMPONENTS
            ]
            versions = [
                Version.objects.create(project=project, name=version)
                for version in VERSIONS
            ]
            request_types = [
                RequestType.objects.create(
                    project=project,
                    slug=ticket_type.value.replace("_", "-"),
                    name=str(ticket_type.label),
                    type=ticket_type,
                    position=index,
                )
                for index, ticket_type in enumerate(TicketType)
            ]
            projects.append(
                {
                    "project": project,
                    "components": components,
                    "versions": versions,
                    "request_types": request_types,
                    "organizations": set(o.pk for o in project.organizations.all()),
                }
            )
        return {
            "organizations": organizations,
            "customers": customers,
            "members": members,
            "agent": agent,
            "projects": projects,
            "comments": 0,
        }

    def _create_tickets(self, rng: random.Random, world: dict, count: int) -> int:
        text = BenchText(rng)
        now = timezone.now()
        start = now - timedelta(days=3 * 365)
        numbers = {entry["project"].pk: 0 for entry in world["projects"]}
        statuses = list(STATUS_WEIGHTS)
        status_weights = list(STATUS_WEIGHTS.values())
        priorities = list(PRIORITY_WEIGHTS)
        priority_weights = list(PRIORITY_WEIGHTS.values())
        next_ticket_id = (Ticket.objects.aggregate(Max("pk"))["pk__max"] or 0) + 1
        created = 0

        with explicit_timestamps():
            while created < count:
                size = min(BATCH_SIZE, count - created)
                batch = self._ticket_batch(
                    rng,
                    text,
                    world,
                    size=size,
                    first_id=next_ticket_id,
                    numbers=numbers,
                    start=start,
                    now=now,
                    statuses=(statuses, status_weights),
                    priorities=(priorities, priority_weights),
                )
                with transaction.atomic():
                    Ticket.objects.bulk_create(batch["tickets"], batch_size=BATCH_SIZE)
                    Ticket.components.through.objects.bulk_create(
                        batch["components"], batch_size=BATCH_SIZE * 2
                    )
                    Ticket.participants.through.objects.bulk_create(
                        batch["participants"], batch_size=BATCH_SIZE
                    )
                    Comment.objects.bulk_create(
                        batch["comments"], batch_size=BATCH_SIZE
                    )
                    Attachment.objects.bulk_create(
                        batch["attachments"], batch_size=BATCH_SIZE
                    )
                world["comments"] += len(batch["comments"])
                next_ticket_id += size
                created += size
                if created % 20_000 == 0 or created == count:
                    self.stdout.write(f"  {created} requests")

        for project_id, last in numbers.items():
            Project.objects.filter(pk=project_id).update(last_ticket_number=last)
        if connection.vendor == "postgresql":
            self._reset_sequences()
        return created

    def _ticket_batch(
        self,
        rng: random.Random,
        text: "BenchText",
        world: dict,
        *,
        size: int,
        first_id: int,
        numbers: dict[int, int],
        start: datetime,
        now: datetime,
        statuses: tuple[list, list],
        priorities: tuple[list, list],
    ) -> dict[str, list]:
        tickets, components, participants, comments, attachments = [], [], [], [], []
        agent = world["agent"]
        span = (now - start).total_seconds()
        for offset in range(size):
            ticket_id = first_id + offset
            organization = rng.choice(world["organizations"])
            people = world["members"][organization.pk]
            reporter = rng.choice(people)
            eligible = [
                entry
                for entry in world["projects"]
                if entry["project"].is_public
                or organization.pk in entry["organizations"]
            ]
            entry = rng.choice(eligible)
            project = entry["project"]
            numbers[project.pk] += 1
            request_type = rng.choice(entry["request_types"])
            language = reporter.language
            created_at = start + timedelta(seconds=rng.random() * span * 0.98)
            status = rng.choices(*statuses)[0]
            summary, description = text.request(language, request_type.type)

            bodies: list[str] = []
            file_names: list[str] = []
            moment = created_at
            for position in range(rng.choice([2, 3, 4, 4, 5, 6])):
                moment += timedelta(minutes=rng.randint(20, 4 * 24 * 60))
                if moment > now:
                    break
                from_agent = position % 2 == 0
                is_internal = from_agent and rng.random() < 0.12
                body = text.comment(language, from_agent=from_agent)
                comment = Comment(
                    ticket_id=ticket_id,
                    author=agent if from_agent else reporter,
                    body=body,
                    is_internal=is_internal,
                    created_at=moment,
                )
                comments.append(comment)
                if not is_internal:
                    bodies.append(body)
            if rng.random() < 0.3:
                name = text.file_name()
                file_names.append(name)
                attachments.append(
                    Attachment(
                        ticket_id=ticket_id,
                        file=f"bench/{ticket_id}/{name}",
                        original_name=name,
                        size=rng.randint(2_000, 4_000_000),
                        content_type="text/plain",
                        uploaded_by=reporter,
                        created_at=created_at,
                    )
                )
            updated_at = max(moment, created_at)
            tickets.append(
                Ticket(
                    id=ticket_id,
                    project=project,
                    number=numbers[project.pk],
                    summary=summary,
                    description=description,
                    type=request_type.type,
                    request_type=request_type,
                    priority=rng.choices(*priorities)[0],
                    status=status,
                    affected_version=rng.choice(entry["versions"] + [None]),
                    reporter=reporter,
                    organization=organization if rng.random() < 0.75 else None,
                    assignee=agent if status not in CLOSED_STATUSES else None,
                    created_at=created_at,
                    updated_at=updated_at,
                    status_changed_at=updated_at,
                    search_text=search_document_join(
                        [summary, description, *bodies], file_names=file_names
                    ),
                )
            )
            for component in rng.sample(entry["components"], rng.choice([1, 1, 2])):
                components.append(
                    Ticket.components.through(ticket_id=ticket_id, component=component)
                )
            if rng.random() < 0.1:
                colleague = rng.choice(people)
                if colleague != reporter:
                    participants.append(
                        Ticket.participants.through(ticket_id=ticket_id, user=colleague)
                    )
        return {
            "tickets": tickets,
            "components": components,
            "participants": participants,
            "comments": comments,
            "attachments": attachments,
        }

    def _reset_sequences(self) -> None:
        with connection.cursor() as cursor:
            for model in (Ticket,):
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT MAX(id) FROM {table}))"
                )
