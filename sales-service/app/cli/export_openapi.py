"""Write the service's OpenAPI document: `python -m app.cli.export_openapi [--check]`.

The document comes from the app itself, built with fixed stand-in settings, so it depends on
the code only, never on the environment or `.env` files of whoever runs the export.
"""

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

from app.core.settings import REPO_ROOT, Settings
from app.main import create_app

DEFAULT_OUTPUT = REPO_ROOT / "docs" / "openapi.json"
REGENERATE_COMMAND = "cd sales-service && ../.dev/venv/bin/python -m app.cli.export_openapi"


class _CodeOnlySettings(Settings):
    """Settings from the values given here and the defaults, nothing from the environment."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


def export_settings() -> Settings:
    return _CodeOnlySettings(
        mongodb_url="mongodb://127.0.0.1:27017",
        redis_url="redis://127.0.0.1:6379/0",
        jwt_secret=SecretStr("openapi-export-stand-in-signing-key-0123456789"),
        stripe_secret_key=SecretStr("sk_test_openapi_export_stand_in"),
        stripe_publishable_key="pk_test_openapi_export_stand_in",
        stripe_webhook_secret=SecretStr("whsec_openapi_export_stand_in"),
        stripe_api_base="http://127.0.0.1:8420",
        log_level="WARNING",
    )


def openapi_document() -> dict[str, Any]:
    return create_app(export_settings()).openapi()


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.cli.export_openapi", description=__doc__)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="default: %(default)s")
    parser.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if the file is out of date"
    )
    args = parser.parse_args(argv)
    text = render(openapi_document())
    output: Path = args.output
    if args.check:
        current = output.read_text() if output.exists() else None
        if current != text:
            print(f"{output} is out of date; regenerate it: {REGENERATE_COMMAND}", file=sys.stderr)
            return 1
        print(f"{output} is up to date")
        return 0
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text)
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
