from django.contrib import admin

from helpcenter.models import Component, Project, RequestType, Version


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
    list_display = ["key", "name", "is_public", "is_active"]
    list_filter = ["is_public", "is_active"]
    search_fields = ["key", "name"]
    filter_horizontal = ["organizations"]
    inlines = [VersionInline, ComponentInline, RequestTypeInline]


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
