from django.contrib.auth.management import create_permissions
from django.db import migrations

from accounts.roles import AGENT_PERMISSIONS, AGENTS_GROUP


def create_agents_group(apps, schema_editor):
    # Permissions are normally created after all migrations ran; this
    # migration needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=AGENTS_GROUP)
    for (app_label, model), actions in AGENT_PERMISSIONS.items():
        for action in actions:
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label=app_label, codename=f"{action}_{model}"
                )
            )


def delete_agents_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=AGENTS_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("helpcenter", "0001_initial"),
        ("tickets", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_agents_group, delete_agents_group)]
