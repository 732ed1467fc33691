"""docker-compose.yml and Dockerfile: valid, and every command they run exists.

There is no Docker engine on the development and CI machines, so these tests
check statically what `docker compose up` would run. The Compose file is
validated against the Compose specification's schema, which check-jsonschema
ships. Each command is checked against this project's management commands,
modules and URLs.
"""

import importlib
import importlib.util
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from celery import Celery
from celery.app.utils import find_app
from django.core.management import get_commands
from django.urls import Resolver404, resolve
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
PORTAL_SERVICES = ("migrate", "web", "worker", "beat")
LONG_RUNNING = ("web", "worker", "beat")


def load_compose() -> dict:
    return YAML(typ="safe").load(COMPOSE_FILE.read_text())


def split_shell(command: str) -> list[list[str]]:
    """Split a shell line into its simple commands, at && and ;."""
    command = command.replace("$$HOSTNAME", "HOSTNAME").replace("$HOSTNAME", "HOSTNAME")
    return [shlex.split(part) for part in re.split(r"&&|;", command) if part.strip()]


def commands_of(argv: list[str]) -> list[list[str]]:
    """Unwrap `sh -c "..."` and CMD-SHELL into the commands they run."""
    if argv[:1] == ["CMD-SHELL"]:
        return split_shell(argv[1])
    if argv[:1] == ["CMD"]:
        argv = argv[1:]
    if argv[:2] == ["sh", "-c"]:
        return split_shell(argv[2])
    return [argv]


def option(argv: list[str], *names: str) -> str | None:
    for index, word in enumerate(argv):
        if word in names:
            return argv[index + 1]
    return None


def check_exists(argv: list[str]) -> None:
    """Assert that a command of the portal's image refers to real project parts."""
    program = argv[0]
    if program == "python" and argv[1] == "manage.py":
        assert argv[2] in get_commands(), f"no management command {argv[2]!r}"
    elif program == "python" and argv[1] == "-m":
        module = importlib.import_module(argv[2])
        assert hasattr(module, "main"), f"{argv[2]} has no main()"
        for target in argv[3:]:
            if target.startswith("http"):
                path = "/" + target.split("/", 3)[3]
                try:
                    resolve(path)
                except Resolver404:
                    pytest.fail(f"probe URL {target} does not resolve")
    elif program == "gunicorn":
        config = option(argv, "--config", "-c")
        assert config is not None and config.startswith("python:")
        importlib.import_module(config.removeprefix("python:"))
        module_name, _, attribute = argv[-1].partition(":")
        application = getattr(importlib.import_module(module_name), attribute)
        assert callable(application)
    elif program == "celery":
        app_path = option(argv, "--app", "-A")
        assert isinstance(find_app(app_path), Celery)
        subcommands = [word for word in argv[1:] if not word.startswith("-")]
        assert subcommands[1] in {"worker", "beat", "inspect"}, subcommands
    else:
        pytest.fail(f"unknown program in {argv}")


