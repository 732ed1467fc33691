from django.contrib.auth.management import create_permissions
from django.db import migrations

from accounts.roles import AGENT_LOCKOUT_PERMISSIONS, AGENTS_GROUP


def add_lockout_permissions(apps, schema_editor):
    # Permissions are normally created after all migrations ran; this
    # migration needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=AGENTS_GROUP)
    for (app_label, model), actions in AGENT_LOCKOUT_PERMISSIONS.items():
        for action in actions:
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label=app_label, codename=f"{action}_{model}"
                )
            )


def remove_lockout_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=AGENTS_GROUP).first()
    if group is None:
        return
    for (app_label, model), actions in AGENT_LOCKOUT_PERMISSIONS.items():
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label=app_label,
                codename__in=[f"{action}_{model}" for action in actions],
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_avatar_invitation"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [
        migrations.RunPython(add_lockout_permissions, remove_lockout_permissions)
    ]
