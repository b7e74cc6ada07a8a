"""The second award in the browser, with no code of its own: the office opens a cycle of
the Inner Mongolia Chairman's Quality Award beside Erenhot's, publishes its call; a
person is refused (organisations only); an organisation applies; an expert scores it in
the award's first stage; the office publishes the results, sees the ranking of five
candidates (the sixth stopped before the site visit) and proposes all five; the public
sees the five proposed winners for the award's 10 working days of publicity.

The other five applications, the other experts' scores, the review and the working
group's vote go through the services (the browser walk of those steps is
test_full_cycle.py). Screenshots: var/e2e/second-award-NN-<step>.png."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from qualityaward.accounts.enums import Role
from qualityaward.applications.services import applications as application_services
from qualityaward.applications.services import reviews as review_services
from qualityaward.applications.services.applications import kind_not_awarded
from qualityaward.cycles.enums import StageCode
from qualityaward.cycles.models import Cycle
from qualityaward.cycles.services import stage_end, stage_start
from qualityaward.decisions.models import CandidateList, Publicity, ResultPublication
from qualityaward.decisions.services import meetings as meeting_services
from qualityaward.decisions.services import publication as publication_services
from qualityaward.evaluation.models import Panel, PanelMember
from qualityaward.evaluation.services import panels as panel_services
from qualityaward.evaluation.services import scoring
from qualityaward.rulesets.schema import citation
from qualityaward.rulesets.services import demo_version_create, preset_load
from qualityaward.workdays import calendar

from ..applications.factories import (
    IndividualFactory,
    OrganisationFactory,
    applicant_user,
    ready_application,
    results_for,
)
from ..evaluation.factories import procured_agency, score_member
from ..factories import UserFactory
from .conftest import expect_message, submit, zh
from .test_full_cycle import (  # noqa: F401
    apply,
    calendar_through,
    form,
    media,
    publish_call,
    score,
    set_today,
)

pytestmark = pytest.mark.django_db(transaction=True)

BROWSER_ORG = "内蒙古草原乳业有限公司"
# The other organisations and their percentages; the last stays below the 600 points
# the site visit needs.
OTHERS = [("内蒙古稀土材料有限公司", 75), ("内蒙古风电装备有限公司", 70)]
OTHERS += [("内蒙古煤化工有限公司", 65), ("内蒙古绒纺有限公司", 60), ("内蒙古建材有限公司", 55)]


def finish_stage(cycle, stage_code: str, percent_of: dict[int, int], *, skip=()) -> None:
    """Every member not in `skip` confirms and scores every item at the application's
    percentage; the lead completes the consensus at the panel's default."""
    for panel in Panel.objects.filter(cycle=cycle, stage=stage_code).select_related("lead__user"):
        for member in panel.members.select_related("expert__user", "panel"):
            if member.pk in skip:
                continue
            panel_services.member_confirm_no_conflict(member=member, actor=member.expert.user)
            score_member(member, default=percent_of[panel.application_id])
        entries = {
            row.item.pk: scoring.ConsensusEntry(percent=row.default, reason="")
            for row in scoring.consensus_rows(panel=panel)
        }
        scoring.consensus_save(panel=panel, entries=entries, actor=panel.lead.user, complete=True)


