"""docs/deployment.md does not rot: every manage.py command it runs exists and takes the
arguments it is given, every file of deploy/ it names exists (or is made by its own
commands), every unit is installed, and every setting of the README is explained."""

from __future__ import annotations

import re
import shlex

import pytest
from django.core.management import get_commands, load_command_class

from .conftest import DEPLOY, ROOT

DOC = (ROOT / "docs" / "deployment.md").read_text()
# Commands that take a file they write as their last argument.
WRITES_LAST_ARGUMENT = {"cp", "install", "ln", "mkdir"}


def shell_lines() -> list[list[str]]:
    """Each command of the doc's ```sh blocks, split into words as the shell would."""
    blocks = re.findall(r"^ *```sh\n(.*?)^ *```", DOC, re.M | re.S)
    text = "\n".join(blocks).replace("\\\n", " ")
    return [shlex.split(line) for line in text.splitlines() if line.strip()]


def manage_py_calls() -> list[list[str]]:
    calls = []
    for words in shell_lines():
        for index, word in enumerate(words):
            if word in ("manage.py", "deploy/manage.sh"):
                calls.append(words[index + 1 :])
    return calls


def files_the_doc_writes() -> set[str]:
    written = set()
    for words in shell_lines():
        if ">" in words:
            written.add(words[words.index(">") + 1])
        if words[0] in WRITES_LAST_ARGUMENT:
            written.add(words[-1].rstrip("/"))
    return written


def test_the_doc_runs_manage_py_commands():
    names = {call[0] for call in manage_py_calls()}
    expected = {"migrate", "collectstatic", "load_preset", "create_user", "check", "audit"}
    assert expected <= names


@pytest.mark.parametrize("call", manage_py_calls(), ids=" ".join)
def test_each_manage_py_command_exists_and_takes_its_arguments(call):
    name, *arguments = call
    commands = get_commands()
    assert name in commands, f"docs/deployment.md runs manage.py {name}, which does not exist"
    command = load_command_class(commands[name], name)
    # A wrong option or a missing argument raises CommandError here.
    command.create_parser("manage.py", name).parse_args(arguments)


def test_each_file_of_deploy_named_in_the_doc_exists():
    named = set(re.findall(r"\bdeploy/[\w./-]*[\w]", DOC))
    made_by_the_doc = files_the_doc_writes()
    missing = [path for path in sorted(named - made_by_the_doc) if not (ROOT / path).exists()]
    assert missing == []
    assert "deploy/qualityaward.env" in made_by_the_doc


def test_every_unit_is_installed_and_every_unit_named_exists():
    units = {path.name for path in (DEPLOY / "systemd").glob("*.service")}
    assert set(re.findall(r"qualityaward-\w+\.service", DOC)) == units
    installs = [words for words in shell_lines() if words[0] == "install"]
    installed = {word.rsplit("/", 1)[-1] for words in installs for word in words}
    assert units <= installed


def test_envsubst_fills_in_every_placeholder_of_the_nginx_template():
    template = (DEPLOY / "nginx" / "qualityaward.conf.template").read_text()
    placeholders = set(re.findall(r"\$\{(QA_\w+)\}", template))
    [envsubst] = [words for words in shell_lines() if words[0] == "envsubst"]
    assert set(envsubst[1].replace("$", "").split()) == placeholders


def test_every_setting_of_the_readme_is_in_the_env_file_and_the_doc():
    readme = (ROOT / "README.md").read_text()
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    settings = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", table))
    assert {"DATABASE_URL", "SECRET_KEY", "S3_REGION"} <= settings
    env_file = (DEPLOY / "env.example").read_text()
    assert [name for name in sorted(settings) if f"{name}=" not in env_file] == []
    assert [name for name in sorted(settings) if f"`{name}`" not in DOC] == []
