# ruff: noqa: RUF001 (Chinese document numbers)
"""A cycle from published results to certificates (A19–A23)."""

from urllib.parse import urlsplit

import pypdfium2
import pytest
import zxingcpp

from qualityaward.core.errors import QualityAwardError
from qualityaward.cycles.enums import StageCode
from qualityaward.cycles.models import CycleStage
from qualityaward.decisions.enums import ObjectionStatus, WinnerStatus
from qualityaward.decisions.models import Award, Winner
from qualityaward.decisions.services import awards as award_services
from qualityaward.decisions.services import meetings as meeting_services
from qualityaward.decisions.services import publicity as publicity_services
from qualityaward.documents.pdf import pdf_text

from .flow import CLOSED, D, hold_meeting, propose, publish_and_close

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.decisions.urls")]


def stages(cycle):
    return {s.code: (s.started_on, s.ended_on) for s in CycleStage.objects.filter(cycle=cycle)}


def test_cycle_runs_from_results_to_certificates(
    evaluated_cycle, applications, fake_results, office, members, set_today, client
):
    cycle = evaluated_cycle
    a = applications
    publish_and_close(cycle, office)
    candidate_list = propose(cycle, office, [a["org_a"], a["org_b"], a["ind_a"], a["ind_b"]])
    meeting = hold_meeting(
        candidate_list,
        office,
        members,
        votes={a["org_a"]: "for", a["org_b"]: "against", a["ind_a"]: "for", a["ind_b"]: "against"},
    )
    meeting_services.meeting_decide(meeting=meeting, actor=office, on=CLOSED)
    winners = Winner.objects.filter(cycle=cycle).order_by("kind")
    assert [(w.application.applicant.name, w.status) for w in winners] == [
        ("巴特尔", WinnerStatus.PROPOSED),
        ("二连浩特市甲口岸物流有限公司", WinnerStatus.PROPOSED),
    ]
    publicity = publicity_services.publicity_publish(cycle=cycle, on=D(2026, 12, 3), actor=office)
    assert (publicity.first_day, publicity.last_day) == (D(2026, 12, 3), D(2026, 12, 11))

    set_today(D(2026, 12, 11))
    with pytest.raises(QualityAwardError, match="ends on 2026-12-11"):
        award_services.approval_record(
            cycle=cycle,
            document_number="二政字〔2026〕99号",
            approved_on=D(2026, 12, 11),
            actor=office,
        )
    set_today(D(2026, 12, 15))
    award_services.approval_record(
        cycle=cycle, document_number="二政字〔2026〕99号", approved_on=D(2026, 12, 14), actor=office
    )
    awards = award_services.awards_issue(cycle=cycle, on=D(2026, 12, 18), actor=office)

    org_award = next(x for x in awards if x.kind == "organisation")
    ind_award = next(x for x in awards if x.kind == "individual")
    assert (org_award.serial, ind_award.serial) == ("EHQA-2026-O-01", "EHQA-2026-I-01")
    assert org_award.valid_until == D(2029, 12, 17)
    assert (org_award.prize_yuan, org_award.prize_budget_year) == (200000, 2027)
    assert (ind_award.prize_yuan, ind_award.prize_budget_year) == (0, None)
    assert org_award.plaque_text == "二连浩特市市长质量奖（2026年）"
    assert stages(cycle)[StageCode.PUBLIC_COMMENT] == (D(2026, 10, 20), D(2026, 12, 1))
    assert stages(cycle)[StageCode.PUBLICITY] == (D(2026, 12, 3), D(2026, 12, 11))
    assert stages(cycle)[StageCode.AWARD] == (D(2026, 12, 18), D(2026, 12, 18))

    # The certificate: Chinese text, serial, and a QR code leading to the verification page.
    pdf = org_award.certificate.file.read()
    text = pdf_text(pdf).replace(" ", "")
    assert (
        "荣誉证书" in text and "EHQA-2026-O-01" in text and "二连浩特市甲口岸物流有限公司" in text
    )
    page = pypdfium2.PdfDocument(pdf)[0].render(scale=150 / 72).to_pil()
    assert page.width > page.height  # landscape
    decoded = [barcode.text for barcode in zxingcpp.read_barcodes(page)]
    assert decoded == ["http://127.0.0.1:8000/decisions/public/verify/EHQA-2026-O-01/"]
    set_today(D(2027, 1, 5))
    response = client.get(urlsplit(decoded[0]).path)
    body = response.content.decode()
    assert "有效" in body or "Valid" in body
    assert "二连浩特市甲口岸物流有限公司" in body and "2029-12-17" in body


