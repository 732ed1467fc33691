"""The agent role: staff users in the "Agents" group."""

from django.contrib.auth.models import Group, Permission

from accounts.models import User

AGENTS_GROUP = "Agents"

# Model permissions of the Agents group, by app label and model name. Agents
# work tickets and look after customers; configuration stays with
# administrators unless they grant more.
AGENT_PERMISSIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("tickets", "ticket"): ("view", "add", "change"),
    ("tickets", "comment"): ("view", "add"),
    ("tickets", "attachment"): ("view", "add"),
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


def agents_group() -> Group:
    """Return the Agents group, recreating it with its permissions if missing.

    Migration 0002 creates the group; a flushed database (e.g. after a
    transactional test) has none, so this recreates it.
    """
    group, created = Group.objects.get_or_create(name=AGENTS_GROUP)
    if created:
        permissions = AGENT_PERMISSIONS | AGENT_LOCKOUT_PERMISSIONS
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
