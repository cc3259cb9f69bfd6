"""The Dockerfiles' essentials: multi-stage, non-root, a healthcheck, nothing secret baked in."""

import re
from pathlib import Path

import pytest
from repo_files import REPO_ROOT, dockerfile_instructions, dockerfile_stages, env_assignments

DOCKERFILES = {
    "sales-service": REPO_ROOT / "sales-service" / "Dockerfile",
    "gateway": REPO_ROOT / "gateway" / "Dockerfile",
    "stripe-emulator": REPO_ROOT / "stripe-emulator" / "Dockerfile",
}
# What a build context must never carry into an image.
DOCKERIGNORES = {
    REPO_ROOT / ".dockerignore": [".env", ".env.local", ".git", ".dev", "**/node_modules"],
    REPO_ROOT / "sales-service" / ".dockerignore": ["*"],
    REPO_ROOT / "stripe-emulator" / ".dockerignore": ["*"],
}
SECRET_NAME = re.compile(r"SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE|API_?KEY|SECRET_?KEY|CREDENTIAL")
SECRET_VALUE = re.compile(
    r"\b(sk|rk)_(test|live)_\w+|\bpk_live_\w+|\bwhsec_\w+|BEGIN [A-Z ]*PRIVATE"
)

parametrized = pytest.mark.parametrize("path", DOCKERFILES.values(), ids=DOCKERFILES.keys())


@parametrized
def test_is_multi_stage_with_a_slim_or_alpine_runtime(path: Path) -> None:
    stages = dockerfile_stages(path)
    assert len(stages) >= 2
    assert all(stage.name for stage in stages), "every stage is named"
    final = stages[-1]
    assert final.base.endswith(("-slim-bookworm", "-alpine")), final.base
    copied_from = {
        m.group(1) for c in final.all("COPY") for m in [re.search(r"--from=(\S+)", c)] if m
    }
    assert copied_from & {s.name for s in stages[:-1]}, "the runtime copies from a build stage"


@parametrized
def test_base_images_are_pinned(path: Path) -> None:
    for stage in dockerfile_stages(path):
        tag = stage.base.partition(":")[2]
        assert tag and tag != "latest" and re.match(r"\d", tag), f"{stage.base} is not pinned"


@parametrized
def test_runs_as_a_non_root_user(path: Path) -> None:
    users = dockerfile_stages(path)[-1].all("USER")
    assert users, "the runtime stage sets USER"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0")


@parametrized
def test_has_a_healthcheck(path: Path) -> None:
    checks = dockerfile_stages(path)[-1].all("HEALTHCHECK")
    assert len(checks) == 1
    assert "CMD" in checks[0] and "NONE" not in checks[0].split()


@parametrized
def test_bakes_no_secret_into_env_or_arg(path: Path) -> None:
    for instruction in dockerfile_instructions(path):
        if instruction.keyword in ("ENV", "ARG"):
            for name, value in env_assignments(instruction.arguments).items():
                assert not SECRET_NAME.search(name), f"{path.name}: {instruction.keyword} {name}"
                assert not SECRET_VALUE.search(value), f"{path.name}: {name} holds a key"
    assert not SECRET_VALUE.search(path.read_text()), f"{path.name} contains a key"


@parametrized
def test_copies_no_env_file(path: Path) -> None:
    for instruction in dockerfile_instructions(path):
        if instruction.keyword in ("COPY", "ADD"):
            assert ".env" not in instruction.arguments


@pytest.mark.parametrize("path", DOCKERIGNORES, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_build_contexts_leave_secrets_and_local_state_out(path: Path) -> None:
    lines = {line.strip() for line in path.read_text().splitlines()}
    missing = [entry for entry in DOCKERIGNORES[path] if entry not in lines]
    assert missing == []


def test_the_sales_service_image_serves_on_its_port_with_workers_from_env() -> None:
    runtime = dockerfile_stages(DOCKERFILES["sales-service"])[-1]
    command = runtime.all("CMD")[-1]
    assert command.startswith('["sh", "-c", "exec uvicorn app.main:create_app --factory ')
    assert "--port 8003" in command
    workers = r"--workers \"${WEB_CONCURRENCY:-$(nproc)}\""
    assert workers in command, "one worker per CPU unless WEB_CONCURRENCY is set"
    assert "WEB_CONCURRENCY" not in " ".join(runtime.all("ENV")), "no fixed count baked in"
    assert runtime.all("EXPOSE") == ["8003"]
    assert "/health/ready" in runtime.all("HEALTHCHECK")[0]


def test_the_gateway_image_renders_the_repo_template_and_serves_the_built_frontend() -> None:
    stages = dockerfile_stages(DOCKERFILES["gateway"])
    frontend, runtime = stages[0], stages[-1]
    assert frontend.base.startswith("node:")
    assert "npm ci --no-audit --no-fund --loglevel=error" in frontend.all("RUN")
    assert "npm run build" in frontend.all("RUN")
    copies = runtime.all("COPY")
    assert (
        "gateway/templates/gateway.conf.template /etc/nginx/templates/gateway.conf.template"
        in copies
    )
    assert f"--from={frontend.name} /build/erp-frontend/dist /usr/share/nginx/html" in copies


def test_the_gateway_image_supports_resolving_every_replica() -> None:
    # `server ... resolve` and `resolver` inside `upstream` are in open-source nginx from 1.27.3.
    base = dockerfile_stages(DOCKERFILES["gateway"])[-1].base
    version = tuple(int(part) for part in re.findall(r"\d+", base.partition(":")[2])[:3])
    assert base.startswith("nginx:") and version >= (1, 27, 3), base
