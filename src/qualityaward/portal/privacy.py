"""The privacy notice (个人信息处理规则, PIPL articles 14 and 17): one text per language,
filled from the settings so that it states what the site does."""

from django.conf import settings
from django.utils.translation import get_language

from .context_processors import rule_set_in_force, site_footer


def notice_template() -> str:
    language = "zh_hans" if (get_language() or "").startswith("zh") else "en"
    return f"portal/privacy/notice_{language}.html"


def notice_context() -> dict:
    footer = site_footer(rule_set_in_force())
    return {
        "notice_template": notice_template(),
        "version": settings.QA_PRIVACY_NOTICE_VERSION,
        "organiser": footer["organiser"],
        "phone": footer["phone"],
        "address": footer["address"],
        "retention": settings.QA_RETENTION,
        "national_crypto": settings.QA_NATIONAL_CRYPTO,
    }
