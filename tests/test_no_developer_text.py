"""Staff read the interface in Chinese: no English words outside proper names, no
command lines, no file names of the project on the zh-hans pages they work in."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from qualityaward.accounts.enums import Role

from .applications.factories import published_call
from .factories import UserFactory

pytestmark = pytest.mark.django_db

# Proper names, standards, units and formats that are written in Latin letters in
# Chinese too; the column names and values of the calendar's CSV file, which are typed
# as shown; the placeholder of an example document number.
ALLOWED_WORDS = {
    "chinesecalendar",
    "date",
    "kind",
    "name",
    "year",
    "notice",
    "holiday",
    "workday",
    "X",
    "GB",
    "T",
    "Z",
    "ISO",
    "PDF",
    "PNG",
    "JPEG",
    "Word",
    "Excel",
    "PowerPoint",
    "docx",
    "xlsx",
    "pptx",
    "CSV",
    "YAML",
    "JSON",
    "MB",
    "KB",
    "QR",
    "ICP",
    "SHA",
    "API",
    "qualityaward",
    "English",
}
# Visible text, and the attributes a person reads or hears.
READ_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "value"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._skip += 1
        attributes = dict(attrs)
        if tag == "input" and attributes.get("type") in {"hidden", "date", "number"}:
            return
        if tag == "option":
            return  # values of options are codes; their text is read below
        self.parts += [value or "" for name, value in attrs if name in READ_ATTRIBUTES]

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def english_words(html: str) -> set[str]:
    parser = _Text()
    parser.feed(html)
    text = " ".join(parser.parts)
    return {word for word in re.findall(r"[A-Za-z]+", text) if word not in ALLOWED_WORDS}


def staff_pages(cycle) -> list[str]:
    call = published_call(cycle)
    return [
        reverse("portal:role_dashboard", args=["office"]),
        reverse("cycles:list"),
        reverse("cycles:detail", args=[cycle.pk]),
        reverse("rulesets:index"),
        reverse("rulesets:version_detail", args=[cycle.rule_set_version_id]),
        reverse("rulesets:framework_detail", args=[cycle.rule_set_version.framework_id]),
        reverse("workdays:calendar"),
        reverse("applications:call_manage"),
        reverse("applications:call_edit", args=[call.pk]),
        reverse("applications:review_list"),
        reverse("evaluation:experts"),
        reverse("evaluation:agencies"),
        reverse("decisions:cycle", args=[cycle.pk]),
        reverse("supervision:winners"),
    ]


def test_staff_pages_in_chinese_show_no_english_words_and_no_command_lines(cycle):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(UserFactory(roles=[Role.OFFICE], username="office"))
    found = {}
    for url in staff_pages(cycle):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "manage.py" not in html, url
        assert ".md" not in english_words(html), url
        words = english_words(html) - {"office"}  # the user's own name in the header
        if words:
            found[url] = sorted(words)
    assert found == {}


def test_language_menu_names_each_language_in_itself(client):
    page = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert ">English</option>" in page
    assert ">简体中文</option>" in page
    assert "英语" not in page


def test_file_inputs_get_translated_texts_for_the_local_script(client):
    page = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'data-file-choose="选择文件"' in page
    assert 'data-file-none="未选择文件"' in page
