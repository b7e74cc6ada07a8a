"""The public portal of a government site: organiser, contact and filing numbers in
every footer; the guidance, the measures and the checklist readable and downloadable
without logging in, whether or not a call is open."""

from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from qualityaward.documents.pdf import fonts_cover_text, pdf_text

pytestmark = pytest.mark.django_db

KINDS = ["guide", "measures", "checklist"]


def test_footer_shows_the_organiser_contact_and_filing_numbers_when_set(settings, preset_version):
    settings.QA_ORGANISER = "二连浩特市市场监督管理局"
    settings.QA_CONTACT_PHONE = "0479-7522000"
    settings.QA_CONTACT_ADDRESS = "二连浩特市前进路1号"
    settings.QA_ICP_NUMBER = "蒙ICP备2026000001号-1"
    settings.QA_PSB_NUMBER = "蒙公网安备15250102000001号"
    for url in (reverse("portal:home"), reverse("accounts:login")):
        page = Client().get(url).content.decode()
        assert "主办单位：二连浩特市市场监督管理局" in page
        assert "联系电话：0479-7522000" in page
        assert "二连浩特市前进路1号" in page
        assert '<a href="https://beian.miit.gov.cn/"' in page
        assert "蒙ICP备2026000001号-1</a>" in page
        assert "code=15250102000001" in page


def test_footer_names_the_issuing_authority_and_nothing_else_by_default(preset_version):
    page = Client().get(reverse("portal:home")).content.decode()
    assert "主办单位：二连浩特市人民政府办公室" in page
    assert "电话：" not in page
    assert "beian" not in page


@pytest.mark.parametrize("kind", KINDS)
def test_each_document_is_linked_from_the_home_page_and_readable_anonymously(demo_version, kind):
    client = Client()
    home = client.get(reverse("portal:home")).content.decode()
    assert reverse("portal:public_document", args=[kind]) in home
    assert reverse("portal:public_document_pdf", args=[kind]) in home
    response = client.get(reverse("portal:public_document", args=[kind]))
    assert response.status_code == 200


def test_guidance_states_the_conditions_steps_and_that_no_call_is_open(demo_version):
    page = Client().get(reverse("portal:public_document", args=["guide"])).content.decode()
    assert "二连浩特市市长质量奖申报指南" in page
    assert "二政办发〔2021〕36号" in page  # noqa: RUF001
    assert "第十条" in page  # the organisations' conditions cite their article
    assert "目前没有正在征集申报的通知" in page
    assert "不少于 10 个工作日（第十四条）" in page


def test_measures_list_every_rule_with_its_article(demo_version):
    page = Client().get(reverse("portal:public_document", args=["measures"])).content.decode()
    assert "<h1>二连浩特市市长质量奖评审办法</h1>" in page
    assert "演示版本" not in page.split("<h1>")[1].split("</h1>")[0]
    assert "第二十八条" in page  # the fraud ban


def test_checklist_lists_the_parts_and_the_framework_categories(demo_version):
    page = Client().get(reverse("portal:public_document", args=["checklist"])).content.decode()
    assert "自我评价" in page
    assert "领导" in page  # the first category of GB/T 19580
    assert "20 MB" in page


DOWNLOAD_NAMES = {
    "guide": "二连浩特市市长质量奖申报指南.pdf",
    "measures": "二连浩特市市长质量奖评审办法.pdf",
    "checklist": "二连浩特市市长质量奖材料清单.pdf",
}


@pytest.mark.parametrize("kind", KINDS)
def test_each_document_downloads_as_a_pdf_anonymously(demo_version, kind):
    response = Client().get(reverse("portal:public_document_pdf", args=[kind]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"].startswith("attachment;")
    assert quote(DOWNLOAD_NAMES[kind]) in response["Content-Disposition"]


def test_the_pdf_guidance_draws_its_chinese_text_with_embedded_fonts(demo_version):
    pdf = Client().get(reverse("portal:public_document_pdf", args=["guide"])).content
    assert fonts_cover_text(pdf)
    assert "二连浩特市市长质量奖申报指南" in pdf_text(pdf).replace(" ", "")


def test_documents_do_not_exist_without_a_rule_set_or_for_an_unknown_kind(demo_version):
    assert Client().get(reverse("portal:public_document", args=["nothing"])).status_code == 404


def test_documents_answer_404_when_no_rule_set_is_loaded(db):
    assert Client().get(reverse("portal:public_document", args=["guide"])).status_code == 404


def test_results_not_yet_published_say_so_with_the_expected_step(cycle):
    response = Client().get(reverse("decisions:public_results", args=[cycle.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "结果尚未公布" in page
    assert "专家评审结束后" in page
    assert "第十九条" in page


def test_results_of_a_cycle_that_does_not_exist_are_not_found(cycle):
    response = Client().get(reverse("decisions:public_results", args=[cycle.pk + 1000]))
    assert response.status_code == 404
