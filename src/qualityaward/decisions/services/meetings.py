"""The working group's meeting (A21): schedule, attendance, recusals (A25), votes,
minutes and the decision (A3 quota, A22 cancellation).

Voting rule: a candidate is approved when more than half of the members present and not
recused on it vote for it (`ranking.approved_by_vote`). Quorum per candidate: the
members present and not recused must reach `working_group_quorum_fraction` of all
members not recused on it."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qualityaward.accounts.enums import Role
from qualityaward.accounts.scoping import holders
from qualityaward.core.audit import audit_append
from qualityaward.core.errors import Conflict, NotAllowed, QualityAwardError
from qualityaward.cycles.enums import StageCode
from qualityaward.documents.enums import PDF_ONLY
from qualityaward.documents.services import stored_file_create

from ..enums import MeetingPurpose, MeetingStatus, ObjectionStatus, VoteChoice, WinnerStatus
from ..models import CandidateList, Meeting, MeetingCandidate, Objection, Recusal, Vote, Winner
from ..ranking import approved_by_vote, quorum_needed
from ._common import clean_text, require, stage_ended, stage_started, user_or_none
from .ranking import quota_of

TEXT_MAX = 20000
PLACE_MAX = 200  # Meeting.location
REASON_MAX = 300  # Recusal.reason


def working_group_members(cycle):
    """Every active user holding the working-group role for the cycle's award."""
    return holders(Role.WORKING_GROUP, cycle).order_by("display_name", "username")


def _conflict_checker():
    """evaluation.rules.has_conflict (recorded staff and expert interests), if present."""
    try:
        from qualityaward.evaluation.rules import has_conflict
    except ImportError:  # pragma: no cover - the evaluation app is installed
        return None
    return has_conflict


def _auto_recusals(meeting: Meeting, actor) -> None:
    check = _conflict_checker()
    if check is None:
        return
    for member in working_group_members(meeting.cycle):
        for candidate in meeting.candidates.select_related("application__applicant"):
            if check(member, candidate.application.applicant):
                Recusal.objects.get_or_create(
                    meeting=meeting,
                    member=member,
                    application=candidate.application,
                    defaults={
                        "reason": _("Interest recorded in the conflicts register"),
                        "recorded_by": user_or_none(actor),
                    },
                )


def _create(*, cycle, purpose, held_on, agenda, location, actor, **links) -> Meeting:
    agenda = (agenda or "").strip()
    if not agenda:
        raise QualityAwardError(_("Write the agenda."), code="agenda")
    agenda = clean_text(agenda, label=_("Agenda"), limit=TEXT_MAX, required=False)
    location = clean_text(location, label=_("Place"), limit=PLACE_MAX, required=False)
    if Meeting.objects.filter(cycle=cycle, status=MeetingStatus.SCHEDULED).exists():
        raise Conflict(
            _("A meeting of this cycle is still open; record its decision first."),
            code="meeting_open",
        )
    return Meeting.objects.create(
        cycle=cycle, purpose=purpose, held_on=held_on, agenda=agenda, location=location, **links
    )


@transaction.atomic
def meeting_schedule(
    *, candidate_list: CandidateList, held_on: datetime.date, agenda: str, actor, location: str = ""
) -> Meeting:
    """A meeting to decide the proposed winners from a candidate list."""
    require(actor, "decisions.manage")
    cycle = candidate_list.cycle
    if Meeting.objects.filter(candidate_list=candidate_list).exists():
        raise Conflict(_("This candidate list already has its meeting."), code="scheduled")
    stage_started(cycle=cycle, code=StageCode.WORKING_GROUP, on=held_on, actor=actor)
    meeting = _create(
        cycle=cycle,
        purpose=MeetingPurpose.AWARD,
        held_on=held_on,
        agenda=agenda,
        location=location,
        actor=actor,
        candidate_list=candidate_list,
    )
    MeetingCandidate.objects.bulk_create(
        MeetingCandidate(
            meeting=meeting,
            application_id=c.application_id,
            kind=c.kind,
            rank=c.rank,
            weighted_total=c.weighted_total,
        )
        for c in candidate_list.candidates.all()
    )
    _auto_recusals(meeting, actor)
    audit_append(
        actor=actor,
        action="decisions.meeting_schedule",
        obj=meeting,
        changes={"candidate_list": candidate_list.pk, "held_on": held_on},
    )
    return meeting


