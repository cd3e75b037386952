"""Fit the weighing on the labelled precedents and save it beside them (`make calibrate`).

Run after changing a labelled set in `PRECEDENTS_DIR` or the reader's rules: start-up fits the
weighing itself when the saved one is stale, but that costs seconds at every start, and a test
fails while the file in `eval/` is out of date.
"""

from __future__ import annotations

import sys

from bot.core.triage.analysis import RulesReader
from bot.core.triage.weighing import FILE, Weighing, fingerprint
from bot.runtime import load_precedents
from bot.settings import load_settings


def main() -> int:
    settings = load_settings()
    precedents = load_precedents(settings.precedents_dir)
    if precedents is None:
        print(f"no labelled cases in {settings.precedents_dir}", file=sys.stderr)
        return 1
    weighing = Weighing.fit_on(precedents, RulesReader())
    path = settings.precedents_dir / FILE
    path.write_text(weighing.to_json(fingerprint(precedents)) + "\n", encoding="utf-8")
    print(f"{path}: fitted on {weighing.cases} labelled cases")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