def test_second_award_cycle_in_the_browser(sessions, shot, media, set_today):  # noqa: F811
    n = iter(range(1, 100))

    def shots(page, step):
        shot(page, f"second-award-{next(n):02d}-{step}")

    base = sessions.base_url
    cache.clear()  # the public forms' rate limit
    today = timezone.localdate()
    calendar_through(today.year + 1)
    preset_load(name="erenhot-2021", actor="test")
    demo_version_create(actor="test")  # Erenhot's award is there too
    version = preset_load(name="inner-mongolia-2025", actor="test").version
    office_user = UserFactory(
        username="office", display_name="自治区质量奖办公室", roles=[Role.OFFICE]
    )
    office = sessions.of("office")

    # 1. The office opens the first cycle of the second award.
    office.goto(f"{base}{reverse('cycles:list')}")
    office.select_option("#id_version", str(version.pk))
    office.fill("#id_number", "1")
    office.fill("#id_name", "第一届内蒙古自治区主席质量奖")
    office.fill("#id_start_date", today.isoformat())
    submit(office, office.locator("main form:has(#id_version) button[type=submit]"))
    expect_message(office, zh("The cycle is open."))
    cycle = Cycle.objects.get(rule_set_version=version)
    shots(office, "cycle")

    # 2. The call, drafted from this award's rules, is published.
    call = publish_call(office, base, cycle)
    call.refresh_from_db()

    # 3. A person is refused: this award makes no awards to individuals.
    person = applicant_user(username="person", display_name="其其格")
    individual = IndividualFactory(name="其其格", users=[person])
    page = sessions.of("person")
    page.goto(f"{base}{reverse('applications:mine')}")
    with translation.override("zh-hans"):
        refusal = kind_not_awarded(version=version, applicant=individual)
    expect(page.locator("main .qa-kind-refusal")).to_have_text(refusal)
    expect(page.locator("main .qa-kind-refusal")).to_contain_text(
        zh("Awards to individuals per cycle (at most)")
    )
    expect(form(page, reverse("applications:apply", args=[call.pk]))).to_have_count(0)
    # Posting anyway (an old tab) is refused by the service, naming the rule.
    token = page.locator("[name=csrfmiddlewaretoken]").first.input_value()
    answer = page.request.post(
        f"{base}{reverse('applications:apply', args=[call.pk])}",
        form={"applicant": str(individual.pk), "csrfmiddlewaretoken": token},
        headers={"Referer": page.url},
        max_redirects=0,
    )
    assert answer.status == 302
    page.goto(f"{base}{reverse('applications:mine')}")
    expect_message(page, refusal)
    shots(page, "individual-refused")

    # 4. An organisation applies in the browser; five more through the services.
    user = applicant_user(username="nm", display_name="草原乳业 王经理")
    organisation = OrganisationFactory(name=BROWSER_ORG, users=[user])
    results_for(organisation, today)
    applied = apply(sessions.of("nm"), base, call, percent=80, evidence=False)
    shots(sessions.of("nm"), "application")
    applications = [applied]
    for name, percent in OTHERS:
        other_user = applicant_user()
        other, _ = ready_application(
            call,
            user=other_user,
            organisation=OrganisationFactory(name=name, users=[other_user]),
            percent=percent,
        )
        application_services.application_submit(application=other, actor=other_user)
        applications.append(other)
    percent_of = dict(zip([a.pk for a in applications], [80] + [p for _, p in OTHERS], strict=True))
    for application in applications:
        application.refresh_from_db()
        review_services.review_pass(application=application, actor=office_user)
    call_end = call.deadline
    evaluation_start = calendar.action_deadline(call_end, 2)
    evaluation_end = calendar.action_deadline(evaluation_start, 5)
    stage_end(cycle=cycle, code=StageCode.CALL, on=call_end, actor="test")
    stage_start(cycle=cycle, code=StageCode.QUALIFICATION_REVIEW, on=call_end, actor="test")
    stage_end(cycle=cycle, code=StageCode.QUALIFICATION_REVIEW, on=evaluation_start, actor="test")
    stage_start(cycle=cycle, code=StageCode.EVALUATION, on=evaluation_start, actor="test")

    # 5. The document review: an expert scores the browser's application in the browser.
    _agency, coordinator, _experts = procured_agency(cycle, experts=8)
    panel_services.panels_assign(cycle=cycle, stage_code="document_review", actor=coordinator)
    panel = Panel.objects.get(cycle=cycle, stage="document_review", application=applied)
    assert panel.members.count() == 5  # this award's panel of five
    member = panel.members.select_related("expert__user").exclude(expert=panel.lead).first()
    expert_page = sessions.of(member.expert.user.username)
    expert_page.goto(f"{base}{reverse('evaluation:my_assignments')}")
    expect(expert_page.locator("main")).to_contain_text(zh("Document review"))
    submit(expert_page, expert_page.get_by_role("link", name=BROWSER_ORG))
    score(expert_page, [80] * 23)
    shots(expert_page, "scoring")
    assert PanelMember.objects.get(pk=member.pk).submitted_at is not None
    finish_stage(cycle, "document_review", percent_of, skip={member.pk})
    panel_services.panels_assign(cycle=cycle, stage_code="site_visit", actor=coordinator)
    assert Panel.objects.filter(cycle=cycle, stage="site_visit").count() == 5
    finish_stage(cycle, "site_visit", percent_of)
    stage_end(cycle=cycle, code=StageCode.EVALUATION, on=evaluation_end, actor="test")

    # 6. The office publishes the results, closes the comment period and sees the ranking.
    cycle_url = f"{base}{reverse('decisions:cycle', args=[cycle.pk])}"
    office.goto(cycle_url)
    publish = form(office, reverse("decisions:results_publish", args=[cycle.pk]))
    publish.locator("input[name=on]").fill(evaluation_end.isoformat())
    submit(office, publish.locator("button"))
    expect_message(office, zh("The results are published for public comment."))
    publication = ResultPublication.objects.get(cycle=cycle)
    assert publication.last_day == calendar.publication_period(evaluation_end, 15)[1]
    closed_on = calendar.action_deadline(publication.last_day, 1)
    publication_services.results_close(publication=publication, on=closed_on, actor=office_user)
    office.goto(cycle_url)
    with translation.override("zh-hans"):
        heading = zh("1. Results for public comment (%(article)s)", article=citation(16))
    expect(office.locator("main h2").first).to_have_text(heading)  # this award's article
    rows = office.locator("main tr:has(input[name=application])")
    expect(rows).to_have_count(5)
    for rank, application in enumerate(applications[:5], start=1):
        row = office.locator(f"tr:has(input[name=application][value='{application.pk}'])")
        expect(row.locator("td").nth(1)).to_have_text(str(rank))
    stopped = office.locator("main tr").filter(has_text=OTHERS[-1][0])
    expect(stopped.locator("td").nth(1)).to_have_text("—")
    shots(office, "ranking")

    # 7. The office proposes all five; the working group approves them (services).
    for application in applications[:5]:
        office.locator(f"input[name=application][value='{application.pk}']").check()
    propose = form(office, reverse("decisions:propose", args=[cycle.pk]))
    propose.locator("input[name=on]").fill(closed_on.isoformat())
    submit(office, propose.locator("button"))
    expect_message(office, zh("The candidate list is proposed to the working group."))
    candidate_list = CandidateList.objects.get(cycle=cycle)
    members = [UserFactory(roles=[Role.WORKING_GROUP]) for _ in range(3)]
    meeting = meeting_services.meeting_schedule(
        candidate_list=candidate_list, held_on=closed_on, agenda="审议候选名单", actor=office_user
    )
    meeting_services.attendance_record(meeting=meeting, present=members, actor=office_user)
    for member_user in members:
        for application in applications[:5]:
            meeting_services.vote_cast(
                meeting=meeting,
                member=member_user,
                application=application,
                choice="for",
                actor=member_user,
            )
    meeting_services.minutes_record(meeting=meeting, minutes="全票通过。", actor=office_user)
    meeting_services.meeting_decide(meeting=meeting, actor=office_user, on=closed_on)

    # 8. Publicity for this award's 10 working days; the public sees the five.
    publicity_on = calendar.action_deadline(closed_on, 1)
    set_today(publicity_on)
    office.goto(cycle_url)
    publish = form(office, reverse("decisions:publicity_publish", args=[cycle.pk]))
    publish.locator("input[name=on]").fill(publicity_on.isoformat())
    submit(office, publish.locator("button"))
    expect_message(office, zh("The proposed winners are published."))
    publicity = Publicity.objects.get(cycle=cycle)
    assert publicity.last_day == calendar.publication_period(publicity_on, 10)[1]
    assert publicity.last_day != calendar.publication_period(publicity_on, 7)[1]
    public = sessions.public()
    public.goto(f"{base}/")
    submit(
        public,
        public.locator(f'a[href="{reverse("decisions:public_publicity", args=[publicity.pk])}"]'),
    )
    main = public.locator("main")
    for application in applications[:5]:
        expect(main).to_contain_text(application.applicant.name)
    expect(main).not_to_contain_text(OTHERS[-1][0])
    expect(main).to_contain_text(publicity.last_day.isoformat())
    shots(public, "publicity")
