"""Readers for the deployment files: env files, the compose file, Dockerfiles, markdown tables.

Small parsers on purpose: the tests check what these files say, so they read them the way
Docker, Compose and the dev scripts do, without a Docker engine.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

REPO_ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"

_ENV_LINE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$")
# Compose interpolation: $$ is a literal dollar; ${NAME}, ${NAME:-x}, ${NAME-x}, ${NAME:?x}, $NAME.
_INTERPOLATION = re.compile(
    r"\$\$|\$\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?P<op>:-|-|:\?|\?|:\+|\+)?[^}]*\}"
    r"|\$(?P<bare>[A-Za-z_][A-Za-z0-9_]*)"
)


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines as the dev scripts and Compose read them (comments and blanks skipped)."""
    values: dict[str, str] = {}
    for line in path.read_text().splitlines():
        match = _ENV_LINE.match(line.strip())
        if match:
            values[match.group(1)] = match.group(2)
    return values


def load_yaml(path: Path) -> Any:
    return YAML(typ="safe", pure=True).load(path.read_text())


@dataclass(frozen=True)
class Interpolation:
    name: str
    has_default: bool


def interpolations(text: str) -> list[Interpolation]:
    """Every variable the compose file interpolates, with whether it carries a default."""
    found = []
    for match in _INTERPOLATION.finditer(text):
        name = match.group("braced") or match.group("bare")
        if name:
            found.append(Interpolation(name, match.group("op") in (":-", "-")))
    return found


@dataclass
class Instruction:
    keyword: str
    arguments: str


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[Instruction] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [i.arguments for i in self.instructions if i.keyword == keyword]


def dockerfile_instructions(path: Path) -> list[Instruction]:
    """Instructions with continuation lines joined and comment lines dropped, as Docker does."""
    instructions: list[Instruction] = []
    pending = ""
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, arguments = (pending + line).partition(" ")
        instructions.append(Instruction(keyword.upper(), arguments.strip()))
        pending = ""
    return instructions


def dockerfile_stages(path: Path) -> list[Stage]:
    stages: list[Stage] = []
    for instruction in dockerfile_instructions(path):
        if instruction.keyword == "FROM":
            words = instruction.arguments.split()
            words = [w for w in words if not w.startswith("--")]
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else None
            stages.append(Stage(base=words[0], name=name))
        elif stages:
            stages[-1].instructions.append(instruction)
    return stages


def env_assignments(arguments: str) -> dict[str, str]:
    """NAME=value pairs of an ENV or ARG instruction (quoted values kept whole)."""
    pairs = re.findall(r'([A-Za-z_][A-Za-z0-9_]*)(?:=("[^"]*"|\'[^\']*\'|\S*))?', arguments)
    return {name: value.strip("\"'") for name, value in pairs}


def markdown_table_rows(path: Path) -> list[list[str]]:
    """Cells of every markdown table row in a file (header and separator rows included)."""
    rows = []
    for line in path.read_text().splitlines():
        stripped = line.strip()
        if stripped.startswith("|") and stripped.endswith("|"):
            rows.append([cell.strip() for cell in stripped[1:-1].split("|")])
    return rows
