"""The filters of the requests overview: scope, search and the filter form.

Every choice a filter offers is limited to what the user may see, so a
crafted id of another organization's project, component, version, reporter
or organization makes the form invalid instead of reaching the query.
"""

import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.forms.models import ModelChoiceIterator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, User
from helpcenter.models import Component, Project, TicketType, Version
from portal.widgets import FastSelect, FastSelectMultiple
from tickets.models import CLOSED_STATUSES, OPEN_STATUSES, Priority, Status, Ticket
from tickets.search import ticket_search


class Scope:
    MINE = "mine"
    PARTICIPATING = "participating"
    ORGANIZATION = "organization"
    ALL = "all"
    DEFAULT = MINE
    CHOICES = [
        (MINE, _("My requests")),
        (PARTICIPATING, _("Requests I take part in")),
        (ORGANIZATION, _("All requests of an organization")),
        (ALL, _("All I can see")),
    ]


class StatusGroup:
    OPEN = "open"
    CLOSED = "closed"
    CHOICES = [(OPEN, _("Any open status")), (CLOSED, _("Any closed status"))]
    STATUSES = {OPEN: OPEN_STATUSES, CLOSED: CLOSED_STATUSES}


def projects_for(user: User) -> QuerySet[Project]:
    """Return the projects a user may filter by: those they can see."""
    if user.is_staff:
        return Project.objects.all()
    return Project.objects.visible_to(user)


def organizations_for(user: User) -> QuerySet[Organization]:
    if user.is_staff:
        return Organization.objects.all()
    return Organization.objects.filter(membership__user=user)


def reporters_for(user: User) -> QuerySet[User]:
    """Return the user and the members of their organizations; everyone for agents."""
    if user.is_staff:
        return User.objects.filter(is_active=True)
    colleagues = User.objects.filter(
        membership__organization__membership__user=user
    ).values("pk")
    return User.objects.filter(Q(pk=user.pk) | Q(pk__in=colleagues))


class ValuesModelChoiceIterator(ModelChoiceIterator):
    """Iterate choices as (pk, label) rows from one values_list() query.

    Django's iterator builds a model instance per option and, on
    PostgreSQL, opens a server-side cursor per field: the filter panel's
    hundred options took longer than the list itself.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = self.queryset.values_list("pk", *self.field.label_fields)
        yield from self.field.choices_from_rows(rows)


class ValuesChoiceMixin:
    """Choices labelled from database columns, e.g. ("project__key", "name")."""

    iterator = ValuesModelChoiceIterator

    def __init__(self, *args, label_fields: tuple[str, ...] = ("name",), **kwargs):
        self.label_fields = label_fields
        super().__init__(*args, **kwargs)

    def label_from_values(self, parts: list) -> str:
        return " · ".join(str(part) for part in parts if part)

    def choices_from_rows(self, rows: Iterable[tuple]) -> Iterator[tuple]:
        """Yield (pk, label) for rows of the primary key and the label fields."""
        for pk, *parts in rows:
            yield (pk, self.label_from_values(parts))


# Primary keys are 64-bit integers. A longer number in the query string is
# nobody's key, and SQLite raises OverflowError on it instead of finding
# nothing. Python's int() reads any script's decimal digits ("٩", "９") and
# underscores between digits, so those count as numbers here too.
MAX_KEY = 2**63 - 1


def out_of_range(value) -> bool:
    """Return whether int() would read the value as a number beyond 64 bits."""
    digits = str(value).strip().lstrip("+-").replace("_", "")
    if not digits or not digits.isdecimal():
        return False
    significant = "".join(str(unicodedata.decimal(char)) for char in digits)
    significant = significant.lstrip("0")
    return len(significant) > len(str(MAX_KEY)) or (
        bool(significant) and int(significant) > MAX_KEY
    )


class ValuesModelMultipleChoiceField(ValuesChoiceMixin, forms.ModelMultipleChoiceField):
    widget = FastSelectMultiple

    def _check_values(self, value):
        for pk in value:
            if out_of_range(pk):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class UserChoiceField(ValuesModelMultipleChoiceField):
    """Users labelled by name, with the e-mail address where names repeat.

    Two colleagues called "Noah Smith" would otherwise be two options that
    no one can tell apart. A user without a name is labelled by e-mail.
    The field expects label_fields=("full_name", "email").
    """

    def choices_from_rows(self, rows: Iterable[tuple]) -> Iterator[tuple]:
        rows = list(rows)
        names = Counter(name for _pk, name, _email in rows if name)
        for pk, name, email in rows:
            if not name:
                yield (pk, email)
            elif names[name] > 1:
                yield (pk, f"{name} ({email})")
            else:
                yield (pk, name)


class ValuesModelChoiceField(ValuesChoiceMixin, forms.ModelChoiceField):
    widget = FastSelect

    def to_python(self, value):
        if value not in self.empty_values and out_of_range(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)


class FastMultipleChoiceFilter(django_filters.MultipleChoiceFilter):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", FastSelectMultiple)
        super().__init__(*args, **kwargs)


class FastModelMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = ValuesModelMultipleChoiceField


class OrganizationFilter(django_filters.ModelChoiceFilter):
    field_class = ValuesModelChoiceField


class SearchField(forms.CharField):
    """Free text whose NUL bytes become spaces instead of failing validation."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\x00", " ")
        return super().to_python(value)