@transaction.atomic
def cancellation_meeting_schedule(
    *, objection: Objection, held_on: datetime.date, agenda: str, actor, location: str = ""
) -> Meeting:
    """A22: after a substantiated objection, the working group decides on cancelling."""
    require(actor, "decisions.manage")
    objection = Objection.objects.select_related("winner", "publicity__cycle").get(pk=objection.pk)
    if objection.status != ObjectionStatus.SUBSTANTIATED:
        raise QualityAwardError(
            _("Only a substantiated objection leads to a cancellation decision."),
            code="not_substantiated",
        )
    winner = objection.winner
    if winner.status != WinnerStatus.PROPOSED:
        raise Conflict(_("This winner is no longer a proposed winner."), code="winner_status")
    meeting = _create(
        cycle=winner.cycle,
        purpose=MeetingPurpose.CANCELLATION,
        held_on=held_on,
        agenda=agenda,
        location=location,
        actor=actor,
        objection=objection,
    )
    MeetingCandidate.objects.create(
        meeting=meeting,
        application=winner.application,
        kind=winner.kind,
        rank=winner.rank,
        weighted_total=winner.weighted_total,
    )
    _auto_recusals(meeting, actor)
    audit_append(
        actor=actor,
        action="decisions.cancellation_meeting_schedule",
        obj=meeting,
        changes={"objection": objection.pk, "winner": winner.pk, "held_on": held_on},
    )
    return meeting


def _open_meeting(meeting: Meeting) -> Meeting:
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.status != MeetingStatus.SCHEDULED:
        raise Conflict(_("The meeting has decided; nothing can change now."), code="decided")
    return locked


def _is_member(user, meeting: Meeting) -> bool:
    return working_group_members(meeting.cycle).filter(pk=user.pk).exists()


@transaction.atomic
def attendance_record(*, meeting: Meeting, present: Iterable, actor) -> Meeting:
    """Who of the working group is present (office staff record it)."""
    require(actor, "decisions.manage")
    locked = _open_meeting(meeting)
    present = list(present)
    outsiders = [user for user in present if not _is_member(user, locked)]
    if outsiders:
        raise QualityAwardError(
            _("Only working-group members can be recorded as present: %(names)s.")
            % {"names": ", ".join(str(u) for u in outsiders)},
            code="not_member",
        )
    locked.attendees.set(present)
    audit_append(
        actor=actor,
        action="decisions.attendance_record",
        obj=locked,
        changes={"present": sorted(u.pk for u in present)},
    )
    return locked


@transaction.atomic
def recusal_record(*, meeting: Meeting, member, application, reason: str, actor) -> Recusal:
    """A member recuses from a candidate (by the member or recorded by the office)."""
    locked = _open_meeting(meeting)
    is_self = getattr(actor, "is_authenticated", False) and actor.pk == member.pk
    if not is_self:
        require(actor, "decisions.manage")
    if not _is_member(member, locked):
        raise QualityAwardError(_("Only a working-group member recuses."), code="not_member")
    if not locked.candidates.filter(application=application).exists():
        raise QualityAwardError(_("This applicant is not on the agenda."), code="not_candidate")
    reason = clean_text(reason, label=_("Reason"), limit=REASON_MAX, required=False)
    if not reason:
        raise QualityAwardError(_("State the interest."), code="reason")
    recusal, created = Recusal.objects.get_or_create(
        meeting=locked,
        member=member,
        application=application,
        defaults={"reason": reason, "recorded_by": user_or_none(actor)},
    )
    if created:
        Vote.objects.filter(meeting=locked, member=member, application=application).delete()
        audit_append(
            actor=actor,
            action="decisions.recusal_record",
            obj=recusal,
            changes={"member": member.pk, "application": application.pk, "reason": reason},
        )
    return recusal


