"""Panel assignment end to end on a small cycle (3 qualified applications, 12 experts,
conflicts), for both methods; replay of a draw; threshold gating; manual overrides."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone, translation

from qualityaward.core.errors import NotAllowed
from qualityaward.core.models import AuditRecord
from qualityaward.evaluation.enums import ExpertStatus
from qualityaward.evaluation.models import (
    AssignmentRun,
    Conflict,
    Panel,
    PanelMember,
    StageResult,
)
from qualityaward.evaluation.services import panels as services

from ..factories import UserFactory
from .factories import (
    conflict_by_employment,
    procured_agency,
    qualified_application,
    set_rule,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def client():
    """Pages in English, so the tests read fixed text."""
    from django.test import Client

    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def small(cycle):
    """3 qualified applications, 12 experts; expert 0 worked for application 0's
    applicant, expert 1 for application 1's."""
    _agency, coordinator, experts = procured_agency(cycle, experts=12)
    applications = [qualified_application(cycle) for _ in range(3)]
    conflict_by_employment(experts[0], applications[0])
    conflict_by_employment(experts[1], applications[1])
    return {
        "cycle": cycle,
        "coordinator": coordinator,
        "experts": experts,
        "applications": applications,
    }


def panel_experts(application, stage="document_review") -> set[int]:
    return set(
        PanelMember.objects.filter(panel__application=application, panel__stage=stage).values_list(
            "expert_id", flat=True
        )
    )


def test_optimal_assignment_forms_panels_of_five_without_conflicted_experts(small):
    apps, experts = small["applications"], small["experts"]
    outcome = services.panels_assign(
        cycle=small["cycle"], stage_code="document_review", actor=small["coordinator"]
    )
    assert len(outcome.panels) == 3
    assert outcome.run.method == "optimal" and outcome.run.seed is None
    assert [len(panel_experts(a)) for a in apps] == [5, 5, 5]
    assert experts[0].pk not in panel_experts(apps[0])
    assert experts[1].pk not in panel_experts(apps[1])
    # the refresh ran first: the derived conflicts are stored
    assert Conflict.objects.filter(expert=experts[0], applicant=apps[0].applicant, active=True)
    member = PanelMember.objects.filter(panel__application=apps[2]).first()
    assert member.method == "optimal"
    assert member.reasons["sector_match"] is True
    assert set(member.reasons) == {"sector_match", "qualification_level", "score"}
    # the lead is a most qualified member
    for panel in outcome.panels:
        levels = [m.reasons["qualification_level"] for m in panel.members.all()]
        lead = panel.members.get(expert=panel.lead)
        assert lead.reasons["qualification_level"] == max(levels)
    record = AuditRecord.objects.get(action="evaluation.panels_assign")
    assert record.changes["method"] == "optimal"
    assert record.changes["panels"] == outcome.run.panels


def test_random_draw_stores_the_seed_on_members_and_in_the_audit_and_replays(small):
    version = small["cycle"].rule_set_version
    set_rule(version, "assignment_method", "random_draw")
    apps, experts = small["applications"], small["experts"]
    outcome = services.panels_assign(
        cycle=small["cycle"], stage_code="document_review", actor=small["coordinator"], seed=4242
    )
    run = outcome.run
    assert run.method == "random_draw" and run.seed == 4242
    assert set(
        PanelMember.objects.filter(panel__cycle=small["cycle"]).values_list("draw_seed", flat=True)
    ) == {4242}
    assert AuditRecord.objects.get(action="evaluation.panels_assign").changes["seed"] == 4242
    assert experts[0].pk not in panel_experts(apps[0])
    assert experts[1].pk not in panel_experts(apps[1])
    stored = {a.pk: tuple(sorted(panel_experts(a))) for a in apps}
    replay = services.panel_draw_replay(run=AssignmentRun.objects.get(pk=run.pk))
    assert replay.matches is True
    assert replay.replayed == stored
    # the same seed on the same input gives the same panels: a fresh solve agrees
    again = services._solve(run.inputs, 4242)
    assert {a: tuple(e) for a, e in again.panels.items()} == stored


def test_replay_reports_a_tampered_run(small, capsys):
    set_rule(small["cycle"].rule_set_version, "assignment_method", "random_draw")
    run = services.panels_assign(
        cycle=small["cycle"], stage_code="document_review", actor=small["coordinator"], seed=7
    ).run
    call_command("panel_draw_replay", str(run.pk))
    assert f"run {run.pk} (random_draw, seed 7): same panels" in capsys.readouterr().out
    first = str(small["applications"][0].pk)
    panels = dict(run.panels)
    panels[first] = [small["experts"][0].pk, *panels[first][1:]]
    AssignmentRun.objects.filter(pk=run.pk).update(panels=panels)
    run.refresh_from_db()
    assert services.panel_draw_replay(run=run).differences == [int(first)]
    with pytest.raises(CommandError):
        call_command("panel_draw_replay", str(run.pk))


def test_suspended_experts_are_never_assigned(small):
    suspended = small["experts"][2:4]
    for expert in suspended:
        expert.status = ExpertStatus.SUSPENDED
        expert.save(update_fields=["status"])
    services.panels_assign(
        cycle=small["cycle"], stage_code="document_review", actor=small["coordinator"]
    )
    assigned = set(PanelMember.objects.values_list("expert_id", flat=True))
    assert assigned and not assigned & {e.pk for e in suspended}


def test_a_second_run_keeps_the_panels_formed(small):
    services.panels_assign(
        cycle=small["cycle"], stage_code="document_review", actor=small["coordinator"]
    )
    before = set(PanelMember.objects.values_list("pk", flat=True))
    outcome = services.panels_assign(
        cycle=small["cycle"], stage_code="document_review", actor=small["coordinator"]
    )
    assert outcome.run is None and outcome.skipped == 3
    assert set(PanelMember.objects.values_list("pk", flat=True)) == before


