"""Adds up the JUnit reports of every suite into one closing line: 'N passed, N failed'.

With --go FILE it instead turns `go test -json` output into a JUnit report beside it.
"""

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def go_json_to_junit(path: Path) -> None:
    cases: list[tuple[str, str]] = []
    for line in path.read_text().splitlines():
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            continue
        if event.get("Test") and event.get("Action") in ("pass", "fail", "skip"):
            cases.append((f"{event['Package']}.{event['Test']}", event["Action"]))
    suite = ET.Element("testsuite", name="go")
    for name, action in cases:
        case = ET.SubElement(suite, "testcase", name=name)
        if action != "pass":
            ET.SubElement(case, "failure" if action == "fail" else "skipped")
    ET.ElementTree(suite).write(path.with_suffix(".xml"))
    passed = sum(1 for _, a in cases if a == "pass")
    print(f"go: {passed} passed, {sum(1 for _, a in cases if a == 'fail')} failed")


def count(report: Path) -> tuple[int, int, int]:
    passed = failed = skipped = 0
    for case in ET.parse(report).getroot().iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
        elif case.find("skipped") is not None:
            skipped += 1
        else:
            passed += 1
    return passed, failed, skipped


def main() -> None:
    if sys.argv[1] == "--go":
        go_json_to_junit(Path(sys.argv[2]))
        return
    totals = [0, 0, 0]
    for report in sorted(Path(sys.argv[1]).glob("*.xml")):
        p, f, s = count(report)
        print(f"  {report.stem:<20} {p:>4} passed {f:>3} failed {s:>3} skipped")
        totals = [totals[0] + p, totals[1] + f, totals[2] + s]
    print(f"{totals[0]} passed, {totals[1]} failed, {totals[2]} skipped")


if __name__ == "__main__":
    main()