@transaction.atomic
def vote_cast(*, meeting: Meeting, member, application, choice: str, actor) -> Vote:
    """A member's vote on a candidate, cast by the member or recorded by the office."""
    locked = _open_meeting(meeting)
    is_self = getattr(actor, "is_authenticated", False) and actor.pk == member.pk
    if is_self:
        require(actor, "decisions.cast_own_vote", locked)
    else:
        require(actor, "decisions.record_votes", locked)
    if choice not in VoteChoice.values:
        raise QualityAwardError(_("Vote for, against or abstain."), code="choice")
    if not _is_member(member, locked):
        raise NotAllowed(_("Only working-group members vote."))
    if not locked.attendees.filter(pk=member.pk).exists():
        raise QualityAwardError(
            _("%(member)s is not recorded as present at the meeting.") % {"member": member},
            code="absent",
        )
    if not locked.candidates.filter(application=application).exists():
        raise QualityAwardError(_("This applicant is not on the agenda."), code="not_candidate")
    check = _conflict_checker()
    if Recusal.objects.filter(meeting=locked, member=member, application=application).exists() or (
        check is not None and check(member, application.applicant)
    ):
        raise QualityAwardError(
            _("%(member)s has recused from %(candidate)s and cannot vote on it (Article 25).")
            % {"member": member, "candidate": application.applicant.name},
            code="recused",
        )
    vote, _created = Vote.objects.update_or_create(
        meeting=locked,
        member=member,
        application=application,
        defaults={"choice": choice, "recorded_by": user_or_none(actor)},
    )
    audit_append(
        actor=actor,
        action="decisions.vote_cast",
        obj=vote,
        changes={"member": member.pk, "application": application.pk, "choice": choice},
    )
    return vote


@transaction.atomic
def minutes_record(
    *, meeting: Meeting, minutes: str, actor, upload: UploadedFile | None = None
) -> Meeting:
    require(actor, "decisions.manage")
    locked = _open_meeting(meeting)
    minutes = clean_text(minutes, label=_("Minutes"), limit=TEXT_MAX, required=False)
    locked.minutes = minutes
    fields = ["minutes", "updated_at"]
    if upload is not None:
        locked.minutes_file = stored_file_create(
            upload=upload, allowed=set(PDF_ONLY), uploaded_by=actor, owner=locked
        )
        fields.append("minutes_file")
    locked.save(update_fields=fields)
    audit_append(
        actor=actor,
        action="decisions.minutes_record",
        obj=locked,
        changes={"length": len(minutes), "file": str(locked.minutes_file_id or "")},
    )
    return locked


def meeting_tally(meeting: Meeting, *, members_total: int | None = None) -> list[dict]:
    """Per candidate: votes, recusals, quorum and whether it is approved."""
    members = list(working_group_members(meeting.cycle).values_list("pk", flat=True))
    total = members_total if members_total is not None else len(members)
    fraction = meeting.cycle.rule_set_version.rules.working_group_quorum_fraction.value
    present = set(meeting.attendees.values_list("pk", flat=True))
    rows = []
    for candidate in meeting.candidates.select_related("application__applicant"):
        recused = set(
            Recusal.objects.filter(meeting=meeting, application=candidate.application).values_list(
                "member_id", flat=True
            )
        )
        eligible_present = len(present - recused)
        eligible_total = total - len(recused & set(members))
        needed = quorum_needed(members=eligible_total, fraction=fraction)
        votes = list(
            Vote.objects.filter(meeting=meeting, application=candidate.application)
            .exclude(member_id__in=recused)
            .values_list("choice", flat=True)
        )
        votes_for = votes.count(VoteChoice.FOR)
        quorate = eligible_present >= needed and eligible_present > 0
        rows.append(
            {
                "application_id": candidate.application_id,
                "name": candidate.application.applicant.name,
                "kind": candidate.kind,
                "rank": candidate.rank,
                "for": votes_for,
                "against": votes.count(VoteChoice.AGAINST),
                "abstain": votes.count(VoteChoice.ABSTAIN),
                "recused": len(recused),
                "present": eligible_present,
                "members": eligible_total,
                "quorum": needed,
                "quorate": quorate,
                "approved": quorate
                and approved_by_vote(votes_for=votes_for, present_not_recused=eligible_present),
            }
        )
    return rows