def test_a_third_winner_is_refused_by_the_quota(
    evaluated_cycle, applications, fake_results, office, members
):
    a = applications
    publish_and_close(evaluated_cycle, office)
    candidate_list = propose(evaluated_cycle, office, [a["org_a"], a["org_b"], a["ind_a"]])
    meeting = hold_meeting(
        candidate_list,
        office,
        members,
        votes={a["org_a"]: "for", a["org_b"]: "for", a["ind_a"]: "for"},
    )
    with pytest.raises(QualityAwardError) as refused:
        meeting_services.meeting_decide(meeting=meeting, actor=office, on=CLOSED)
    assert "(Article 3) allows at most 1 per cycle" in refused.value.message
    assert Winner.objects.count() == 0


def test_vacancy_leaves_a_kind_without_winner(
    evaluated_cycle, applications, fake_results, office, members, set_today
):
    a = applications
    publish_and_close(evaluated_cycle, office)
    candidate_list = propose(evaluated_cycle, office, [a["org_a"]])  # no individual: vacant
    meeting = hold_meeting(candidate_list, office, members, votes={a["org_a"]: "for"})
    meeting_services.meeting_decide(meeting=meeting, actor=office, on=CLOSED)
    publicity_services.publicity_publish(cycle=evaluated_cycle, on=D(2026, 12, 3), actor=office)
    set_today(D(2026, 12, 15))
    award_services.approval_record(
        cycle=evaluated_cycle,
        document_number="二政字〔2026〕1号",
        approved_on=D(2026, 12, 14),
        actor=office,
    )
    awards = award_services.awards_issue(cycle=evaluated_cycle, on=D(2026, 12, 15), actor=office)
    assert [(x.kind, x.applicant.name) for x in awards] == [
        ("organisation", "二连浩特市甲口岸物流有限公司")
    ]


def test_vacancy_refused_when_the_rule_set_forbids_it(
    evaluated_cycle, applications, fake_results, office
):
    version = evaluated_cycle.rule_set_version
    version.values["vacancy_allowed"]["value"] = False
    type(version).objects.filter(pk=version.pk).update(values=version.values)
    evaluated_cycle.refresh_from_db()
    publish_and_close(evaluated_cycle, office)
    with pytest.raises(QualityAwardError, match="vacant"):
        propose(evaluated_cycle, office, [applications["org_a"]])


