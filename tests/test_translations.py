"""Every user-facing string has a zh-hans translation, and the compiled catalogue is current."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "qualityaward"
CATALOGUE = PACKAGE / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def extract_messages(tmp_path: Path) -> polib.POFile:
    """Run makemessages on a copy of the package, as `make messages` does."""
    assert shutil.which("xgettext"), (
        "Debian's gettext is missing: sudo bash scripts/install-system-packages.sh"
    )
    copy = tmp_path / "qualityaward"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "locale"))
    (copy / "locale").mkdir()
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "makemessages",
            "--locale",
            "zh_Hans",
            "--no-location",
            "--verbosity",
            "0",
        ],
        cwd=copy,
        check=True,
    )
    return polib.pofile(str(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))


def test_every_string_in_the_code_is_translated_to_chinese(tmp_path):
    extracted = {(entry.msgctxt, entry.msgid) for entry in extract_messages(tmp_path)}
    catalogue = polib.pofile(str(CATALOGUE))
    translated = {
        (entry.msgctxt, entry.msgid)
        for entry in catalogue
        if entry.translated() and "fuzzy" not in entry.flags
    }
    missing = sorted(msgid for _, msgid in extracted - translated)
    assert not missing, f"{len(missing)} strings lack a zh-hans translation: {missing[:20]}"


def test_compiled_catalogue_matches_the_translations():
    compiled = polib.mofile(str(CATALOGUE.with_suffix(".mo")))
    in_mo = {(entry.msgctxt, entry.msgid): entry.msgstr for entry in compiled}
    for entry in polib.pofile(str(CATALOGUE)).translated_entries():
        assert in_mo.get((entry.msgctxt, entry.msgid)) == entry.msgstr, entry.msgid
