from django.contrib.auth.management import create_permissions
from django.db import migrations

from accounts.roles import sync_agents_group


def sync(apps, schema_editor):
    # Agents look at the e-mail outbox and send failed e-mails again. The
    # notification permissions exist only once this app's models are known.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_agents_group(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0004_notification_outbox"),
        ("accounts", "0005_sync_agents_group"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
