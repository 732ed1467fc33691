from django.contrib.auth.management import create_permissions
from django.db import migrations

from accounts.roles import sync_agents_group


def sync(apps, schema_editor):
    # Permissions are normally created after all migrations ran; the group
    # needs them now, including those of models added since 0002.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_agents_group(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_agents_unlock_permissions"),
        ("tickets", "0003_admin_queue_indexes"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
