"""The run's verdict as text (each invariant, its count, the first examples) and as JUnit."""

import xml.etree.ElementTree as ET
from pathlib import Path

from chaos.checker import INVARIANTS, Report

EXAMPLES = 5


def format_report(report: Report, ops: int, kills: int) -> str:
    lines = []
    for name, title in INVARIANTS.items():
        found = report.violations[name]
        lines.append(f"{name} {title}: {len(found)} violation{'s' if len(found) != 1 else ''}")
        lines.extend(f"    {example}" for example in found[:EXAMPLES])
        if len(found) > EXAMPLES:
            lines.append(f"    ... and {len(found) - EXAMPLES} more")
    lines.append(f"chaos: {ops} ops, {kills} kills, {report.total} violations")
    return "\n".join(lines)


def write_junit(report: Report, path: Path, seed: int) -> None:
    suite = ET.Element(
        "testsuite",
        name="chaos",
        tests=str(len(INVARIANTS)),
        failures=str(sum(1 for found in report.violations.values() if found)),
    )
    for name, title in INVARIANTS.items():
        case = ET.SubElement(suite, "testcase", classname="chaos", name=f"{name} {title}")
        found = report.violations[name]
        if found:
            failure = ET.SubElement(
                case, "failure", message=f"{len(found)} violations (seed {seed})"
            )
            failure.text = "\n".join(found)
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(suite).write(path, encoding="utf-8", xml_declaration=True)
