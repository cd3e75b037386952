"""Leave-one-batch-out: how the weighing does on labelled cases it was not fitted on.

`rag-or-ft eval` on a shipped set leaves each case out of the precedents' vote, but the saved
weighing was fitted on every case, so its figure is in-sample. This script holds out one batch
at a time (the id prefix before the first `-` in `cases_public.jsonl`; the other sets in eight
folds), fits the precedents, the word model and the weighing on the rest, and reports the
verdicts of the held-out cases: the rules alone, the rules with the precedents' vote (no
weighing), and the weighing, and the ids of the cases the weighing got wrong. Usage:
`python scripts/crossval.py [PRECEDENTS_DIR] [--only STEM]` (`--only threads`: hold out only that
set's folds, which is quicker; `--folds`: hold out the word model's ten folds of batches instead
of one batch at a time, ten fits instead of forty, for comparing two engines quickly).
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from bot.core.triage.analysis import RulesReader
from bot.core.triage.decide import decide
from bot.core.triage.precedents import Precedent, Precedents
from bot.core.triage.weighing import Weighing
from bot.core.triage.wordmodel import fold
from bot.settings import PROJECT_ROOT

FOLDS = 8


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=PROJECT_ROOT / "eval")
    parser.add_argument("--only", help="hold out only this set's folds (a file's stem)")
    parser.add_argument("--folds", action="store_true", help="hold out ten folds of batches")
    parser.add_argument(
        "--dump", type=Path, help="write each held-out case's verdicts and odds here (JSON lines)"
    )
    args = parser.parse_args()
    folder, only = args.folder, args.only
    cases: list[tuple[str, str, Precedent]] = []
    for path in sorted(folder.glob("*.jsonl")):
        for i, case in enumerate(Precedents.load([path]).cases):
            batch = case.id.split("-")[0] if path.stem == "cases_public" else f"{i % FOLDS}"
            group = f"fold {fold(case.id)}" if args.folds else f"{path.stem}:{batch}"
            cases.append((path.stem, group, case))
    reader = RulesReader()
    right: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    missed: dict[str, list[str]] = defaultdict(list)
    rows: list[str] = []
    for group in sorted({g for s, g, _ in cases if only in (None, s)}):
        rest = Precedents([c for _, g, c in cases if g != group])
        weighing = Weighing.fit_on(rest, reader)
        for stem, g, case in cases:
            if g != group or only not in (None, stem):
                continue
            reading = reader.read(case.turns)
            vote = rest.vote(reading.text)
            decision = decide(reading, vote, weighing)
            weighed = decision.verdict
            rules = decide(reading)
            if args.dump is not None and decision.weighed is not None:
                odds = {v.value: round(p, 4) for v, p in decision.weighed.probabilities.items()}
                rows.append(
                    json.dumps(
                        {
                            "id": case.id,
                            "set": stem,
                            "expected": case.verdict.value,
                            "rules": rules.verdict.value,
                            "rules_confidence": rules.confidence,
                            "weighing": weighed.value,
                            "odds": odds,
                            "scores": [rules.scores.knowledge, rules.scores.behaviour],
                        }
                    )
                )
            for name, verdict in (
                ("rules", rules.verdict),
                ("rules+vote", decide(reading, vote).verdict),
                ("weighing", weighed),
            ):
                right[stem][name].append(verdict is case.verdict)
            if weighed is not case.verdict:
                missed[stem].append(f"{case.id} ({case.verdict.value} -> {weighed.value})")
    if args.dump is not None:
        args.dump.write_text("".join(f"{r}\n" for r in rows), encoding="utf-8")
    for stem, figures in right.items():
        line = ", ".join(
            f"{n} {sum(x)}/{len(x)} = {sum(x) / len(x):.2f}" for n, x in figures.items()
        )
        print(f"{stem}: {line}")
        print(f"  missed by the weighing: {', '.join(missed[stem]) or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
