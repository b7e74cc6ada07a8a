"""Personal data encrypted at rest: phones and identity numbers (core.crypto).

Rows written before keep working: their values are sealed here, and identity numbers
get the blind index that now keeps them unique."""

from django.db import migrations, models

import qualityaward.core.fields


def seal(apps, schema_editor):
    from qualityaward.core.crypto import blind_index
    from qualityaward.core.fields import seal_stored_values

    seal_stored_values(apps.get_model("applications", "Application"), "contact_phone")
    Individual = apps.get_model("applications", "Individual")
    for person in Individual.objects.only("pk", "id_number").iterator(chunk_size=500):
        person.id_number_index = blind_index(
            person.id_number.upper(), purpose="applications.individual.id_number"
        )
        person.save(update_fields=["id_number", "id_number_index"])


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0002_intake"),
    ]

    operations = [
        migrations.AddField(
            model_name="individual",
            name="id_number_index",
            field=models.CharField(editable=False, max_length=64, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name="application",
            name="contact_phone",
            field=qualityaward.core.fields.EncryptedTextField(
                blank=True, max_length=30, verbose_name="telephone"
            ),
        ),
        migrations.AlterField(
            model_name="individual",
            name="id_number",
            field=qualityaward.core.fields.EncryptedTextField(
                max_length=18, verbose_name="resident identity number"
            ),
        ),
        migrations.RunPython(seal, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="individual",
            name="id_number_index",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
    ]
