"""Create the people and projects the reliability run works with.

Runs in a Django process against the run's own database; prints nothing.
"""

import os
import sys

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
django.setup()

from accounts.models import Membership, Organization, User  # noqa: E402
from accounts.roles import make_agent  # noqa: E402
from helpcenter.models import Project, RequestType, TicketType  # noqa: E402
from tickets.services import ticket_create  # noqa: E402

PASSWORD = os.environ["RELIABILITY_PASSWORD"]
CUSTOMERS = int(os.environ["RELIABILITY_CUSTOMERS"])

organization = Organization.objects.create(name="Load Test Industries")
projects = {}
for key, name in (("NET", "Network Planner Support"), ("CONC", "Concurrency")):
    project = Project.objects.create(key=key, name=name)
    projects[key] = RequestType.objects.create(
        project=project, slug="report-bug", name="Report a bug", type=TicketType.BUG
    )
for number in range(CUSTOMERS):
    user = User.objects.create_user(
        email=f"customer{number}@load.example",
        password=PASSWORD,
        full_name=f"Customer {number}",
    )
    Membership.objects.create(user=user, organization=organization)
    for index in range(3):
        ticket_create(
            reporter=user,
            request_type=projects["NET"],
            summary=f"Seeded request {index} of customer {number} about exports",
            description="Steps to reproduce: open, export, error.",
        )
for number in range(2):
    make_agent(
        User.objects.create_user(
            email=f"agent{number}@support.example",
            password=PASSWORD,
            full_name=f"Agent {number}",
        )
    )
