"""The deployment files say what the application needs: the Compose file is valid Compose
and names every part, the systemd units start existing programs with existing files,
and the nginx site matches the application's limits and never serves uploads."""

from __future__ import annotations

import copy
import json
import re
import shlex
import subprocess
from pathlib import Path

import jsonschema
import pytest
import yaml
from bench.front import nginx_prefix, nginx_site
from django.conf import settings

from qualityaward.decisions.services.publicity import MAX_EVIDENCE_FILES

from .conftest import (
    DEPLOY,
    ROOT,
    UNIT_APP_DIR,
    UNIT_VAR_DIR,
    UNIT_VENV_BIN,
    VENV_BIN,
    needs,
    read_unit,
)

INSTALL_SCRIPT = ROOT / "scripts" / "install-system-packages.sh"
UNITS = ["qualityaward-web.service", "qualityaward-worker.service", "qualityaward-beat.service"]
# tests/deploy/compose-spec.json: the Compose Specification's JSON schema (Apache-2.0,
# compose-spec.LICENSE beside it), as vendored by check-jsonschema 0.39.0 in
# check_jsonschema/builtin_schemas/vendor/compose-spec.json.
COMPOSE_SCHEMA = json.loads((Path(__file__).parent / "compose-spec.json").read_text())


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def compose_errors(document: dict) -> list[str]:
    validator = jsonschema.validators.validator_for(COMPOSE_SCHEMA)(COMPOSE_SCHEMA)
    return [error.message for error in validator.iter_errors(document)]


def test_compose_file_is_valid_against_the_compose_specification():
    assert compose_errors(compose()) == []


def test_the_schema_check_catches_a_broken_compose_file():
    broken = copy.deepcopy(compose())
    broken["services"]["web"]["restart"] = ["always"]
    broken["services"]["worker"]["depends_on"] = "db"
    errors = compose_errors(broken)
    assert "['always'] is not of type 'string'" in errors
    assert "'db' is not valid under any of the given schemas" in errors