def test_only_a_coordinator_of_the_cycle_assigns(small):
    from qualityaward.accounts.enums import Role

    outsider = UserFactory(roles=[Role.AGENCY])
    with pytest.raises(NotAllowed):
        services.panels_assign(cycle=small["cycle"], stage_code="document_review", actor=outsider)
    assert not Panel.objects.exists()


def test_site_visit_takes_only_applications_at_or_above_the_threshold(small):
    services.panels_assign(
        cycle=small["cycle"], stage_code="document_review", actor=small["coordinator"]
    )
    apps = small["applications"]
    for application, total in zip(apps, ["600.00", "499.95", "500.00"], strict=True):
        StageResult.objects.create(
            panel=Panel.objects.get(application=application, stage="document_review"),
            total=Decimal(total),
            category_scores={},
            completed_at=timezone.now(),
        )
    taking_part = services.stage_applications(cycle=small["cycle"], stage_code="site_visit")
    assert [a.pk for a in taking_part] == [apps[0].pk, apps[2].pk]
    outcome = services.panels_assign(
        cycle=small["cycle"], stage_code="site_visit", actor=small["coordinator"]
    )
    assert sorted(p.application_id for p in outcome.panels) == [apps[0].pk, apps[2].pk]
    assert all(p.members.count() == 3 for p in outcome.panels)  # the site visit's panel size
    # presentation: nobody yet (no site visit result)
    assert services.stage_applications(cycle=small["cycle"], stage_code="presentation") == []


def test_override_refuses_a_conflicted_expert_and_records_the_refusal(small):
    services.panels_assign(
        cycle=small["cycle"], stage_code="document_review", actor=small["coordinator"]
    )
    panel = Panel.objects.get(application=small["applications"][0])
    conflicted = small["experts"][0]
    with pytest.raises(NotAllowed) as error:
        services.member_add(
            panel=panel, expert=conflicted, note="knows logistics", actor=small["coordinator"]
        )
    assert "conflict of interest" in error.value.message
    assert not PanelMember.objects.filter(panel=panel, expert=conflicted).exists()
    refusal = AuditRecord.objects.get(action="evaluation.panel_member_refused")
    assert refusal.changes["expert"] == conflicted.pk and refusal.changes["attempt"] == "add"
    member = panel.members.first()
    with pytest.raises(NotAllowed):
        services.member_replace(
            member=member, expert=conflicted, reason="swap", actor=small["coordinator"]
        )
    assert PanelMember.objects.filter(pk=member.pk).exists()
    assert AuditRecord.objects.filter(action="evaluation.panel_member_refused").count() == 2


def test_override_refuses_a_suspended_expert(small):
    services.panels_assign(
        cycle=small["cycle"], stage_code="document_review", actor=small["coordinator"]
    )
    panel = Panel.objects.get(application=small["applications"][2])
    free = next(e for e in small["experts"] if e.pk not in panel_experts(panel.application))
    free.status = ExpertStatus.SUSPENDED
    free.save(update_fields=["status"])
    with pytest.raises(NotAllowed) as error:
        services.member_add(panel=panel, expert=free, note="x", actor=small["coordinator"])
    assert "suspended" in error.value.message


def test_override_replaces_and_removes_with_an_audit_record(small):
    services.panels_assign(
        cycle=small["cycle"], stage_code="document_review", actor=small["coordinator"]
    )
    panel = Panel.objects.get(application=small["applications"][2])
    old = panel.members.exclude(expert=panel.lead).first()
    free = next(e for e in small["experts"] if e.pk not in panel_experts(panel.application))
    added = services.member_replace(
        member=old, expert=free, reason="unavailable that week", actor=small["coordinator"]
    )
    assert added.method == "manual" and added.reasons == {"note": "unavailable that week"}
    assert old.expert_id not in panel_experts(panel.application)
    services.member_remove(member=added, reason="ill", actor=small["coordinator"])
    assert panel.members.count() == 4
    actions = list(
        AuditRecord.objects.filter(action__startswith="evaluation.panel_member").values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "evaluation.panel_member_remove",
        "evaluation.panel_member_add",
        "evaluation.panel_member_remove",
    ]


def test_coordinator_page_assigns_with_htmx_and_shows_reasons_and_deadline(small, client):
    client.force_login(small["coordinator"])
    url = reverse("evaluation:cycle_panels", args=[small["cycle"].pk])
    page = client.get(url).content.decode()
    assert "Assign panels to 3 applications" in page
    assert 'id="evaluation-deadline"' in page
    response = client.post(
        reverse("evaluation:panels_assign", args=[small["cycle"].pk]),
        {"stage": "document_review"},
        HTTP_HX_REQUEST="true",
    )
    assert "3 panels formed." in response.content.decode()
    page = client.get(url).content.decode()
    assert "sector match" in page
    assert page.count("Lead</span>") == 3


def test_coordinator_replaces_a_conflicted_expert_on_the_page_and_is_refused(small, client):
    services.panels_assign(
        cycle=small["cycle"], stage_code="document_review", actor=small["coordinator"]
    )
    panel = Panel.objects.get(application=small["applications"][0])
    client.force_login(small["coordinator"])
    member = panel.members.first()
    response = client.post(
        reverse("evaluation:member_replace", args=[member.pk]),
        {"expert": small["experts"][0].pk, "note": "swap"},
        follow=True,
    )
    assert "has a conflict of interest with this applicant" in response.content.decode()
    assert PanelMember.objects.filter(pk=member.pk).exists()
