import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_check_deploy_is_clean_in_production_settings(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "HTTPS": "1",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "award.example.gov.cn",
        "SECRET_KEY": "k" * 20 + "production-secret-key-with-enough-entropy-0123456789",
        "QA_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_worker_processes_share_the_embedded_cache(tmp_path):
    """gunicorn's workers are separate processes: what one caches (a ranking, a public
    form's rate-limit count) the others must see, with no Redis configured; and only
    for the same database."""
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")},
        "QA_VAR_DIR": str(tmp_path),
    }

    def shell(code: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "--verbosity", "0", "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout.strip()

    read = "from django.core.cache import cache; print(cache.get('ranking'))"
    shell("from django.core.cache import cache; cache.set('ranking', 'one worker', 60)")
    assert shell(read) == "one worker"
    # Another database beside it in the same folder has a cache of its own.
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    assert shell(read) == "None"
