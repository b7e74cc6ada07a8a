"""The applications' standings (what the ranking reads), filled from the stage results
written before: with the historical models and the same pure computation as
`evaluation.services.standings`."""

from decimal import Decimal

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    from qualityaward.evaluation.scoring import (
        SITE_VISIT_STAGE,
        StageLine,
        standing,
    )
    from qualityaward.rulesets.schema import Rules

    Cycle = apps.get_model("cycles", "Cycle")
    StageResult = apps.get_model("evaluation", "StageResult")
    ApplicationStanding = apps.get_model("evaluation", "ApplicationStanding")
    for cycle in Cycle.objects.select_related("rule_set_version"):
        stages = [
            StageLine(s.code, s.weight, s.advance_threshold)
            for s in Rules(cycle.rule_set_version.values).stages.value
        ]
        results: dict[int, dict] = {}
        for result in StageResult.objects.filter(panel__cycle=cycle).select_related("panel"):
            results.setdefault(result.panel.application_id, {})[result.panel.stage] = result
        rows = []
        for application_id, by_stage in results.items():
            totals = {stage: r.total for stage, r in by_stage.items()}
            its = standing(stages, totals, {s: r.category_scores for s, r in by_stage.items()})
            rows.append(
                ApplicationStanding(
                    application_id=application_id,
                    weighted_total=its.weighted_total,
                    results_score=its.results_score,
                    site_visit_total=totals.get(SITE_VISIT_STAGE, Decimal(0)),
                    stopped_at=its.stopped_at or "",
                )
            )
        ApplicationStanding.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0003_encrypt_personal_data'),
        ('evaluation', '0004_alter_agency_phone'),
        ('cycles', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='ApplicationStanding',
            fields=[
                ('application', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='standing', serialize=False, to='applications.application', verbose_name='application')),
                ('weighted_total', models.DecimalField(blank=True, decimal_places=2, max_digits=9, null=True, verbose_name='weighted total')),
                ('results_score', models.DecimalField(decimal_places=2, max_digits=7, verbose_name='results score')),
                ('site_visit_total', models.DecimalField(decimal_places=2, max_digits=7, verbose_name='site visit total')),
                ('stopped_at', models.CharField(blank=True, max_length=30, verbose_name='stopped after')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
            ],
            options={
                'verbose_name': 'application standing',
                'verbose_name_plural': 'application standings',
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
