from django.db import migrations

PG_APPEND_ONLY = """
CREATE OR REPLACE FUNCTION core_auditrecord_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit records are append-only';
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditrecord_append_only
  BEFORE UPDATE OR DELETE ON core_auditrecord
  FOR EACH ROW EXECUTE FUNCTION core_auditrecord_append_only();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS core_auditrecord_append_only ON core_auditrecord;
DROP FUNCTION IF EXISTS core_auditrecord_append_only();
"""


def create_head(apps, schema_editor):
    apps.get_model("core", "AuditHead").objects.get_or_create(
        pk=1, defaults={"last_seq": 0, "last_hash": "0" * 64}
    )


def append_only_trigger(apps, schema_editor):
    # PostgreSQL refuses UPDATE and DELETE on the trail at the database itself.
    # (SQLite is left to the model's guards: its test flushes use DELETE.)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_APPEND_ONLY)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_DROP)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunPython(create_head, migrations.RunPython.noop),
        migrations.RunPython(append_only_trigger, drop_trigger),
    ]
