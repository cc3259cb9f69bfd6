"""Adds up the JUnit reports of every suite into one closing line: 'N passed, N failed'."""

import sys
import xml.etree.ElementTree as ET
from pathlib import Path


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
    totals = [0, 0, 0]
    for report in sorted(Path(sys.argv[1]).glob("*.xml")):
        p, f, s = count(report)
        print(f"  {report.stem:<20} {p:>4} passed {f:>3} failed {s:>3} skipped")
        totals = [totals[0] + p, totals[1] + f, totals[2] + s]
    print(f"{totals[0]} passed, {totals[1]} failed, {totals[2]} skipped")


if __name__ == "__main__":
    main()
