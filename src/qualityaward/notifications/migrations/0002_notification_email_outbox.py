from django.db import migrations, models
from django.db.models import F


def existing_were_emailed(apps, schema_editor):
    """Notifications from before the outbox were queued when they were made: do not
    e-mail them again."""
    Notification = apps.get_model("notifications", "Notification")
    Notification.objects.update(emailed_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="emailed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(existing_were_emailed, migrations.RunPython.noop),
    ]