def test_substantiated_objection_removes_winner_and_next_ranked_is_proposed(
    evaluated_cycle, applications, fake_results, office, members, set_today
):
    a = applications
    cycle = evaluated_cycle
    publish_and_close(cycle, office)
    first = propose(cycle, office, [a["org_a"], a["ind_a"]])
    meeting = hold_meeting(first, office, members, votes={a["org_a"]: "for", a["ind_a"]: "for"})
    meeting_services.meeting_decide(meeting=meeting, actor=office, on=CLOSED)
    publicity = publicity_services.publicity_publish(cycle=cycle, on=D(2026, 12, 3), actor=office)
    set_today(D(2026, 12, 4))
    org_winner = Winner.objects.get(application=a["org_a"])
    objection = publicity_services.objection_submit(
        publicity=publicity,
        winner_id=org_winner.pk,
        name="张三",
        contact="13800000000",
        text="该公司有未公开的安全事故",
    )
    set_today(D(2026, 12, 15))
    with pytest.raises(QualityAwardError, match="under investigation"):
        award_services.approval_record(
            cycle=cycle,
            document_number="二政字〔2026〕2号",
            approved_on=D(2026, 12, 15),
            actor=office,
        )
    publicity_services.objection_decide(
        objection=objection,
        substantiated=True,
        findings="经核实，2025年发生较大安全事故。",
        actor=office,
    )
    with pytest.raises(QualityAwardError, match="not yet decided"):
        award_services.approval_record(
            cycle=cycle,
            document_number="二政字〔2026〕2号",
            approved_on=D(2026, 12, 15),
            actor=office,
        )
    cancel = meeting_services.cancellation_meeting_schedule(
        objection=objection, held_on=D(2026, 12, 14), agenda="审议撤销拟表彰对象", actor=office
    )
    meeting_services.attendance_record(meeting=cancel, present=members, actor=office)
    for member in members:
        meeting_services.vote_cast(
            meeting=cancel, member=member, application=a["org_a"], choice="for", actor=office
        )
    meeting_services.minutes_record(meeting=cancel, minutes="同意撤销。", actor=office)
    meeting_services.meeting_decide(meeting=cancel, actor=office, on=D(2026, 12, 14))
    org_winner.refresh_from_db()
    assert org_winner.status == WinnerStatus.CANCELLED
    assert org_winner.cancellation_reason == "经核实，2025年发生较大安全事故。"
    assert objection.__class__.objects.get(pk=objection.pk).status == ObjectionStatus.SUBSTANTIATED

    # The cancelled applicant cannot be proposed again; the next-ranked one can.
    with pytest.raises(QualityAwardError, match="already decided"):
        propose(cycle, office, [a["org_a"]], on=D(2026, 12, 14))
    second = propose(cycle, office, [a["org_b"]], on=D(2026, 12, 14))
    meeting = hold_meeting(
        second, office, members, votes={a["org_b"]: "for"}, held_on=D(2026, 12, 14)
    )
    meeting_services.meeting_decide(meeting=meeting, actor=office, on=D(2026, 12, 14))
    publicity_services.publicity_publish(cycle=cycle, on=D(2026, 12, 14), actor=office)
    set_today(D(2026, 12, 23))
    award_services.approval_record(
        cycle=cycle, document_number="二政字〔2026〕2号", approved_on=D(2026, 12, 23), actor=office
    )
    awards = award_services.awards_issue(cycle=cycle, on=D(2026, 12, 24), actor=office)
    assert sorted(x.applicant.name for x in awards) == ["二连浩特市乙商贸有限公司", "巴特尔"]
    assert Award.objects.filter(applicant=a["org_a"].applicant).count() == 0


def test_quorum_counts_without_the_recused_member(
    evaluated_cycle, applications, fake_results, office, members
):
    a = applications
    publish_and_close(evaluated_cycle, office)
    candidate_list = propose(evaluated_cycle, office, [a["org_a"]])
    meeting = meeting_services.meeting_schedule(
        candidate_list=candidate_list, held_on=CLOSED, agenda="审议", actor=office
    )
    # 6 members, 4 present; one present member recuses: 3 of 5 not recused present (quorum 4).
    meeting_services.attendance_record(meeting=meeting, present=members[:4], actor=office)
    meeting_services.recusal_record(
        meeting=meeting,
        member=members[0],
        application=a["org_a"],
        reason="曾在该公司任职",
        actor=members[0],
    )
    with pytest.raises(QualityAwardError, match="recused"):
        meeting_services.vote_cast(
            meeting=meeting,
            member=members[0],
            application=a["org_a"],
            choice="for",
            actor=members[0],
        )
    for member in members[1:4]:
        meeting_services.vote_cast(
            meeting=meeting, member=member, application=a["org_a"], choice="for", actor=member
        )
    tally = meeting_services.meeting_tally(meeting)[0]
    assert (tally["present"], tally["members"], tally["quorum"], tally["recused"]) == (3, 5, 4, 1)
    meeting_services.minutes_record(meeting=meeting, minutes="纪要", actor=office)
    with pytest.raises(QualityAwardError, match="quorum"):
        meeting_services.meeting_decide(meeting=meeting, actor=office, on=CLOSED)
    meeting_services.attendance_record(meeting=meeting, present=members[:5], actor=office)
    meeting_services.vote_cast(
        meeting=meeting, member=members[4], application=a["org_a"], choice="against", actor=office
    )
    decided = meeting_services.meeting_decide(meeting=meeting, actor=office, on=CLOSED)
    assert decided.tally[0]["for"] == 3 and decided.tally[0]["approved"] is True


