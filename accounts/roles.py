"""The agent role: staff users in the "Agents" group."""

from django.contrib.auth.models import Group, Permission
from django.http import HttpRequest

from accounts.models import User

AGENTS_GROUP = "Agents"

# Model permissions of the Agents group, by app label and model name. Agents
# work tickets and look after customers and organizations; configuration
# (projects, versions, components, request types) and other staff stay with
# administrators unless they grant more. A data migration syncs the group
# with this table: change both together.
AGENT_PERMISSIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("tickets", "ticket"): ("view", "change"),
    ("tickets", "comment"): ("view", "add"),
    ("tickets", "attachment"): ("view", "add"),
    ("tickets", "statuschange"): ("view",),
    ("accounts", "user"): ("view", "add", "change"),
    ("accounts", "organization"): ("view", "add", "change"),
    ("accounts", "membership"): ("view", "add", "change", "delete"),
    ("helpcenter", "project"): ("view",),
    ("helpcenter", "version"): ("view",),
    ("helpcenter", "component"): ("view",),
    ("helpcenter", "requesttype"): ("view",),
}

# Added by migration 0004, after django-axes created its tables: agents see
# the records of failed logins and delete them to unlock a user.
AGENT_LOCKOUT_PERMISSIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("axes", "accessattempt"): ("view", "delete"),
}

# Added by tickets migration 0005, after the e-mail outbox table exists:
# agents see failed e-mails and send them again.
AGENT_OUTBOX_PERMISSIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("tickets", "notification"): ("view", "change"),
}

# User fields that grant power; only superusers may change them.
PRIVILEGE_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")


def agents_group() -> Group:
    """Return the Agents group, recreating it with its permissions if missing.

    Migration 0002 creates the group; a flushed database (e.g. after a
    transactional test) has none, so this recreates it.
    """
    group, created = Group.objects.get_or_create(name=AGENTS_GROUP)
    if created:
        permissions = (
            AGENT_PERMISSIONS | AGENT_LOCKOUT_PERMISSIONS | AGENT_OUTBOX_PERMISSIONS
        )
        for (app_label, model), actions in permissions.items():
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label,
                    codename__in=[f"{action}_{model}" for action in actions],
                )
            )
    return group


def make_agent(user: User) -> User:
    """Give a user the agent role: staff status and the Agents group."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(agents_group())
    return user


def sync_agents_group(apps) -> None:
    """Give the Agents group exactly the permissions of the tables above.

    For data migrations: apps is the migration's app registry. Permissions
    the tables do not list are removed from the group. Permissions of models
    that a later migration creates are skipped here; that migration syncs
    again (tickets 0005 does so for the notification outbox).
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=AGENTS_GROUP)
    wanted = [
        permission
        for (app_label, model), actions in (
            AGENT_PERMISSIONS | AGENT_LOCKOUT_PERMISSIONS | AGENT_OUTBOX_PERMISSIONS
        ).items()
        for action in actions
        for permission in Permission.objects.filter(
            content_type__app_label=app_label, codename=f"{action}_{model}"
        )
    ]
    group.permissions.set(wanted)


class StaffAccountProtection:
    """Admin mixin for the user admin: staff accounts are for superusers.

    Without superuser status, an agent who may change users edits customers
    only: staff accounts are read-only, and the fields that grant staff or
    superuser status, groups and permissions cannot be changed.
    """

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += [name for name in PRIVILEGE_FIELDS if name not in fields]
        return fields

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is not None and obj.is_staff and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is not None and obj.is_staff and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)
