"""Give every stored version the new key `winner_reapply_wait_years` with the value that
keeps its behaviour (0: an earlier winner may apply again at once, as before)."""

from django.db import migrations

KEY = "winner_reapply_wait_years"
ENTRY = {
    "value": 0,
    "article": 3,
    "clause": None,
    "note": "办法未限制获奖者再次申报；0表示无等待期。",
    "basis": "detailed_rules",
}


def add_key(apps, schema_editor):
    RuleSetVersion = apps.get_model("rulesets", "RuleSetVersion")
    for version in RuleSetVersion.objects.all():
        if KEY not in version.values:
            version.values = {**version.values, KEY: dict(ENTRY)}
            version.save(update_fields=["values"])


class Migration(migrations.Migration):
    dependencies = [("rulesets", "0001_initial")]

    operations = [migrations.RunPython(add_key, migrations.RunPython.noop)]