def test_staff_conflict_from_evaluation_recuses_automatically(
    evaluated_cycle, applications, fake_results, office, members
):
    from qualityaward.evaluation.models import StaffConflict

    a = applications
    StaffConflict.objects.create(user=members[2], applicant=a["org_a"].applicant, active=True)
    publish_and_close(evaluated_cycle, office)
    meeting = meeting_services.meeting_schedule(
        candidate_list=propose(evaluated_cycle, office, [a["org_a"]]),
        held_on=CLOSED,
        agenda="审议",
        actor=office,
    )
    assert list(meeting.recusals.values_list("member_id", flat=True)) == [members[2].pk]


def test_ending_public_comment_early_is_refused(
    evaluated_cycle, applications, fake_results, office
):
    from qualityaward.decisions.services import publication as publication_services

    publication = publication_services.results_publish(
        cycle=evaluated_cycle, on=D(2026, 10, 20), actor=office
    )
    assert (publication.first_day, publication.last_day) == (D(2026, 10, 20), D(2026, 11, 30))
    with pytest.raises(QualityAwardError, match=r"Nov\. 30, 2026 at the earliest"):
        publication_services.results_close(
            publication=publication, on=D(2026, 11, 27), actor=office
        )


def test_revoked_award_shows_date_and_reason(
    evaluated_cycle, applications, fake_results, office, members, set_today, client
):
    a = applications
    publish_and_close(evaluated_cycle, office)
    meeting = hold_meeting(
        propose(evaluated_cycle, office, [a["ind_a"]]), office, members, votes={a["ind_a"]: "for"}
    )
    meeting_services.meeting_decide(meeting=meeting, actor=office, on=CLOSED)
    publicity_services.publicity_publish(cycle=evaluated_cycle, on=D(2026, 12, 3), actor=office)
    set_today(D(2026, 12, 15))
    award_services.approval_record(
        cycle=evaluated_cycle,
        document_number="二政字〔2026〕3号",
        approved_on=D(2026, 12, 14),
        actor=office,
    )
    (award,) = award_services.awards_issue(cycle=evaluated_cycle, on=D(2026, 12, 15), actor=office)
    award_services.award_revoke(
        award=award, on=D(2027, 3, 1), reason="发生较大安全事故（第二十九条）", actor=office
    )
    set_today(D(2027, 3, 2))
    body = client.get(f"/decisions/public/verify/{award.serial}/").content.decode()
    assert "2027-03-01" in body and "发生较大安全事故（第二十九条）" in body
    set_today(D(2030, 1, 1))
    award.revoked_on = None
    award.save(update_fields=["revoked_on"])
    body = client.get(f"/decisions/public/verify/{award.serial}/").content.decode()
    assert "已过期" in body or "Expired" in body


def test_unknown_serial_shows_not_found(client, db):
    response = client.get("/decisions/public/verify/EHQA-2026-O-99/")
    assert response.status_code == 404
    assert "EHQA-2026-O-99" in response.content.decode()
    assert (
        "Certificate not found" in response.content.decode()
        or "未找到" in response.content.decode()
    )


def test_archive_lists_every_cycle_with_its_winners_and_status(
    evaluated_cycle, applications, fake_results, office, members, set_today, client
):
    a = applications
    publish_and_close(evaluated_cycle, office)
    meeting = hold_meeting(
        propose(evaluated_cycle, office, [a["org_a"]]), office, members, votes={a["org_a"]: "for"}
    )
    meeting_services.meeting_decide(meeting=meeting, actor=office, on=CLOSED)
    publicity_services.publicity_publish(cycle=evaluated_cycle, on=D(2026, 12, 3), actor=office)
    set_today(D(2026, 12, 15))
    award_services.approval_record(
        cycle=evaluated_cycle, document_number="A-1", approved_on=D(2026, 12, 14), actor=office
    )
    award_services.awards_issue(cycle=evaluated_cycle, on=D(2026, 12, 15), actor=office)
    body = client.get("/decisions/public/archive/").content.decode()
    assert "第三届市长质量奖" in body and "二连浩特市甲口岸物流有限公司" in body
    assert 'href="/decisions/public/verify/EHQA-2026-O-01/"' in body
    assert "二连浩特市乙商贸有限公司" not in body  # ranked but not a winner
