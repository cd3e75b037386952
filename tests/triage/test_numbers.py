"""Counts, rates, frequencies and latency budgets as people write them."""

from __future__ import annotations

import pytest

from bot.core.triage.numbers import frequencies, latency_ms, per_day, quantities
from bot.core.triage.text import normalize


@pytest.mark.parametrize(
    ("text", "value", "unit_start"),
    [
        ("40,000 SKUs updated monthly", 40_000, "skus"),
        ("2M labelled tickets", 2_000_000, "labelled"),
        ("~5k queries a day", 5_000, "queries"),
        ("1.5 million records", 1_500_000, "records"),
        ("thousands of PDFs", 2_000, "pdfs"),
        ("a single 20-page pdf", 20, "page"),
    ],
)
def test_quantities(text: str, value: float, unit_start: str) -> None:
    found = [q for q in quantities(normalize(text)) if q.unit.startswith(unit_start)]
    assert found and found[0].value == value


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("prices change weekly", 7.0),
        ("updated monthly", 30.0),
        ("revised every 2 weeks", 14.0),
        ("syncs every 15 minutes", 15 / 1440),
        ("reissued every semester", 182.0),
        ("renewed every school year", 365.0),
        ("we have 200 documents", None),
        ("refreshed 3 times a day", 1 / 3),
        ("the handbook is revised annually", 365.0),
        ("inventory changes in real time", 0.01),
        ("the item list grows with each patch", 60.0),
    ],
)
def test_frequencies(text: str, days: float | None) -> None:
    found = frequencies(normalize(text))
    if days is None:
        assert not found
    else:
        assert min(f.days for f in found) == pytest.approx(days)


@pytest.mark.parametrize(
    ("text", "ms"),
    [
        ("p95 under 200ms", 200.0),
        ("latency must stay below 1.5 s", 1500.0),
        ("respond within 300 ms at p99", 300.0),
        ("sub-second answers", 800.0),
        ("we have 200 documents", None),
    ],
)
def test_latency_budget(text: str, ms: float | None) -> None:
    assert latency_ms(normalize(text)) == ms


def test_rates_become_daily() -> None:
    monthly, daily = quantities(normalize("2M requests per month, 5000 queries a day"))
    assert per_day(monthly) == pytest.approx(2_000_000 / 30)
    assert per_day(daily) == 5000
    assert per_day(quantities("40000 skus")[0]) is None
