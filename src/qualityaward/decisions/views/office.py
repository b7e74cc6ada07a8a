"""The office's and the working group's pages: one page per cycle with every step, one
page per meeting. Views check permissions and call the services; 404 for what a user
may not see."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import cast

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from qualityaward.accounts.models import User
from qualityaward.applications.models import Application
from qualityaward.core.errors import QualityAwardError
from qualityaward.core.middleware import MAX_ID
from qualityaward.core.versioned_cache import cached_until_change
from qualityaward.cycles.enums import StageCode, stage_article
from qualityaward.cycles.models import Cycle
from qualityaward.documents.downloads import file_response
from qualityaward.documents.services import stored_file_read_record
from qualityaward.rulesets.schema import citation

from .. import clock
from ..enums import CommentOutcome, CommentStatus, ObjectionStatus, VoteChoice, WinnerStatus
from ..forms import HandleCommentForm
from ..models import (
    Award,
    CandidateList,
    ListedCandidate,
    Meeting,
    Objection,
    PublicComment,
    Publicity,
    ResultPublication,
    Vote,
    Winner,
)
from ..ranking import KINDS
from ..selectors.ranking import page_number, ranking_pages
from ..services import awards as award_services
from ..services import meetings as meeting_services
from ..services import publication as publication_services
from ..services import publicity as publicity_services
from ..services import ranking as ranking_services
from ..services.quota import quotas


def _need(request: HttpRequest, perm: str, obj=None) -> None:
    """404 unless the user holds the permission, on the object when one is given (which
    also checks that the object is of an award the user serves)."""
    if not request.user.has_perm(perm, obj):
        raise Http404


def _pks(values: list[str]) -> list[int]:
    """The primary keys among posted values; text and numbers no row can have are left out."""
    return [int(v) for v in values if v.isdecimal() and 0 < int(v) <= MAX_ID]


def _all_pks(values: list[str], refusal: str) -> list[int]:
    """Every posted value as a primary key, or `refusal`: a value left out would change
    what the office chose (fewer members present, a vacancy nobody chose)."""
    pks = _pks(values)
    if len(pks) < len(values):
        raise QualityAwardError(refusal, code="bad_id")
    return pks


def _pk_or_404(value: str) -> int:
    pks = _pks([value])
    if not pks:
        raise Http404
    return pks[0]


def _date(request: HttpRequest, name: str = "on") -> datetime.date:
    value = request.POST.get(name, "")
    try:
        return datetime.date.fromisoformat(value) if value else clock.today()
    except ValueError:
        raise QualityAwardError(_("Enter a date as YYYY-MM-DD.")) from None


def _run(request: HttpRequest, action: Callable[[], object], success: str) -> None:
    try:
        action()
    except QualityAwardError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)


def _one_to_one(obj, name: str):
    """The related row of a reverse one-to-one read with select_related, or None."""
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


RANKING_PAGE_SIZE = 25
# Stands for the CSRF token in a cached page body (see `cycle_page`).
CSRF_PLACEHOLDER = "csrf-token-of-this-request"
COMMENTS_PAGE_SIZE = 20


def _ranking_tables(
    cycle,
    page_numbers: dict[str, str | None],
    *,
    checkable: list[str],
    comments: Callable[[], list[tuple[int, str, str]]],
) -> list[tuple[str, Page, SafeString]]:
    """(kind, page, rendered rows) of each kind's ranking page. The rows are rendered once
    per audited change and shared by every viewer (`cached_until_change`: the key holds the audit
    sequence, so a stage result, a comment's outcome, a proposal or a renamed applicant
    each make a new key); what differs between viewers, the kinds whose rows carry a
    checkbox, is part of the key. `comments`: as `ranking_pages` takes them."""
    numbers = {kind: page_number(page_numbers.get(kind)) for kind in KINDS}

    def build() -> list[tuple[str, int, int, SafeString]]:
        pages = ranking_pages(
            cycle=cycle, page_numbers=numbers, per_page=RANKING_PAGE_SIZE, comments=comments()
        )
        return [
            (
                kind,
                page.paginator.count,
                page.number,
                render_to_string(
                    "decisions/_ranking_rows.html",
                    {"rows": page, "checkable": kind in checkable},
                ),
            )
            for kind, page in pages.items()
        ]

    tables = cached_until_change(
        "cycle_ranking", cycle.pk, numbers, RANKING_PAGE_SIZE, sorted(checkable), build=build
    )
    assert tables is not None
    return [
        (
            kind,
            Paginator(range(count), RANKING_PAGE_SIZE).get_page(number),
            rows,  # as rendered: a SafeString, kept so through the cache's pickling
        )
        for kind, count, number, rows in tables
    ]


@require_GET
def cycle_page(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    _need(request, "decisions.view_cycle")
    # The cycle's approval and results publication (one each at most) come with it; the
    # published list of every applicant is not shown here.
    cycle = get_object_or_404(
        Cycle.objects.select_related(
            "rule_set_version__rule_set", "approval", "result_publication"
        ).defer("result_publication__entries"),
        pk=cycle_pk,
    )
    _need(request, "decisions.view_cycle", cycle)
    can_manage = request.user.has_perm("decisions.manage", cycle)
    can_see_contacts = request.user.has_perm("decisions.view_contacts", cycle)
    today = clock.today()

    def build() -> SafeString:
        publication = _one_to_one(cycle, "result_publication")
        # Every comment of the cycle in a few fields: the count and page of the comments list,
        # and the comments beside the ranking's rows. (No publication, no comments.)
        comment_keys = (
            list(
                PublicComment.objects.filter(publication=publication)
                .order_by("submitted_at", "pk")
                .values_list("pk", "application_id", "status", "outcome")
            )
            if publication
            else []
        )
        winners = list(
            Winner.objects.filter(cycle=cycle)
            .select_related("application__applicant")
            .defer("application__snapshot")
        )
        cycle_quotas = quotas(cycle, winners)
        # Candidates only of a kind whose quota is still open (e.g. after a cancellation).
        quota_open = (
            [q["kind"] for q in cycle_quotas if q["winners"] < q["quota"]] if can_manage else []
        )
        ranking = _ranking_tables(
            cycle,
            {kind: request.GET.get(f"{kind}_page") for kind in KINDS},
            checkable=quota_open,
            comments=lambda: [key[1:] for key in comment_keys],
        )
        keys_page = Paginator(comment_keys, COMMENTS_PAGE_SIZE).get_page(
            request.GET.get("comments_page")
        )
        shown_comments = (
            PublicComment.objects.select_related("application__applicant")
            .only(
                *("name", "contact", "text", "evidence", "status", "outcome", "outcome_text"),
                "application__applicant__name",
            )
            .in_bulk([key[0] for key in keys_page.object_list])
        )
        comments: Page[PublicComment] = Page(
            [shown_comments[key[0]] for key in keys_page.object_list],
            keys_page.number,
            cast(Paginator, keys_page.paginator),
        )
        publicities = list(Publicity.objects.filter(cycle=cycle).prefetch_related("winners"))
        objections = list(
            Objection.objects.filter(publicity__cycle=cycle)
            .select_related("winner__application__applicant")
            .defer("winner__application__snapshot")
            .prefetch_related("evidence", "meetings")
        )
        meetings = list(Meeting.objects.filter(cycle=cycle).order_by("held_on", "pk"))
        approval = _one_to_one(cycle, "approval")
        published = {winner.pk for publicity in publicities for winner in publicity.winners.all()}
        return render_to_string(
            "decisions/_cycle_body.html",
            {
                "cycle": cycle,
                "rules": cycle.rule_set_version.rules,
                # Each step's article, as the cycle's rule set cites it.
                "articles": {
                    code: citation(stage_article(cycle.rule_set_version.rules, code))
                    for code in StageCode.values
                },
                "ranking": ranking,
                "quotas": cycle_quotas,
                # ... and only once there is a ranking to choose from.
                "open_kinds": quota_open
                if any(rows.paginator.count for _, rows, _ in ranking)
                else [],
                # Each step's form while the step can still be taken: a publicity for proposed
                # winners not yet published (again after a cancellation brings in a new one),
                # the awards for approved winners without one. (The publicity's check is
                # `winners_awaiting_publicity` on the winners and publicities read above.)
                "can_publicize": can_manage
                and any(
                    w.status == WinnerStatus.PROPOSED and w.pk not in published for w in winners
                ),
                "can_issue": can_manage
                and approval is not None
                and award_services.winners_awaiting_award(cycle).exists(),
                "publication": publication,
                "comments": comments,
                "outcomes": CommentOutcome.choices,
                "lists": CandidateList.objects.filter(cycle=cycle)
                .defer("ranking_snapshot")
                .prefetch_related(
                    Prefetch(
                        "candidates",
                        ListedCandidate.objects.select_related("application__applicant").defer(
                            "application__snapshot"
                        ),
                    ),
                    "meetings",
                ),
                "meetings": meetings,
                "winners": winners,
                "publicities": publicities,
                "objections": objections,
                "approval": approval,
                "blockers": award_services.blockers_of(
                    winners=winners,
                    publicities=publicities,
                    objections=objections,
                    meetings=meetings,
                    on=today,
                ),
                "awards": Award.objects.filter(cycle=cycle).select_related("applicant"),
                "today": today,
                "can_manage": can_manage,
                "can_see_contacts": can_see_contacts,
                "request": request,
                "csrf_token": CSRF_PLACEHOLDER,
            },
        )

    # The body is the same for every viewer with the same two permissions, on the same day
    # and address, until the next audited change: rendered once, then read from the cache.
    # Only the CSRF token differs between viewers: rendered as a placeholder, put in here.
    query = sorted(request.GET.lists())
    body = cached_until_change(
        "cycle_page", cycle.pk, can_manage, can_see_contacts, today, query, build=build
    )
    assert body is not None
    return render(
        request,
        "decisions/cycle.html",
        # The body was escaped as rendered; the token is Django's own.
        {"cycle": cycle, "body": mark_safe(body.replace(CSRF_PLACEHOLDER, get_token(request)))},  # noqa: S308
    )


def _cycle_for_action(request: HttpRequest, cycle_pk: int) -> Cycle:
    _need(request, "decisions.manage")
    cycle = get_object_or_404(Cycle, pk=cycle_pk)
    _need(request, "decisions.manage", cycle)
    return cycle


@require_POST
def results_publish(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    cycle = _cycle_for_action(request, cycle_pk)
    _run(
        request,
        lambda: publication_services.results_publish(
            cycle=cycle, on=_date(request), actor=request.user
        ),
        _("The results are published for public comment."),
    )
    return redirect("decisions:cycle", cycle_pk=cycle.pk)


@require_POST
def results_close(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    cycle = _cycle_for_action(request, cycle_pk)
    publication = get_object_or_404(ResultPublication, cycle=cycle)
    _run(
        request,
        lambda: publication_services.results_close(
            publication=publication, on=_date(request), actor=request.user
        ),
        _("The comment period is closed."),
    )
    return redirect("decisions:cycle", cycle_pk=cycle.pk)


@require_POST
def comment_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    _need(request, "decisions.manage")
    comment = get_object_or_404(PublicComment.objects.select_related("publication"), pk=pk)
    _need(request, "decisions.manage", comment)
    if "outcome" in request.POST:
        form = HandleCommentForm(request.POST)
        if form.is_valid():
            _run(
                request,
                lambda: publication_services.comment_handle(
                    comment=comment, actor=request.user, **form.cleaned_data
                ),
                _("The outcome is recorded."),
            )
        else:
            messages.error(request, _("Choose an outcome and say how the comment was handled."))
    else:
        _run(
            request,
            lambda: publication_services.comment_moderate(
                comment=comment, status=request.POST.get("status", ""), actor=request.user
            ),
            _("The comment is moderated."),
        )
    return redirect("decisions:cycle", cycle_pk=comment.publication.cycle_id)


@require_GET
def comment_evidence(request: HttpRequest, pk: int) -> FileResponse:
    _need(request, "decisions.manage")
    comment = get_object_or_404(PublicComment.objects.select_related("evidence"), pk=pk)
    _need(request, "decisions.manage", comment)
    if comment.evidence is None:
        raise Http404
    stored_file_read_record(stored_file=comment.evidence, reader=request.user)
    return file_response(stored_file=comment.evidence)


@require_POST
def candidates_propose(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    cycle = _cycle_for_action(request, cycle_pk)

    def propose() -> object:
        ids = _all_pks(
            request.POST.getlist("application"),
            _("The candidates are not proposed: an application id sent is not valid."),
        )
        return ranking_services.candidate_list_propose(
            cycle=cycle,
            application_ids=ids,
            on=_date(request),
            actor=request.user,
            note=request.POST.get("note", ""),
        )

    _run(request, propose, _("The candidate list is proposed to the working group."))
    return redirect("decisions:cycle", cycle_pk=cycle.pk)


@require_POST
def meeting_schedule(request: HttpRequest, list_pk: int) -> HttpResponse:
    _need(request, "decisions.manage")
    candidate_list = get_object_or_404(CandidateList, pk=list_pk)
    _need(request, "decisions.manage", candidate_list)
    _run(
        request,
        lambda: meeting_services.meeting_schedule(
            candidate_list=candidate_list,
            held_on=_date(request, "held_on"),
            agenda=request.POST.get("agenda", ""),
            location=request.POST.get("location", ""),
            actor=request.user,
        ),
        _("The meeting is scheduled."),
    )
    return redirect("decisions:cycle", cycle_pk=candidate_list.cycle_id)


@require_GET
def meeting_page(request: HttpRequest, pk: int) -> HttpResponse:
    _need(request, "decisions.view_meeting")
    meeting = get_object_or_404(
        Meeting.objects.select_related("cycle__rule_set_version", "candidate_list", "objection"),
        pk=pk,
    )
    _need(request, "decisions.view_meeting", meeting)
    members = list(meeting_services.working_group_members(meeting.cycle))
    candidates = list(meeting.candidates.select_related("application__applicant"))
    votes = {(v.member_id, v.application_id): v for v in Vote.objects.filter(meeting=meeting)}
    recusals = {(r.member_id, r.application_id): r for r in meeting.recusals.all()}
    present = set(meeting.attendees.values_list("pk", flat=True))
    grid = [
        {
            "member": member,
            "present": member.pk in present,
            "cells": [
                {
                    "candidate": c,
                    "vote": votes.get((member.pk, c.application_id)),
                    "recusal": recusals.get((member.pk, c.application_id)),
                }
                for c in candidates
            ],
        }
        for member in members
    ]
    comments = PublicComment.objects.filter(
        publication__cycle=meeting.cycle,
        application_id__in=[c.application_id for c in candidates],
        status=CommentStatus.ACCEPTED,
    ).select_related("application__applicant")
    user = cast(User, request.user)  # every page requires login
    return render(
        request,
        "decisions/meeting.html",
        {
            "meeting": meeting,
            "candidates": candidates,
            "grid": grid,
            "members": members,
            "tally": meeting.tally
            if meeting.is_decided
            else meeting_services.meeting_tally(meeting),
            "comments": comments,
            "choices": VoteChoice.choices,
            "can_manage": request.user.has_perm("decisions.manage", meeting),
            "can_vote": request.user.has_perm("decisions.cast_own_vote", meeting),
            "can_record": request.user.has_perm("decisions.record_votes", meeting),
            "is_member": user.pk in {m.pk for m in members},
            "user_present": user.pk in present,
            # The user's own vote and recusal on each candidate, for the "Your vote" forms.
            "ballot": [
                {
                    "candidate": c,
                    "vote": votes.get((user.pk, c.application_id)),
                    "recusal": recusals.get((user.pk, c.application_id)),
                }
                for c in candidates
            ],
        },
    )


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    _need(request, "decisions.view_meeting")
    meeting = get_object_or_404(Meeting, pk=pk)
    _need(request, "decisions.view_meeting", meeting)
    return meeting


@require_POST
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    _need(request, "decisions.manage", meeting)

    def record() -> object:
        refusal = _("Attendance is not recorded: a member id sent is not valid.")
        ids = _all_pks(request.POST.getlist("present"), refusal)
        users = list(get_user_model().objects.filter(pk__in=ids))
        if len(users) < len(set(ids)):  # an id no user has
            raise QualityAwardError(refusal, code="bad_id")
        return meeting_services.attendance_record(
            meeting=meeting, present=users, actor=request.user
        )

    _run(request, record, _("Attendance is recorded."))
    return redirect("decisions:meeting", pk=pk)


def _member_and_application(request: HttpRequest) -> tuple[User | AnonymousUser, Application]:
    """The member a recusal or vote is for (the posted one, else the user) and the
    application it concerns; 404 when either does not exist."""
    member_id = request.POST.get("member", "")
    member = (
        get_object_or_404(get_user_model(), pk=_pk_or_404(member_id)) if member_id else request.user
    )
    application = get_object_or_404(Application, pk=_pk_or_404(request.POST.get("application", "")))
    return member, application


@require_POST
def meeting_recusal(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    member, application = _member_and_application(request)
    _run(
        request,
        lambda: meeting_services.recusal_record(
            meeting=meeting,
            member=member,
            application=application,
            reason=request.POST.get("reason", ""),
            actor=request.user,
        ),
        _("The recusal is recorded."),
    )
    return redirect("decisions:meeting", pk=pk)


@require_POST
def meeting_vote(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    member, application = _member_and_application(request)
    _run(
        request,
        lambda: meeting_services.vote_cast(
            meeting=meeting,
            member=member,
            application=application,
            choice=request.POST.get("choice", ""),
            actor=request.user,
        ),
        _("The vote is recorded."),
    )
    return redirect("decisions:meeting", pk=pk)


@require_POST
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    _need(request, "decisions.manage", meeting)
    _run(
        request,
        lambda: meeting_services.minutes_record(
            meeting=meeting,
            minutes=request.POST.get("minutes", ""),
            upload=request.FILES.get("minutes_file"),
            actor=request.user,
        ),
        _("The minutes are saved."),
    )
    return redirect("decisions:meeting", pk=pk)


@require_POST
def meeting_decide(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    _need(request, "decisions.manage", meeting)
    _run(
        request,
        lambda: meeting_services.meeting_decide(
            meeting=meeting, actor=request.user, on=_date(request)
        ),
        _("The decision is recorded."),
    )
    return redirect("decisions:meeting", pk=pk)


@require_GET
def meeting_minutes_file(request: HttpRequest, pk: int) -> FileResponse:
    meeting = _meeting(request, pk)
    if meeting.minutes_file is None:
        raise Http404
    return file_response(stored_file=meeting.minutes_file)


@require_POST
def publicity_publish(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    cycle = _cycle_for_action(request, cycle_pk)
    _run(
        request,
        lambda: publicity_services.publicity_publish(
            cycle=cycle, on=_date(request), actor=request.user
        ),
        _("The proposed winners are published."),
    )
    return redirect("decisions:cycle", cycle_pk=cycle.pk)


@require_POST
def objection_decide(request: HttpRequest, pk: int) -> HttpResponse:
    _need(request, "decisions.manage")
    objection = get_object_or_404(Objection.objects.select_related("publicity"), pk=pk)
    _need(request, "decisions.manage", objection)
    decision = request.POST.get("decision", "")
    if decision not in (ObjectionStatus.SUBSTANTIATED, ObjectionStatus.DISMISSED):
        messages.error(request, _("Choose whether the objection is substantiated or dismissed."))
    else:
        _run(
            request,
            lambda: publicity_services.objection_decide(
                objection=objection,
                substantiated=decision == ObjectionStatus.SUBSTANTIATED,
                findings=request.POST.get("findings", ""),
                actor=request.user,
            ),
            _("The outcome of the investigation is recorded."),
        )
    return redirect("decisions:cycle", cycle_pk=objection.publicity.cycle_id)


@require_POST
def cancellation_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    _need(request, "decisions.manage")
    objection = get_object_or_404(Objection.objects.select_related("publicity"), pk=pk)
    _need(request, "decisions.manage", objection)
    _run(
        request,
        lambda: meeting_services.cancellation_meeting_schedule(
            objection=objection,
            held_on=_date(request, "held_on"),
            agenda=request.POST.get("agenda", ""),
            actor=request.user,
        ),
        _("The meeting on the cancellation is scheduled."),
    )
    return redirect("decisions:cycle", cycle_pk=objection.publicity.cycle_id)


@require_GET
def objection_evidence(request: HttpRequest, pk: int, file_pk: str) -> FileResponse:
    _need(request, "decisions.manage")
    objection = get_object_or_404(Objection, pk=pk)
    _need(request, "decisions.manage", objection)
    stored = objection.evidence.filter(pk=file_pk).first()
    if stored is None:
        raise Http404
    stored_file_read_record(stored_file=stored, reader=request.user)
    return file_response(stored_file=stored)


@require_POST
def approval_record(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    cycle = _cycle_for_action(request, cycle_pk)
    _run(
        request,
        lambda: award_services.approval_record(
            cycle=cycle,
            document_number=request.POST.get("document_number", ""),
            approved_on=_date(request, "approved_on"),
            upload=request.FILES.get("document"),
            actor=request.user,
        ),
        _("The government's approval is recorded."),
    )
    return redirect("decisions:cycle", cycle_pk=cycle.pk)


@require_POST
def awards_issue(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    cycle = _cycle_for_action(request, cycle_pk)
    _run(
        request,
        lambda: award_services.awards_issue(cycle=cycle, on=_date(request), actor=request.user),
        _("The awards are issued."),
    )
    return redirect("decisions:cycle", cycle_pk=cycle.pk)


@require_POST
def plaque_deliver(request: HttpRequest, pk: int) -> HttpResponse:
    _need(request, "decisions.manage")
    award = get_object_or_404(Award, pk=pk)
    _need(request, "decisions.manage", award)
    _run(
        request,
        lambda: award_services.plaque_deliver(award=award, on=_date(request), actor=request.user),
        _("The plaque is recorded as delivered."),
    )
    return redirect("decisions:cycle", cycle_pk=award.cycle_id)


@require_GET
def certificate(request: HttpRequest, pk: int) -> FileResponse:
    award = get_object_or_404(
        Award.objects.select_related("certificate", "applicant").prefetch_related(
            "applicant__users"
        ),
        pk=pk,
    )
    _need(request, "decisions.view_certificate", award)
    if award.certificate is None:
        raise Http404
    return file_response(stored_file=award.certificate, as_attachment=False)