@transaction.atomic
def meeting_decide(*, meeting: Meeting, actor, on: datetime.date) -> Meeting:
    """Record the decision. Refused without quorum, without minutes, or above the
    quota of Article 3."""
    require(actor, "decisions.manage")
    locked = _open_meeting(meeting)
    if not locked.minutes:
        raise QualityAwardError(_("Record the minutes before the decision."), code="minutes")
    tally = meeting_tally(locked)
    inquorate = [row["name"] for row in tally if not row["quorate"]]
    if inquorate:
        raise QualityAwardError(
            _(
                "The meeting has no quorum for %(names)s: at least %(fraction)s of the members "
                "not recused must be present."
            )
            % {
                "names": ", ".join(inquorate),
                "fraction": locked.cycle.rule_set_version.rules.working_group_quorum_fraction,
            },
            code="no_quorum",
        )
    cycle = locked.cycle
    rules = cycle.rule_set_version.rules
    candidates = {c.application_id: c for c in locked.candidates.all()}
    if locked.purpose == MeetingPurpose.AWARD:
        for kind in ("organisation", "individual"):
            approved = [row for row in tally if row["approved"] and row["kind"] == kind]
            existing = Winner.objects.filter(
                cycle=cycle, kind=kind, status__in=[WinnerStatus.PROPOSED, WinnerStatus.APPROVED]
            ).count()
            quota = quota_of(rules, kind)
            if existing + len(approved) > quota:
                raise QualityAwardError(
                    ngettext(
                        "The decision names %(count)s winner of this kind (%(kind)s) but "
                        "the quota (%(source)s) allows at most %(quota)s per cycle.",
                        "The decision names %(count)s winners of this kind (%(kind)s) but "
                        "the quota (%(source)s) allows at most %(quota)s per cycle.",
                        existing + len(approved),
                    )
                    % {
                        "count": existing + len(approved),
                        "kind": _("organisations") if kind == "organisation" else _("individuals"),
                        "source": (
                            rules.quota_organisation
                            if kind == "organisation"
                            else rules.quota_individual
                        ).source,
                        "quota": quota,
                    },
                    code="quota",
                )
        for row in tally:
            if row["approved"]:
                c = candidates[row["application_id"]]
                Winner.objects.create(
                    cycle=cycle,
                    application_id=c.application_id,
                    kind=c.kind,
                    rank=c.rank,
                    weighted_total=c.weighted_total,
                    decided_in=locked,
                )
    else:
        objection = locked.objection
        for row in tally:
            if row["approved"]:
                winner = Winner.objects.select_for_update().get(
                    cycle=cycle, application_id=row["application_id"]
                )
                winner.status = WinnerStatus.CANCELLED
                winner.cancelled_in = locked
                winner.cancellation_reason = objection.findings if objection else ""
                winner.save(
                    update_fields=["status", "cancelled_in", "cancellation_reason", "updated_at"]
                )
    for candidate in candidates.values():
        candidate.approved = next(
            row["approved"] for row in tally if row["application_id"] == candidate.application_id
        )
        candidate.save(update_fields=["approved"])
    locked.status = MeetingStatus.DECIDED
    locked.tally = tally
    locked.members_total = working_group_members(locked.cycle).count()
    locked.decided_at = timezone.now()
    locked.decided_by = user_or_none(actor)
    locked.save(
        update_fields=[
            "status",
            "tally",
            "members_total",
            "decided_at",
            "decided_by",
            "updated_at",
        ]
    )
    if locked.purpose == MeetingPurpose.AWARD:
        stage_ended(cycle=cycle, code=StageCode.WORKING_GROUP, on=on, actor=actor)
    audit_append(
        actor=actor,
        action="decisions.meeting_decide",
        obj=locked,
        changes={"purpose": locked.purpose, "tally": tally},
    )
    return locked
