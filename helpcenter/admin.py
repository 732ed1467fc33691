from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from helpcenter.models import Component, Project, RequestType, Version
from tickets.admin.queues import ticket_list_link
from tickets.selectors import open_ticket_count


class VersionInline(admin.TabularInline):
    model = Version
    extra = 1


class ComponentInline(admin.TabularInline):
    model = Component
    extra = 1


class RequestTypeInline(admin.StackedInline):
    model = RequestType
    extra = 0
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    """A support project with its versions, components and request types.

    Visibility: a public project is offered to every customer; otherwise
    only members of the chosen organizations see it.
    """

    list_display = ["key", "name", "visibility", "is_active", "open_tickets"]
    list_filter = ["is_public", "is_active"]
    search_fields = ["key", "name"]
    fieldsets = [
        (None, {"fields": ["key", "name", "description", "is_active"]}),
        (_("Visibility"), {"fields": ["is_public", "organizations"]}),
    ]
    filter_horizontal = ["organizations"]
    inlines = [VersionInline, ComponentInline, RequestTypeInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Project]:
        return (
            super()
            .get_queryset(request)
            .annotate(open_ticket_total=open_ticket_count(outer_field="project"))
            .prefetch_related("organizations")
        )

    @admin.display(description=_("visible to"), ordering="is_public")
    def visibility(self, project: Project) -> str:
        if project.is_public:
            return _("All customers")
        names = [organization.name for organization in project.organizations.all()]
        return ", ".join(names) or _("Nobody (no organization chosen)")

    @admin.display(description=_("open tickets"), ordering="open_ticket_total")
    def open_tickets(self, project: Project) -> str:
        return ticket_list_link(
            project.open_ticket_total, project__id__exact=project.pk, state="open"
        )


@admin.register(Version)
class VersionAdmin(admin.ModelAdmin):
    list_display = ["name", "project", "is_released", "released_on"]
    list_filter = ["project", "is_released"]
    search_fields = ["name"]


@admin.register(Component)
class ComponentAdmin(admin.ModelAdmin):
    list_display = ["name", "project"]
    list_filter = ["project"]
    search_fields = ["name"]


@admin.register(RequestType)
class RequestTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "project", "type", "position", "is_active"]
    list_filter = ["project", "type", "is_active"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
