"""The compose file, the local dev tooling and the docs agree on services, ports and env names."""

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from repo_files import REPO_ROOT, dockerfile_stages, markdown_table_rows, read_env_file

SERVICES_SCRIPT = REPO_ROOT / "dev" / "services.sh"
LIB_SCRIPT = REPO_ROOT / "dev" / "lib.sh"
DOCS = REPO_ROOT / "docs"
OPERATIONS = DOCS / "operations.md"
DEVELOPMENT = DOCS / "development.md"

# dev/services.sh name -> compose service name, and the .env name of its run-profile port.
LOCAL_TO_COMPOSE = {
    "mongo": "mongo",
    "redis": "redis",
    "sales": "sales-service",
    "gateway": "gateway",
    "emulator": "stripe-emulator",
}
PORT_NAMES = {
    "mongo": "MONGODB_PORT",
    "redis": "REDIS_PORT",
    "sales-service": "SALES_SERVICE_PORT",
    "gateway": "GATEWAY_PORT",
    "stripe-emulator": "STRIPE_EMULATOR_PORT",
}
# Local-only: stripe-mock is the contract check of the tests, not part of a deployment.
LOCAL_ONLY = {"stripe-mock"}
# Names read from the environment that are not sales-service settings.
TOOLING_NAMES = {
    "WEB_CONCURRENCY",  # uvicorn's worker count
    "STRIPE_MOCK_URL",  # tests only
    "STRIPE_EMULATOR_WEBHOOK_URL",  # the emulator's own
}


def _local_services() -> list[str]:
    match = re.search(r"^ALL=\(([^)]*)\)", SERVICES_SCRIPT.read_text(), re.MULTILINE)
    assert match is not None, "dev/services.sh lists its services in ALL=(...)"
    return match.group(1).split()


def _container_port(name: str, services: dict[str, dict[str, Any]]) -> int:
    """The port a compose service listens on inside the network."""
    if name == "mongo":
        return 27017  # the image's default; mongod gets no --port
    if name == "redis":
        return 6379
    build = services[name]["build"]
    dockerfile = REPO_ROOT / build.get("dockerfile", f"{build['context']}/Dockerfile")
    exposed = dockerfile_stages(dockerfile)[-1].all("EXPOSE")
    assert len(exposed) == 1
    return int(exposed[0])


def test_local_services_map_onto_the_compose_services(services: dict[str, Any]) -> None:
    local = set(_local_services())
    assert local == set(LOCAL_TO_COMPOSE) | LOCAL_ONLY
    assert set(LOCAL_TO_COMPOSE.values()) == set(services)


@pytest.mark.parametrize("name", PORT_NAMES.values(), ids=PORT_NAMES.keys())
def test_run_profile_ports_are_the_container_ports(
    name: str, dotenv: dict[str, str], services: dict[str, dict[str, Any]]
) -> None:
    service = next(s for s, port_name in PORT_NAMES.items() if port_name == name)
    assert int(dotenv[name]) == _container_port(service, services)


def test_published_ports_follow_dotenv(
    services: dict[str, dict[str, Any]], dotenv: dict[str, str]
) -> None:
    published = {name: service["ports"] for name, service in services.items() if "ports" in service}
    assert set(published) == {"gateway", "stripe-emulator"}
    for name, ports in published.items():
        variable = PORT_NAMES[name]
        container = _container_port(name, services)
        published_port = f"${{{variable}:-{dotenv[variable]}}}:{container}"
        if name == "stripe-emulator":  # its control API hands out the webhook secret
            assert ports == [f"${{STRIPE_EMULATOR_BIND:-127.0.0.1}}:{published_port}"]
        else:
            assert ports == [published_port]


def test_compose_addresses_point_at_the_compose_services(
    compose_env: dict[str, str], services: dict[str, dict[str, Any]]
) -> None:
    expected = {
        "MONGODB_URL": "mongo",
        "REDIS_URL": "redis",
        "STRIPE_API_BASE": "stripe-emulator",
    }
    for variable, service in expected.items():
        url = urlsplit(compose_env[variable])
        assert (url.hostname, url.port) == (service, _container_port(service, services))
    assert "replicaSet=rs0" in compose_env["MONGODB_URL"]
    assert "--replSet" in services["mongo"]["command"]
    assert "rs0" in services["mongo"]["command"]
    webhook = urlsplit(services["stripe-emulator"]["environment"]["STRIPE_EMULATOR_WEBHOOK_URL"])
    assert (webhook.hostname, webhook.port) == ("gateway", _container_port("gateway", services))
    assert webhook.path == "/api/v1/payments/stripe/webhook"
    upstream = services["gateway"]["environment"]["SALES_SERVICE_SERVERS"]
    assert f"sales-service:{_container_port('sales-service', services)} " in upstream


