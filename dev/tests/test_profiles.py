"""`make test` never touches `make run`'s data: its own ports, database and data directory."""

import subprocess
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def in_dev_shell(script: str) -> str:
    """Runs `script` after sourcing dev/lib.sh, with an otherwise empty environment."""
    return subprocess.run(
        ["bash", "-c", f"source dev/lib.sh; {script}"],
        cwd=REPO_ROOT,
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def profile_env(profile: str) -> dict[str, str]:
    """The variables dev/lib.sh's load_profile settles on."""
    out = in_dev_shell(f"DEV_PROFILE={profile} load_profile; env")
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)


def test_test_profile_has_its_own_servers_database_and_data() -> None:
    run, test = profile_env("run"), profile_env("test")
    for name in (
        "MONGODB_PORT", "REDIS_PORT", "GATEWAY_PORT", "SALES_SERVICE_PORT",
        "STRIPE_EMULATOR_PORT", "MONGODB_URL", "REDIS_URL", "MONGODB_DB", "STATE_DIR",
    ):  # fmt: skip
        assert run[name] != test[name], name
    assert test["STATE_DIR"].endswith("/.dev/test")
    assert run["STATE_DIR"].endswith("/.dev/run")
    assert test["MONGODB_URL"].endswith(f":{test['MONGODB_PORT']}")


def test_test_profile_ignores_a_shell_set_up_for_make_run() -> None:
    out = in_dev_shell(
        "export MONGODB_URL=mongodb://127.0.0.1:27017 MONGODB_DB=erp_sales; "
        "DEV_PROFILE=test load_profile; echo $MONGODB_URL $MONGODB_DB"
    )
    assert out.split() == ["mongodb://127.0.0.1:27117", "erp_sales_test"]
