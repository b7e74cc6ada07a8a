import datetime

import pytest

from qualityaward.cycles.models import Cycle


@pytest.fixture
def rule_version(db):
    """The shipped Erenhot 2021 rule set version (its eligibility numbers: 3, 3, 5, 3, 5)."""
    from qualityaward.rulesets.services import preset_load

    return preset_load(name="erenhot-2021", actor="test").version


@pytest.fixture
def open_cycle(rule_version):
    return Cycle.objects.create(
        rule_set_version=rule_version,
        number=2,
        name="第二届市长质量奖",
        start_date=datetime.date(2025, 6, 1),
    )


@pytest.fixture
def call(cycle, media_root):
    """A published, open call of the third cycle (demo rule set, 2026)."""
    from .factories import published_call

    return published_call(cycle)