def test_compose_runs_every_part_of_the_site():
    services = compose()["services"]
    assert services["db"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    assert services["web"]["command"][:3] == ["gunicorn", "--config", "deploy/gunicorn.conf.py"]
    assert services["worker"]["command"][:4] == ["celery", "--app", "qualityaward", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "--app", "qualityaward", "beat"]
    assert services["nginx"]["image"].startswith("nginx:")
    assert "443:443" in services["nginx"]["ports"]
    for name in ("web", "worker", "beat", "migrate"):
        assert services[name]["build"]["dockerfile"] == "deploy/Dockerfile"
        assert services[name]["environment"]["REDIS_URL"].startswith("redis://redis:")
        assert services[name]["environment"]["DATABASE_URL"].startswith("postgres://")
    # Uploads, static files and the database live in volumes; nginx sees only the static.
    mounts = {name: service.get("volumes", []) for name, service in services.items()}
    assert "media:/var/lib/qualityaward/media" in mounts["web"]
    assert "media:/var/lib/qualityaward/media" in mounts["worker"]
    assert "static:/var/lib/qualityaward/static" in mounts["web"]
    assert "db:/var/lib/postgresql/data" in mounts["db"]
    assert not [mount for mount in mounts["nginx"] if mount.startswith("media:")]
    assert {"db", "media", "static"} <= set(compose()["volumes"])


def test_compose_mounts_files_that_ship_with_it():
    nginx = compose()["services"]["nginx"]["volumes"]
    template = [mount.split(":")[0] for mount in nginx if mount.startswith("./nginx/")]
    assert template == ["./nginx/qualityaward.conf.template"]
    assert (DEPLOY / template[0]).is_file()
    # The office puts its certificate there (docs/deployment.md).
    assert "./tls:/etc/nginx/tls:ro" in nginx
    assert (ROOT / compose()["x-app"]["build"]["dockerfile"]).exists()


def test_image_installs_the_pinned_requirements_and_what_weasyprint_needs():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert dockerfile.startswith("#") and "\nFROM python:3.11-slim\n" in dockerfile
    assert "--constraint requirements.lock" in dockerfile
    # The same Debian packages `make run` installs (the fonts come from a wheel).
    runtime = re.search(r"^runtime=\((.*)\)$", INSTALL_SCRIPT.read_text(), re.M)
    assert runtime is not None
    for package in runtime.group(1).split():
        assert package in dockerfile


@pytest.mark.parametrize("name", UNITS)
def test_unit_runs_the_venv_program_from_the_checkout_with_the_env_file(name):
    service = read_unit(name)["Service"]
    assert service["User"] == "qualityaward"
    assert service["WorkingDirectory"] == UNIT_APP_DIR
    assert service["EnvironmentFile"] == "/etc/qualityaward/env"
    assert service["ReadWritePaths"] == UNIT_VAR_DIR
    command = shlex.split(service["ExecStart"])
    assert command[0].startswith(f"{UNIT_VENV_BIN}/")
    assert (VENV_BIN / Path(command[0]).name).is_file()
    if "--config" in command:
        assert (ROOT / command[command.index("--config") + 1]).is_file()
    if "--app" in command:
        assert command[command.index("--app") + 1] == "qualityaward"


def test_units_pass_systemd_analyze_verify(tmp_path):
    """systemd's own check, on the units as they would be on this machine: the checkout's
    virtualenv in place of /srv/qualityaward/app/.venv (it must exist and be executable)."""
    needs("systemd-analyze")
    for name in UNITS:
        text = (DEPLOY / "systemd" / name).read_text()
        text = text.replace(UNIT_VENV_BIN, str(VENV_BIN)).replace(UNIT_APP_DIR, str(ROOT))
        (tmp_path / name).write_text(text)
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *(str(tmp_path / name) for name in UNITS)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""


def plain_site() -> str:
    """The site as envsubst writes it for a plain server (docs/deployment.md)."""
    return nginx_site(
        QA_HOST="award.example.gov.cn",
        QA_UPSTREAM="127.0.0.1:8000",
        QA_TLS_CERTIFICATE="/etc/letsencrypt/live/award.example.gov.cn/fullchain.pem",
        QA_TLS_CERTIFICATE_KEY="/etc/letsencrypt/live/award.example.gov.cn/privkey.pem",
    )


def without_comments(site: str) -> str:
    return "\n".join(line.split("#", 1)[0] for line in site.splitlines())


def directives(site: str, name: str) -> list[str]:
    """The values of a directive (quoted strings may hold ";")."""
    pattern = rf'^\s*{name}\s+((?:[^;{{"]|"[^"]*")+);'
    return [value.strip() for value in re.findall(pattern, without_comments(site), re.M)]


def locations(site: str) -> list[str]:
    return [value.strip() for value in re.findall(r"^\s*location\s+([^{]+)\{", site, re.M)]


def test_nginx_site_has_no_placeholder_left():
    assert "${" not in without_comments(plain_site())


def test_nginx_takes_the_largest_request_the_application_takes():
    largest = MAX_EVIDENCE_FILES * settings.QA_UPLOAD_MAX_BYTES
    largest += settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert directives(plain_site(), "client_max_body_size") == [f"{largest // 2**20}m"]


def test_nginx_waits_longer_than_gunicorn_lets_a_request_run():
    config: dict = {}
    exec((DEPLOY / "gunicorn.conf.py").read_text(), config)  # noqa: S102 - our own file
    for timeout in directives(plain_site(), "proxy_read_timeout"):
        assert int(timeout.removesuffix("s")) > config["timeout"]
    assert config["bind"] == ["127.0.0.1:8000"]
    assert directives(plain_site(), "server") == ["127.0.0.1:8000"]


def test_nginx_serves_static_files_from_collectstatic_output_and_never_the_uploads():
    site = plain_site()
    assert directives(site, "alias") == [f"{UNIT_VAR_DIR}/static/"]
    assert directives(site, "root") == []
    assert locations(site) == ["/static/", "/"]
    # With QA_VAR_DIR as in the env file, collectstatic writes to that folder.
    env_file = (DEPLOY / "env.example").read_text()
    assert f"\nQA_VAR_DIR={UNIT_VAR_DIR}\n" in env_file
    assert settings.STATIC_ROOT == settings.VAR_DIR / "static"


def test_nginx_accepts_the_site(tmp_path):
    """nginx -t on the site as envsubst writes it, with a throwaway certificate, in a
    private prefix (nothing is started, no port is taken)."""
    needs("nginx")
    needs("openssl")
    conf = nginx_prefix(tmp_path, plain_site(), "award.example.gov.cn")
    result = subprocess.run(
        ["nginx", "-t", "-p", f"{tmp_path}/", "-c", str(conf)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_nginx_redirects_to_https_and_sends_hsts_with_every_answer():
    site = plain_site()
    assert "return 301 https://award.example.gov.cn$request_uri;" in site
    # add_header in a location replaces the server's, so every location sends HSTS.
    headers = directives(site, "add_header")
    hsts = [header for header in headers if header.startswith("Strict-Transport-Security")]
    assert len(hsts) == len(locations(site)) == 2
    assert all("max-age=31536000" in header for header in hsts)
    assert directives(site, "proxy_hide_header") == ["Strict-Transport-Security"]
    assert directives(site, "ssl_protocols") == ["TLSv1.2 TLSv1.3"]
    assert directives(site, "proxy_set_header")[-1] == "X-Forwarded-Proto https"
