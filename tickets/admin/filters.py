"""List filters of the agents' ticket queue.

Each filter's condition is a function of the URL parameter's value and the
signed-in agent, kept in CONDITIONS, so the saved queues count exactly the
tickets the filters show.
"""

from collections.abc import Callable
from datetime import timedelta

from django.contrib import admin
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import User
from tickets.models import CLOSED_STATUSES, OPEN_STATUSES, Status, StatusChange, Ticket

STATE_PARAM = "state"
ASSIGNEE_PARAM = "assignee"
ESCALATED_PARAM = "escalated"
WAITING_PARAM = "waiting_days"
STATUS_PARAM = "status__exact"

WAITING_DAY_CHOICES = (1, 3, 7, 14, 30)


def state_condition(value: str, user: User) -> Q | None:
    if value == "open":
        return Q(status__in=OPEN_STATUSES)
    if value == "closed":
        return Q(status__in=CLOSED_STATUSES)
    return None


def assignee_condition(value: str, user: User) -> Q | None:
    if value == "mine":
        return Q(assignee_id=user.pk)
    if value == "none":
        return Q(assignee__isnull=True)
    if value.isdigit():
        return Q(assignee_id=int(value))
    return None


def escalated_condition(value: str, user: User) -> Q | None:
    ever = Exists(
        StatusChange.objects.filter(
            ticket_id=OuterRef("pk"), to_status=Status.ESCALATED
        )
    )
    if value == "now":
        return Q(status=Status.ESCALATED)
    if value == "ever":
        return Q(status=Status.ESCALATED) | Q(ever)
    if value == "never":
        return ~Q(status=Status.ESCALATED) & ~Q(ever)
    return None


def waiting_condition(value: str, user: User) -> Q | None:
    if not value.isdigit():
        return None
    since = timezone.now() - timedelta(days=int(value))
    return Q(status=Status.WAITING_FOR_CUSTOMER, status_changed_at__lte=since)


def status_condition(value: str, user: User) -> Q | None:
    if value in Status.values:
        return Q(status=value)
    return None


# URL parameter -> condition; a condition of None means "ignore the value".
CONDITIONS: dict[str, Callable[[str, User], Q | None]] = {
    STATE_PARAM: state_condition,
    ASSIGNEE_PARAM: assignee_condition,
    ESCALATED_PARAM: escalated_condition,
    WAITING_PARAM: waiting_condition,
    STATUS_PARAM: status_condition,
}


class ConditionFilter(admin.SimpleListFilter):
    """A list filter whose condition comes from CONDITIONS."""

    def queryset(self, request: HttpRequest, queryset: QuerySet[Ticket]):
        value = self.value()
        if value is None:
            return queryset
        condition = CONDITIONS[self.parameter_name](value, request.user)
        if condition is None:
            return queryset
        return queryset.filter(condition)


class StateFilter(ConditionFilter):
    title = _("open or closed")
    parameter_name = STATE_PARAM

    def lookups(self, request, model_admin):
        return [("open", _("Open (not resolved or canceled)")), ("closed", _("Closed"))]


class AssigneeFilter(ConditionFilter):
    title = _("assignee")
    parameter_name = ASSIGNEE_PARAM

    def lookups(self, request, model_admin):
        agents = User.objects.filter(is_staff=True, is_active=True).only(
            "pk", "email", "full_name"
        )
        return [
            ("mine", _("Assigned to me")),
            ("none", _("Unassigned")),
            *((str(agent.pk), agent.display_name) for agent in agents),
        ]


class EscalatedFilter(ConditionFilter):
    title = _("escalation")
    parameter_name = ESCALATED_PARAM

    def lookups(self, request, model_admin):
        return [
            ("now", _("Escalated now")),
            ("ever", _("Escalated at some time")),
            ("never", _("Never escalated")),
        ]


class WaitingForCustomerFilter(ConditionFilter):
    title = _("waiting for customer")
    parameter_name = WAITING_PARAM

    def lookups(self, request, model_admin):
        return [
            (
                str(days),
                ngettext(
                    "For more than %(days)d day",
                    "For more than %(days)d days",
                    days,
                )
                % {"days": days},
            )
            for days in WAITING_DAY_CHOICES
        ]
