"""The gateway template renders for the image as it does for local runs, and nginx accepts it."""

import os
import re
import subprocess
from pathlib import Path
from typing import Any

from repo_files import REPO_ROOT, dockerfile_stages, env_assignments

TEMPLATE = REPO_ROOT / "gateway" / "templates" / "gateway.conf.template"
RENDER_SCRIPT = REPO_ROOT / "dev" / "render-gateway.sh"


def _template_variables() -> set[str]:
    return set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*)\}", TEMPLATE.read_text()))


def _image_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for arguments in dockerfile_stages(REPO_ROOT / "gateway" / "Dockerfile")[-1].all("ENV"):
        env.update(env_assignments(arguments))
    return env


def test_image_local_script_and_template_agree_on_the_variables() -> None:
    names = _template_variables()
    assert names == {"GATEWAY_PORT", "SALES_SERVICE_SERVERS", "FRONTEND_ROOT", "STRIPE_JS_ORIGINS"}
    image_filter = _image_env()["NGINX_ENVSUBST_FILTER"]
    assert set(re.findall(r"[A-Z_]{3,}", image_filter)) == names
    local = re.search(r"envsubst '([^']+)'", RENDER_SCRIPT.read_text())
    assert local is not None
    assert set(re.findall(r"\$\{([A-Z_]+)\}", local.group(1))) == names


def test_compose_gives_the_gateway_every_variable_and_resolves_all_replicas(
    services: dict[str, dict[str, Any]],
) -> None:
    environment = services["gateway"]["environment"]
    provided = set(environment) | set(_image_env())
    assert _template_variables() <= provided
    upstream = " ".join(environment["SALES_SERVICE_SERVERS"].split())
    # `resolve` needs the upstream in shared memory (zone) and a resolver: Docker's DNS.
    assert "zone sales_service " in upstream
    assert "resolver 127.0.0.11 " in upstream
    assert "server sales-service:8003 resolve " in upstream


def test_the_image_rendering_is_a_valid_nginx_config(
    tmp_path: Path, services: dict[str, dict[str, Any]]
) -> None:
    env = {**_image_env(), **services["gateway"]["environment"]}
    env["STRIPE_JS_ORIGINS"] = "http://localhost:8420 http://127.0.0.1:8420"
    # This machine's nginx may predate `resolve`; the upstream lines are checked above.
    env["SALES_SERVICE_SERVERS"] = "server 127.0.0.1:9;"
    env["FRONTEND_ROOT"] = str(tmp_path)
    names = " ".join(f"${{{name}}}" for name in sorted(_template_variables()))
    rendered = subprocess.run(
        ["envsubst", names],
        input=TEMPLATE.read_text(),
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **env},
    ).stdout
    assert "${" not in rendered
    assert "listen 8080;" in rendered
    (tmp_path / "gateway.conf").write_text(rendered)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        "events {}\n"
        f"http {{ include /etc/nginx/mime.types; include {tmp_path}/gateway.conf; }}\n"
    )
    check = subprocess.run(
        ["nginx", "-t", "-q", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr
