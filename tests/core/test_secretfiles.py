"""Gunicorn's workers (and the test workers) start at once on a new machine: every one of
them must read the same secret key and field keys, never a half-written file."""

from __future__ import annotations

import secrets
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from qualityaward.core.secretfiles import read_or_create


def _start(path: str) -> str:
    return read_or_create(Path(path), lambda: secrets.token_hex(4096))


def test_processes_starting_together_all_read_the_first_secret(tmp_path):
    path = tmp_path / "keys" / "secret"
    with ProcessPoolExecutor(max_workers=8) as pool:
        seen = set(pool.map(_start, [str(path)] * 32))
    assert seen == {path.read_text()}
    assert len(path.read_text()) == 8192
    assert path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["secret"]


def test_an_existing_secret_is_kept(tmp_path):
    path = tmp_path / "secret"
    path.write_text("kept")
    assert read_or_create(path, lambda: "new") == "kept"