def test_compose_file_matches_specification():
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [
            Path(sys.executable).parent / "check-jsonschema",
            "--builtin-schema",
            "vendor.compose-spec",
            str(COMPOSE_FILE),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_has_every_service():
    services = load_compose()["services"]

    assert set(services) == {*PORTAL_SERVICES, "db", "redis", "mailpit"}


@pytest.mark.parametrize("name", ["web", "worker", "beat", "db", "redis", "mailpit"])
def test_compose_service_has_health_check(name):
    healthcheck = load_compose()["services"][name]["healthcheck"]

    assert healthcheck["test"][0] in {"CMD", "CMD-SHELL"}
    assert not healthcheck.get("disable", False)


def test_migrate_is_one_shot_job():
    migrate = load_compose()["services"]["migrate"]

    assert migrate["restart"] == "no"
    assert migrate["healthcheck"] == {"disable": True}
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"


@pytest.mark.parametrize("name", LONG_RUNNING)
def test_service_waits_for_migrate(name):
    depends_on = load_compose()["services"][name]["depends_on"]

    assert depends_on["migrate"]["condition"] == "service_completed_successfully"
    assert depends_on["db"]["condition"] == "service_healthy"
    assert depends_on["redis"]["condition"] == "service_healthy"


def test_database_keeps_data_in_named_volume():
    compose = load_compose()

    assert "db-data:/var/lib/postgresql/data" in compose["services"]["db"]["volumes"]
    assert "db-data" in compose["volumes"]
    assert "media" in compose["volumes"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", PORTAL_SERVICES)
def test_compose_commands_exist(name):
    service = load_compose()["services"][name]
    argvs = commands_of(service["command"])
    healthcheck = service.get("healthcheck", {})
    if not healthcheck.get("disable"):
        argvs += commands_of(healthcheck["test"])

    assert argvs
    for argv in argvs:
        check_exists(argv)


@pytest.mark.parametrize("name", PORTAL_SERVICES)
def test_compose_services_share_media_volume(name):
    service = load_compose()["services"][name]

    assert "media:/data/media" in service["volumes"]
    assert service["environment"]["MEDIA_ROOT"] == "/data/media"


def dockerfile_instructions() -> list[tuple[str, str]]:
    """Return (instruction, arguments) pairs with continuation lines joined."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    pairs = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            instruction, _, arguments = line.partition(" ")
            pairs.append((instruction.upper(), arguments.strip()))
    return pairs


def test_dockerfile_runs_as_non_root_on_slim_python():
    instructions = dockerfile_instructions()
    stages = [args for name, args in instructions if name == "FROM"]
    arguments = dict(args.split("=", 1) for name, args in instructions if name == "ARG")

    assert len(stages) == 2
    assert arguments["PYTHON_IMAGE"].startswith("python:3.11-slim")
    users = [args for name, args in instructions if name == "USER"]
    assert users == ["portal"]


@pytest.mark.django_db
def test_dockerfile_commands_exist():
    instructions = dockerfile_instructions()
    run_lines = " ".join(args for name, args in instructions if name == "RUN")
    management = re.findall(r"python manage\.py (?:help )?(\w+)", run_lines)
    cmd = [json.loads(args) for name, args in instructions if name == "CMD"]
    healthcheck = [
        json.loads(args.split("CMD ", 1)[1])
        for name, args in instructions
        if name == "HEALTHCHECK"
    ]

    assert {"collectstatic", "compile_catalogs", "compilemessages"} <= set(management)
    for command in management:
        if command != "compilemessages":  # Django's, used when no Babel command
            assert command in get_commands(), command
    assert len(cmd) == 1
    check_exists(cmd[0])
    assert len(healthcheck) == 1
    check_exists(healthcheck[0])


def test_web_command_matches_image_default():
    web = load_compose()["services"]["web"]
    instructions = dockerfile_instructions()
    image_cmd = next(json.loads(args) for name, args in instructions if name == "CMD")

    assert web["command"] == image_cmd


SETTINGS_SOURCES = [
    *sorted((ROOT / "portal" / "settings").glob("*.py")),
    ROOT / "portal" / "gunicorn_conf.py",
    ROOT / "portal" / "logging_config.py",
]
ENV_READ = re.compile(r"env_\w+\(\s*\"([A-Z][A-Z0-9_]*)\"")


def variables_read() -> set[str]:
    names: set[str] = set()
    for source in SETTINGS_SOURCES:
        names.update(ENV_READ.findall(source.read_text()))
    return names


def test_env_example_lists_every_variable():
    example = (ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", example, re.MULTILINE))

    assert variables_read() - listed == set()


def test_readme_lists_every_variable():
    readme = (ROOT / "README.md").read_text()

    assert {name for name in variables_read() if f"`{name}`" not in readme} == set()


def load_smoke_script():
    spec = importlib.util.spec_from_file_location(
        "smoke", ROOT / "scripts" / "smoke.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    "service, attribute, last_shared",
    [
        ("web", "WEB_COMMAND", "portal.wsgi:application"),
        ("worker", "WORKER_COMMAND", "worker"),
        ("beat", "BEAT_COMMAND", "beat"),
    ],
)
def test_smoke_run_starts_compose_commands(service, attribute, last_shared):
    """make smoke runs what the containers run, up to the subcommand's options."""
    compose_command = load_compose()["services"][service]["command"]
    smoke_command = getattr(load_smoke_script(), attribute)
    program, *smoke_arguments = smoke_command[1:]
    shared = smoke_arguments[: smoke_arguments.index(last_shared) + 1]

    assert smoke_command[0] == "-m"
    assert program == compose_command[0]
    assert compose_command[1 : len(shared) + 1] == shared
