import os
import shutil
import uuid

import pytest

from ..applications.factories import OrganisationFactory, applicant_user, published_call

# The decisions flow's fixtures, for the approval race; the races' connection check.
from ..decisions.conftest import (  # noqa: F401
    applications,
    evaluated_cycle,
    fake_results,
    members,
    office,
    set_today,
)
from ..security.test_concurrency import real_connections  # noqa: F401


@pytest.fixture
def draft(cycle, media_root):
    """A draft application of an organisation, and its applicant user."""
    from qualityaward.applications.services.applications import application_start

    user = applicant_user()
    organisation = OrganisationFactory(users=[user])
    application = application_start(call=published_call(cycle), applicant=organisation, actor=user)
    return application, user


@pytest.fixture(scope="session")
def _site_template(tmp_path_factory):
    """A migrated database for sites started as separate processes, made once: a SQLite
    file, or a PostgreSQL database on the test run's server when it runs on PostgreSQL."""
    from django.conf import settings

    from .servers import manage, site_env

    database = settings.DATABASES["default"]
    var_dir = tmp_path_factory.mktemp("site-template")
    if database["ENGINE"] != "django.db.backends.postgresql":
        url = f"sqlite:///{var_dir / 'site.sqlite3'}"
        manage(site_env(var_dir, url), "migrate", "--no-input", "--verbosity", "0")
        yield ("sqlite", var_dir / "site.sqlite3")
        return
    admin = _postgres_admin(database)
    name = f"qa_faults_template_{os.getpid()}"
    _postgres_execute(admin, f'CREATE DATABASE "{name}"')
    try:
        manage(site_env(var_dir, f"{admin}/{name}"), "migrate", "--no-input", "--verbosity", "0")
        yield ("postgresql", name)
    finally:
        _postgres_execute(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _postgres_admin(database) -> str:
    """postgres://user:password@host:port of the test run's server (no database)."""
    from urllib.parse import quote

    password = f":{quote(database['PASSWORD'])}" if database.get("PASSWORD") else ""
    host = database.get("HOST") or "127.0.0.1"
    port = database.get("PORT") or 5432
    return f"postgres://{quote(database['USER'])}{password}@{host}:{port}"


def _postgres_execute(admin: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{admin}/postgres", autocommit=True) as conn:
        conn.execute(sql)


@pytest.fixture
def site_database(_site_template, tmp_path):
    """A DATABASE_URL of a fresh migrated database, for a site in another process."""
    from django.conf import settings

    engine, template = _site_template
    if engine == "sqlite":
        copy = tmp_path / "site.sqlite3"
        shutil.copyfile(template, copy)
        yield f"sqlite:///{copy}"
        return
    admin = _postgres_admin(settings.DATABASES["default"])
    name = f"qa_faults_site_{uuid.uuid4().hex[:12]}"
    _postgres_execute(admin, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield f"{admin}/{name}"
    finally:
        _postgres_execute(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def site_var(tmp_path):
    """The var folder of a site in another process."""
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    return var_dir