class SearchFilter(django_filters.CharFilter):
    field_class = SearchField


class ReporterFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = UserChoiceField


class RequestFilterForm(forms.Form):
    def clean(self) -> dict:
        cleaned_data = super().clean()
        if (
            cleaned_data.get("scope") == Scope.ORGANIZATION
            and not cleaned_data.get("organization")
            and "organization" not in self.errors
        ):
            self.add_error("organization", _("Choose one of your organizations."))
        return cleaned_data


class RequestFilter(django_filters.FilterSet):
    """Filters of the requests overview; build it with the request's user."""

    scope = django_filters.ChoiceFilter(
        label=_("Show"),
        choices=Scope.CHOICES,
        empty_label=None,
        method="filter_nothing",
    )
    organization = OrganizationFilter(
        label=_("Organization"),
        queryset=Organization.objects.none(),
        method="filter_nothing",
    )
    q = SearchFilter(label=_("Search"), method="filter_nothing")
    status = FastMultipleChoiceFilter(label=_("Status"), choices=Status.choices)
    status_group = django_filters.ChoiceFilter(
        label=_("Open or closed"),
        choices=StatusGroup.CHOICES,
        empty_label=_("Open and closed"),
        method="filter_status_group",
        widget=FastSelect,
    )
    project = FastModelMultipleChoiceFilter(
        label=_("Project"), queryset=Project.objects.none()
    )
    component = FastModelMultipleChoiceFilter(
        label=_("Component"),
        field_name="components",
        queryset=Component.objects.none(),
        label_fields=("project__key", "name"),
        method="filter_components",
    )
    type = FastMultipleChoiceFilter(label=_("Type"), choices=TicketType.choices)
    priority = FastMultipleChoiceFilter(label=_("Priority"), choices=Priority.choices)
    affected_version = FastModelMultipleChoiceFilter(
        label=_("Affected version"),
        queryset=Version.objects.none(),
        label_fields=("project__key", "name"),
    )
    reporter = ReporterFilter(
        label=_("Reporter"),
        queryset=User.objects.none(),
        label_fields=("full_name", "email"),
    )
    created = django_filters.DateFromToRangeFilter(
        label=_("Created"), field_name="created_at"
    )
    updated = django_filters.DateFromToRangeFilter(
        label=_("Updated"), field_name="updated_at"
    )

    class Meta:
        model = Ticket
        fields: list[str] = []
        form = RequestFilterForm

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        projects = projects_for(user)
        fields = self.form.fields
        fields["organization"].queryset = organizations_for(user)
        # The organization is a hidden field set by the links under "Show", so
        # Django's "Select a valid choice" would point at nothing visible. A
        # missing organization and another organization read alike.
        fields["organization"].error_messages["invalid_choice"] = _(
            "This list is of an organization you are not a member of. "
            "Choose one of your organizations under “Show”."
        )
        fields["project"].queryset = projects
        fields["component"].queryset = Component.objects.filter(project__in=projects)
        fields["affected_version"].queryset = Version.objects.filter(
            project__in=projects
        )
        fields["reporter"].queryset = reporters_for(user).order_by("full_name", "pk")
        fields["scope"].required = False
        for name, form_field in fields.items():
            widget = form_field.widget
            if name in ("created", "updated"):
                for subwidget in widget.widgets:
                    subwidget.input_type = "date"
                    subwidget.attrs["class"] = "form-control form-control-sm"
            elif isinstance(widget, forms.SelectMultiple):
                widget.attrs["class"] = "form-select form-select-sm"
                widget.attrs["size"] = "4"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select form-select-sm"

    def filter_nothing(self, queryset: QuerySet[Ticket], name: str, value):
        # Scope and search are applied in filter_queryset, before the rest.
        return queryset

    def filter_status_group(self, queryset: QuerySet[Ticket], name: str, value: str):
        return queryset.filter(status__in=StatusGroup.STATUSES[value])

    def filter_components(self, queryset: QuerySet[Ticket], name: str, value):
        # `value` is a queryset of the chosen components, used as a subquery.
        # With none chosen it is an empty queryset, detected without a query.
        if value is None or value.query.is_empty():
            return queryset
        with_component = Ticket.components.through.objects.filter(
            component__in=value
        ).values("ticket_id")
        return queryset.filter(pk__in=with_component)

    @cached_property
    def organizations(self) -> list[tuple[int, str]]:
        """Return (id, name) of the user's organizations by name, read once."""
        return list(
            organizations_for(self.user).order_by("name").values_list("pk", "name")
        )

    @property
    def chosen_scope(self) -> str:
        return self.form.cleaned_data.get("scope") or Scope.DEFAULT

    @property
    def search_text(self) -> str:
        return self.form.cleaned_data.get("q") or ""

    def _customer_index_condition(self) -> Q:
        """Return the customer's share of tickets as conditions on indexed columns.

        The access rule's OR over subqueries cannot use indexes, so
        PostgreSQL reads every ticket to count a customer's list. The same
        condition with the ids fetched first (two small queries) lets it
        combine the reporter, organization and primary key indexes. The
        access rule still applies on top: this only narrows, never widens.
        """
        organization_ids = [pk for pk, _name in self.organizations]
        participating_ids = list(
            Ticket.participants.through.objects.filter(user=self.user).values_list(
                "ticket_id", flat=True
            )
        )
        return (
            Q(reporter=self.user)
            | Q(organization_id__in=organization_ids)
            | Q(pk__in=participating_ids)
        )

    def filter_queryset(self, queryset: QuerySet[Ticket]) -> QuerySet[Ticket]:
        data = self.form.cleaned_data
        scope = self.chosen_scope
        if scope == Scope.MINE:
            queryset = queryset.filter(reporter=self.user)
        elif scope == Scope.PARTICIPATING:
            participating = Ticket.participants.through.objects.filter(
                user_id=self.user.pk
            ).values("ticket_id")
            queryset = queryset.filter(pk__in=participating)
        elif scope == Scope.ORGANIZATION:
            queryset = queryset.filter(organization=data["organization"])
        elif not self.user.is_staff:
            queryset = queryset.filter(self._customer_index_condition())
        if self.search_text:
            queryset = ticket_search(queryset, self.search_text)
        return super().filter_queryset(queryset)
