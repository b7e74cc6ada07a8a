"""The evaluation report (PDF) and the score sheets (xlsx): content, fonts, who may
download them and when."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pypdfium2
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from qualityaward.accounts.enums import Role
from qualityaward.documents.pdf import pdf_text, uncovered_characters
from qualityaward.evaluation.charts import radar_svg
from qualityaward.evaluation.selectors.reports import application_report
from qualityaward.evaluation.services.conflicts import staff_conflict_record
from qualityaward.exports.models import Export
from qualityaward.exports.services import export_run

from ..factories import UserFactory
from .outputs import OPPORTUNITY, STRENGTH, agreed_panel, publish

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_radar_svg_draws_rings_axes_the_value_polygon_and_escaped_labels():
    svg = radar_svg(["领导", "战略", "顾客<市场>"], [100, 50, 0])
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count('class="qa-radar-ring"') == 4
    assert svg.count('class="qa-radar-axis"') == 3
    # centre (240, 240), radius 130, first axis up: 100 % at the top, 50 % half way
    # down the second axis (120° clockwise), 0 % at the centre
    assert 'class="qa-radar-value" points="240,110 296.3,272.5 240,240"' in svg
    assert "顾客&lt;市场&gt; 0%" in svg and "领导 100%" in svg
    assert radar_svg(["a", "b"], [1, 2]) == ""
    with pytest.raises(ValueError):
        radar_svg(["a", "b", "c"], [1, 2])


def test_report_holds_stages_categories_items_texts_and_self_evaluation(cycle):
    application, panel, result, _ = agreed_panel(cycle)
    with translation.override("en"):
        report = application_report(application=application)
    stages = {s.code: s for s in report.stages}
    assert stages["document_review"].total == result.total
    assert stages["document_review"].stopped_here is True  # below 500: stopped
    assert stages["site_visit"].reached is False
    assert report.result.weighted_total == (result.total * Decimal("0.5")).quantize(Decimal("0.01"))
    items = {i.item.code: i for c in report.categories for i in c.items}
    # 4.1.2: trimmed mean of 60 and 70 (two values: the mean) = 65; self-evaluation 50
    assert (items["4.1.2"].consensus, items["4.1.2"].self_percent, items["4.1.2"].difference) == (
        65,
        50,
        15,
    )
    assert items["4.1.2"].strengths == [STRENGTH] and items["4.1.2"].opportunities == [OPPORTUNITY]
    assert (items["4.1.3"].consensus, items["4.1.3"].difference) == (40, -10)
    stored = panel.consensus.get(item__code="4.1.3").reason
    assert stored and items["4.1.3"].reason == stored
    assert items["4.1.2"].reason == ""  # the members' texts take its place
    categories = {c.category.code: c for c in report.categories}
    assert len(report.categories) == 7
    assert categories["4.7"].score == Decimal(result.category_scores["4.7"])
    assert categories["4.7"].percent == Decimal("40.0")
    assert report.radar.count('class="qa-radar-axis"') == 7


def test_report_pdf_names_the_applicant_and_total_with_every_glyph_embedded(cycle):
    application, _panel, result, _ = agreed_panel(cycle)
    office = UserFactory(roles=[Role.OFFICE])
    response = client_for(office).get(reverse("evaluation:report_pdf", args=[application.pk]))
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    text = pdf_text(pdf)
    assert application.applicant.name in text
    assert "ELHT-2026-0007" in text
    assert str(result.total) in text
    weighted = (result.total * Decimal("0.5")).quantize(Decimal("0.01"))
    assert str(weighted) in text
    assert STRENGTH in text.replace("\n", "")
    assert uncovered_characters(pdf) == set()
    # the compact fonts' subsets (documents.fonts): about 330 KB with the upstream files
    assert len(pdf) < 150_000
    # the first page renders as an image (looked at by hand: Chinese text, the radar)
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=50 / 72).to_pil()
    assert image.convert("L").getextrema()[0] < 128  # dark ink on the page


def test_applicant_gets_the_report_only_after_publication_and_others_never(cycle):
    application, _panel, _result, (_first, second) = agreed_panel(cycle)
    owner = UserFactory(roles=[Role.APPLICANT])
    application.applicant.users.add(owner)
    other = UserFactory(roles=[Role.APPLICANT])
    other_application, *_ = agreed_panel(cycle, receipt="ELHT-2026-0008")
    other_application.applicant.users.add(other)
    url = reverse("evaluation:report_pdf", args=[application.pk])
    feedback = reverse("evaluation:application_feedback", args=[application.pk])

    page = client_for(owner).get(feedback)
    assert "once the results are published" in page.content.decode()
    assert url not in page.content.decode()
    assert client_for(owner).get(url).status_code == 404
    assert owner.has_perm("evaluation.view_report", application) is False

    publish(cycle)
    owner = type(owner).objects.get(pk=owner.pk)
    assert owner.has_perm("evaluation.view_report", application) is True
    assert url in client_for(owner).get(feedback).content.decode()
    assert client_for(other).get(url).status_code == 404
    assert client_for(other).get(feedback).status_code == 404
    # a conflicted expert of the panel and a conflicted office member: 404
    from django.utils import timezone

    from qualityaward.evaluation.models import Conflict

    Conflict.objects.create(
        expert=second.expert,
        applicant=application.applicant,
        kind="consulting",
        source="declaration",
        basis="咨询",
        explanation="曾提供咨询",
        detected_at=timezone.now(),
    )
    assert client_for(second.expert.user).get(url).status_code == 404
    staff = UserFactory(roles=[Role.OFFICE, Role.SUPERVISOR])
    assert staff.has_perm("evaluation.view_report", application) is True
    staff_conflict_record(user=staff, applicant=application.applicant, reason="亲属", actor=staff)
    staff = type(staff).objects.get(pk=staff.pk)
    assert client_for(staff).get(url).status_code == 404
    assert staff.has_perm("evaluation.view_report", other_application) is True


def score_sheets_download(user, cycle):
    """Ask for the score sheets on their page, prepare them as the background task does,
    and download them (the refusal when the page refuses)."""
    client = client_for(user)
    asked = client.post(reverse("exports:score_sheets", args=[cycle.pk]))
    if asked.status_code != 302:
        return asked
    export = Export.objects.get(kind="score_sheets", cycle=cycle, requested_by=user)
    export_run(export_id=export.pk)
    return client.get(reverse("exports:download", args=[export.pk]))


def test_score_sheets_for_the_office_name_the_experts_and_the_working_group_version_does_not(
    cycle, media_root
):
    application, _panel, result, (first, second) = agreed_panel(cycle)
    with translation.override("en"):
        office = score_sheets_download(UserFactory(roles=[Role.OFFICE]), cycle)
        group = score_sheets_download(UserFactory(roles=[Role.WORKING_GROUP]), cycle)
        refused = score_sheets_download(UserFactory(roles=[Role.EXPERT]), cycle)
    assert refused.status_code == 403
    book = openpyxl.load_workbook(io.BytesIO(office.getvalue()))
    assert book.sheetnames == ["Totals", "Item scores"]
    totals = list(book["Totals"].iter_rows(values_only=True))
    assert totals[0][:3] == ("Rank", "Receipt number", "Applicant")
    assert totals[1][:4] == (1, "ELHT-2026-0007", application.applicant.name, float(result.total))
    scores = list(book["Item scores"].iter_rows(values_only=True))
    assert scores[0][3] == "Expert"
    assert len(scores) == 1 + 2 * 23
    named = {row[3] for row in scores[1:]}
    assert named == {first.expert.name, second.expert.name}
    assert ("ELHT-2026-0007", application.applicant.name) == scores[1][:2]
    assert {(row[3], row[4], row[6]) for row in scores[1:] if row[4] == "4.1.2"} == {
        (first.expert.name, "4.1.2", 60),
        (second.expert.name, "4.1.2", 70),
    }
    anonymous = openpyxl.load_workbook(io.BytesIO(group.getvalue()))
    rows = list(anonymous["Item scores"].iter_rows(values_only=True))
    assert rows[0][3] == "Member"
    assert {row[3] for row in rows[1:]} == {"Member 1", "Member 2"}
    flat = " ".join(str(v) for ws in anonymous for r in ws.iter_rows(values_only=True) for v in r)
    assert first.expert.name not in flat and second.expert.name not in flat
