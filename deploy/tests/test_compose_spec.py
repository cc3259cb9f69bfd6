"""docker-compose.yml against the Compose Specification, offline.

The published compose-spec JSON schema comes vendored in the pinned `check-jsonschema` package,
so no Docker engine or network is needed. The schema cannot see references between parts of
the file, so the checks that `docker compose config` adds (dependencies, volumes, files,
interpolation) are made here too.
"""

import copy
import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from repo_files import COMPOSE_FILE, REPO_ROOT, interpolations

Validator = jsonschema.Draft202012Validator


@pytest.fixture(scope="session")
def validator() -> jsonschema.protocols.Validator:
    vendored = resources.files("check_jsonschema.builtin_schemas.vendor")
    text = (vendored / "compose-spec.json").read_text()
    schema = json.loads(text)
    assert schema["title"] == "Compose Specification"
    return Validator(schema, format_checker=Validator.FORMAT_CHECKER)


def _problems(validator: jsonschema.protocols.Validator, document: Any) -> list[str]:
    return [f"{e.json_path}: {e.message}" for e in validator.iter_errors(document)]


def test_the_compose_file_follows_the_compose_specification(
    validator: jsonschema.protocols.Validator, compose: dict[str, Any]
) -> None:
    assert _problems(validator, compose) == []


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("services", "redis", "helthcheck"), {"test": ["CMD", "true"]}),
        (("services", "gateway", "depends_on", "sales-service", "condition"), "service_ready"),
        (("services", "mongo", "restart"), 3),
        (("volumes", "mongo-data"), "not-a-map"),
    ],
    ids=["misspelt-key", "unknown-condition", "wrong-type", "bad-volume"],
)
def test_the_schema_check_rejects_a_broken_copy(
    validator: jsonschema.protocols.Validator,
    compose: dict[str, Any],
    path: tuple[str, ...],
    value: Any,
) -> None:
    broken = copy.deepcopy(compose)
    target = broken
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    assert _problems(validator, broken) != []


def test_every_dependency_is_a_service_and_optional_ones_are_marked(
    services: dict[str, dict[str, Any]],
) -> None:
    for name, service in services.items():
        for dependency, rule in service.get("depends_on", {}).items():
            assert dependency in services, f"{name} depends on unknown service {dependency}"
            if services[dependency].get("profiles"):
                # Without `required: false`, `docker compose up` fails when the profile is off.
                assert rule.get("required") is False, f"{name} -> {dependency} must be optional"
            assert rule["condition"] == "service_healthy", f"{name} -> {dependency}"


def test_named_volumes_are_declared(compose: dict[str, Any]) -> None:
    declared = set(compose.get("volumes", {}))
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if not source.startswith((".", "/")):
                assert source in declared, f"{name} uses undeclared volume {source}"


def test_build_contexts_dockerfiles_and_required_env_files_exist(
    services: dict[str, dict[str, Any]],
) -> None:
    for name, service in services.items():
        if "build" in service:
            context = REPO_ROOT / service["build"]["context"]
            dockerfile = _dockerfile_of(service)
            assert dockerfile is not None
            assert context.is_dir(), f"{name}: no build context {context}"
            assert dockerfile.is_file(), f"{name}: no Dockerfile {dockerfile}"
        for entry in service.get("env_file", []):
            if entry.get("required", True):
                assert (REPO_ROOT / entry["path"]).is_file(), f"{name}: {entry['path']} missing"


def test_every_interpolated_variable_is_set_by_dotenv_or_has_a_default(
    dotenv: dict[str, str],
) -> None:
    # Compose reads the project's .env for interpolation; an unset name would become "".
    found = interpolations(COMPOSE_FILE.read_text())
    assert found, "expected the published ports to follow .env"
    unset = sorted({i.name for i in found if i.name not in dotenv and not i.has_default})
    assert unset == []


def test_sales_service_can_be_scaled(services: dict[str, dict[str, Any]]) -> None:
    sales = services["sales-service"]
    # A fixed host port or container name would stop a second replica from starting.
    assert "ports" not in sales
    assert "container_name" not in sales
    assert sales["expose"] == ["8003"]


def test_every_healthy_condition_has_a_healthcheck(services: dict[str, dict[str, Any]]) -> None:
    for name, service in services.items():
        for dependency in service.get("depends_on", {}):
            target = services[dependency]
            in_compose = "healthcheck" in target
            dockerfile = _dockerfile_of(target)
            in_image = dockerfile is not None and "HEALTHCHECK" in dockerfile.read_text()
            assert in_compose or in_image, f"{name} waits for {dependency}: no healthcheck"


def _dockerfile_of(service: dict[str, Any]) -> Path | None:
    build = service.get("build")
    if build is None:
        return None
    if "dockerfile" in build:
        return REPO_ROOT / str(build["dockerfile"])
    return REPO_ROOT / str(build["context"]) / "Dockerfile"


def test_third_party_images_are_pinned_to_the_supported_majors(
    services: dict[str, dict[str, Any]],
) -> None:
    pulled = {name: s["image"] for name, s in services.items() if "build" not in s}
    assert pulled == {"mongo": "mongo:7.0", "redis": "redis:7.4-alpine"}
