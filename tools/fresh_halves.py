"""`python -m tools.fresh_halves REPORT`: answer accuracy of the two halves of each fresh set.

A fresh set's turns are dealt into half A (its failing turns may be read to find what to build)
and half B (never read turn by turn: its number is the held-out one) by the first byte of the MD5 of
the turn's source (template or conversation id): even is A. REPORT is the JSON of
`python -m tools.evaluate --split fresh,fresh2,fresh3,fresh4 --report REPORT` (docs/evaluation.md); the sets
missing from it are skipped.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

FRESH_SET = "Pandu Izin | fresh set"
FRESH_SETS = (
    FRESH_SET,
    "Pandu Izin | second fresh set",
    "Pandu Izin | third fresh set",
    "Pandu Izin | fourth fresh set",
)


def half(source: str) -> str:
    return "A" if hashlib.md5(source.encode("utf-8")).digest()[0] % 2 == 0 else "B"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    report = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    for set_name in FRESH_SETS:
        turns = report.get(set_name)
        if not turns:
            continue
        for name in ("A", "B"):
            scored = [
                t for t in turns if half(t.get("source") or "") == name and t.get("answer_ok") is not None
            ]
            right = sum(bool(t["answer_ok"]) for t in scored)
            share = 100 * right / len(scored) if scored else 0.0
            print(f"{set_name.split(' | ')[-1]}, half {name}: {share:.1f}% ({right}/{len(scored)})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