def test_the_test_profile_has_the_same_ports_on_other_numbers(
    dotenv: dict[str, str], test_env: dict[str, str]
) -> None:
    port_names = {name for name in dotenv if name.endswith("_PORT")}
    assert port_names == {name for name in test_env if name.endswith("_PORT")}
    clashes = {name for name in port_names if dotenv[name] == test_env[name]}
    assert clashes == set()


def test_development_doc_lists_the_ports_of_both_profiles(
    dotenv: dict[str, str], test_env: dict[str, str]
) -> None:
    rows = {row[0]: row for row in markdown_table_rows(DEVELOPMENT) if len(row) == 4}
    port_of_local = {local: PORT_NAMES[name] for local, name in LOCAL_TO_COMPOSE.items()}
    port_of_local["stripe-mock"] = "STRIPE_MOCK_PORT"
    for local, variable in port_of_local.items():
        # The doc may name a service as the script does (`sales`) or as compose does.
        row = rows.get(local) or rows.get(LOCAL_TO_COMPOSE.get(local, local))
        assert row is not None, f"docs/development.md has no row for {local}"
        assert row[2:] == [dotenv[variable], test_env[variable]], local


def test_operations_doc_lists_every_compose_service_with_its_port(
    services: dict[str, dict[str, Any]],
) -> None:
    rows = {row[0].strip("`"): row for row in markdown_table_rows(OPERATIONS) if len(row) == 5}
    for name in services:
        assert name in rows, f"docs/operations.md has no row for {name}"
        assert rows[name][2] == str(_container_port(name, services)), name


def test_env_files_hold_only_settings_ports_and_known_tooling_names(
    dotenv: dict[str, str],
    test_env: dict[str, str],
    compose_env: dict[str, str],
    settings_names: set[str],
) -> None:
    for source in (dotenv, test_env, compose_env):
        unknown = {
            name
            for name in source
            if name not in settings_names
            and name not in TOOLING_NAMES
            and not name.endswith("_PORT")
        }
        assert unknown == set()


def test_every_environment_name_is_documented(
    settings_names: set[str],
    dotenv: dict[str, str],
    compose_env: dict[str, str],
    services: dict[str, dict[str, Any]],
) -> None:
    docs = "\n".join(path.read_text() for path in DOCS.rglob("*.md"))
    names = settings_names | set(dotenv) | set(compose_env)
    for service in services.values():
        names |= set(service.get("environment", {}))
    undocumented = sorted(name for name in names if f"`{name}`" not in docs and name not in docs)
    assert undocumented == []


def test_operations_doc_reference_covers_every_setting_and_compose_name(
    settings_names: set[str], compose_env: dict[str, str], services: dict[str, Any]
) -> None:
    text = OPERATIONS.read_text()
    names = settings_names | set(compose_env) | set(services["gateway"]["environment"])
    assert sorted(name for name in names if f"`{name}`" not in text) == []


def test_the_dev_script_reads_only_names_the_env_files_define(
    dotenv: dict[str, str], test_env: dict[str, str]
) -> None:
    assigned = re.compile(r"^\s*(?:export\s+|local\s+)?([A-Z_]+)=", re.MULTILINE)
    internal = set(assigned.findall(LIB_SCRIPT.read_text() + SERVICES_SCRIPT.read_text()))
    internal |= {"DEV_PROFILE", "TEST_MONGODB_URL", "TEST_REDIS_URL"}
    internal |= {"WEB_CONCURRENCY"}  # optional: unset, `make run` takes one worker per core
    used = set(re.findall(r"\$\{?([A-Z][A-Z0-9_]*)", SERVICES_SCRIPT.read_text()))
    for source in (dotenv, test_env):
        missing = sorted(used - internal - set(source) - set(dotenv))
        assert missing == []


def test_the_operations_doc_shows_the_commands_the_compose_file_supports(
    services: dict[str, dict[str, Any]],
) -> None:
    text = OPERATIONS.read_text()
    profiles = {p for service in services.values() for p in service.get("profiles", [])}
    assert profiles == {"emulator"}
    assert "docker compose --profile emulator up --build" in text
    assert "--scale sales-service=3" in text
    for env_file in services["sales-service"]["env_file"]:
        assert f"`{env_file['path']}`" in text
    compose_env = read_env_file(REPO_ROOT / "deploy" / "compose.env")
    assert "WEB_CONCURRENCY" not in compose_env, "unset: one worker per CPU"
    assert "| `WEB_CONCURRENCY` | one per CPU |" in text
    assert compose_env["AUTH_DEV_LOGIN"] == "false", "compose must not hand out admin tokens"
