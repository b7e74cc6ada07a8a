"""Words with more than one meaning get a Chinese translation that fits each use, and
counted things read right in English and Chinese (pgettext contexts, ngettext plurals)."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from qualityaward.accounts.enums import Role
from qualityaward.evaluation.models import OrganisationGroup

from .evaluation.factories import ExpertFactory, make_panel, qualified_application
from .factories import UserFactory

pytestmark = pytest.mark.django_db


def page(user, url: str, language: str = "zh-hans") -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_members_of_a_panel_and_of_a_group_of_companies_read_differently(cycle):
    office = UserFactory(roles=[Role.OFFICE])
    panel = make_panel(qualified_application(cycle), [ExpertFactory()])
    panel_page = page(office, reverse("evaluation:panel", args=[panel.pk]))
    assert "评审组成员" in panel_page
    with translation.override("zh-hans"):
        method = str(panel.members.get().get_method_display())
    assert f'<span class="text-secondary">（{method}）</span>' in panel_page
    group = OrganisationGroup.objects.create(name="某能源集团")
    listing = page(office, reverse("evaluation:groups"))
    assert '<th scope="col" class="text-end">成员企业数</th>' in listing
    assert "成员企业</h2>" in page(office, reverse("evaluation:group", args=[group.pk]))


def test_points_follow_the_number_with_full_width_parentheses_in_chinese(cycle):
    expert = ExpertFactory()
    application = qualified_application(cycle)
    member = make_panel(application, [expert]).members.get()
    scores = page(expert.user, reverse("evaluation:member", args=[member.pk]))
    assert "· 50 分</span>" in scores  # item 4.1.2
    office = UserFactory(roles=[Role.OFFICE])
    url = reverse("applications:application", args=[application.pk])
    chinese = page(office, url)
    assert "（110 分）" in chinese  # category 4.1
    assert "（已自评 23 / 23 个评分条款）" in chinese
    english = page(office, url, "en")
    assert "(110 points)" in english


def test_supervision_pages_put_parentheses_inside_the_translation(cycle):
    import datetime

    from qualityaward.supervision.services import followup

    from .supervision.factories import award_for

    owner = UserFactory(roles=[Role.APPLICANT])
    award = award_for(cycle, users=[owner], awarded_on=datetime.date(2025, 3, 1))
    office = UserFactory(roles=[Role.OFFICE])
    for day in (datetime.date(2025, 6, 1), datetime.date(2025, 9, 1)):
        followup.visit_record(
            award=award, visited_on=day, findings="运行良好", status="good", actor=office
        )
    assert "（寻访 2 次）" in page(office, reverse("supervision:winners"))
    honour = page(owner, reverse("supervision:honour", args=[award.pk]))
    assert "正确的宣传表述（" in honour and "正确的宣传表述 (" not in honour


def test_labels_and_lists_take_full_width_punctuation_in_chinese(cycle):
    from qualityaward.evaluation.models import PanelMember

    from .evaluation.factories import score_member

    application = qualified_application(cycle)
    panel = make_panel(application, [ExpertFactory(name=n) for n in ("甲专家", "乙专家", "丙专家")])
    lead, second, third = panel.members.select_related("expert__user").order_by("pk")
    PanelMember.objects.filter(pk=second.pk).update(
        reasons={"sector_match": True, "qualification_level": 4}
    )
    office = UserFactory(roles=[Role.OFFICE])
    panels = page(office, reverse("evaluation:cycle_panels", args=[cycle.pk]))
    assert "分配方式：<strong>" in panels and "分配方式: " not in panels
    assert "行业匹配，资质等级 4" in panels

    score_member(second, {"4.1.2": 60})
    score_member(third, {"4.1.2": 80})
    score_member(lead)
    scores = page(lead.expert.user, reverse("evaluation:member", args=[lead.pk]))
    assert "其他成员：丙专家 80%、乙专家 60%" in scores

    consensus = page(lead.expert.user, reverse("evaluation:consensus", args=[panel.pk]))
    assert "高层领导的作用 <span" in consensus and "（50 分）" in consensus  # item 4.1.2
    assert "(50)" not in consensus
    assert "<td>50、50、50</td>" in consensus  # the members' percentages of 4.1.3

    type(application).objects.filter(pk=application.pk).update(receipt_number="QA-2026-03-0001")
    review = page(office, reverse("applications:application", args=[application.pk]))
    assert '受理编号：<strong id="receipt-number">QA-2026-03-0001</strong>' in review
    assert "（50 分）" in review and "(50)" not in review
