"""The quantity finder on sentences of its own and on the seeds; the reviewed fact check."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.paths import SEEDS_DIR
from dashboard.quantities import (
    AGREES,
    AGREES_WITHIN,
    AREA,
    DISAGREES,
    LENGTH,
    NOT_CHECKED,
    ROUGHLY,
    ROUGHLY_WITHIN,
    SHARE,
    find_quantities,
    load_factcheck,
    run_factcheck,
    sentences,
    verdict,
)


def _one(text: str):
    found = find_quantities(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("The 800-km line is quiet.", LENGTH, 800),
        ("A front of 1,250 kilometers.", LENGTH, 1250),
        ("They moved 12 kilometres west.", LENGTH, 12),
        ("They moved three miles.", LENGTH, 3 * 1.609344),
        ("It spans 4,300 km².", AREA, 4300),
        ("It spans 4,300 km2 of farmland.", AREA, 4300),
        ("An area of 2.5 thousand square kilometres.", AREA, 2500),
        ("About 40 square miles were lost.", AREA, 40 * 1.609344**2),
        ("Russia holds 18.5% of the country.", SHARE, 0.185),
        ("Turnout was 60 per cent.", SHARE, 0.6),
        ("Nearly a fifth of the land.", SHARE, 0.2),
        ("Roughly one-third of the region.", SHARE, 1 / 3),
        ("Close to three-quarters of Kherson.", SHARE, 0.75),
        ("Only half the oblast.", SHARE, 0.5),
    ],
)
def test_finder_reads_each_kind(text: str, kind: str, value: float) -> None:
    found = _one(text)
    assert found.kind == kind
    assert found.value == pytest.approx(value)
    assert found.sentence == text


def test_square_kilometres_are_not_read_as_a_length() -> None:
    found = find_quantities("The zone covers 9,000 square kilometers and a 20-km strip.")
    assert [(q.kind, q.value) for q in found] == [(AREA, 9000), (LENGTH, 20)]


def test_hedges_are_kept() -> None:
    assert _one("It is approximately 1,000 km long.").hedge == "approximately"
    assert _one("It covers more than 5 percent.").hedge == "more than"
    assert _one("It is 7 km long.").hedge == ""


def test_numbers_that_are_not_quantities_are_ignored() -> None:
    assert find_quantities("A 28-point plan, 110,000 troops, 1,000 per day, in 2025.") == []


def test_each_quantity_keeps_its_own_sentence_and_offsets() -> None:
    text = "The U.S. plan has 20 points. Ukraine holds 25% of Donetsk. It is 60 km away."
    assert [s for _, s in sentences(text)] == [
        "The U.S. plan has 20 points.",
        "Ukraine holds 25% of Donetsk.",
        "It is 60 km away.",
    ]
    share, length = find_quantities(text)
    assert share.sentence == "Ukraine holds 25% of Donetsk." and text[share.start : share.end] == "25%"
    assert length.sentence == "It is 60 km away." and text[length.start : length.end] == "60 km"


def test_seed_figures_are_found() -> None:
    found = {q.text for f in SEEDS_DIR.glob("*.txt") for q in find_quantities(f.read_text(encoding="utf-8"))}
    assert {"one-fifth", "1,100-kilometre", "90,000 square kilometers", "six miles", "10 kilometers"} <= found


def test_verdict_thresholds() -> None:
    assert verdict(1.0) == AGREES
    assert verdict(1 + AGREES_WITHIN) == AGREES
    assert verdict(1 - ROUGHLY_WITHIN) == ROUGHLY
    assert verdict(1 + ROUGHLY_WITHIN + 0.01) == DISAGREES
    assert verdict(None) == NOT_CHECKED


def test_factcheck_rows_are_reviewed_and_hold(tmp_path: Path, sources) -> None:
    table, problems = load_factcheck(events=sources.events)
    assert problems == []
    assert set(table["figure_id"]) >= {"share-one-fifth", "front-1100-km", "donbas-90000-km2"}
    assert (table["note"].str.len() > 40).all()

    bad = tmp_path / "factcheck.csv"
    bad.write_text(
        "figure_id,seed,event,line_date,figure,sentence_start,compute,note\n"
        "x,001_23b6778eaea5c0ad.txt,putin-kyrgyzstan,,one-sixth,This statement,occupied_share,n\n"
        "y,001_23b6778eaea5c0ad.txt,nope,,one-fifth,This statement,occupied_share,n\n"
        "z,001_23b6778eaea5c0ad.txt,putin-kyrgyzstan,,one-fifth,This statement,magic,n\n",
        encoding="utf-8",
    )
    _, problems = load_factcheck(bad, events=sources.events)
    assert [(p.where, p.field) for p in problems] == [("row 2", "figure"), ("row 3", "event"), ("row 4", "compute")]


def test_factcheck_verdicts_on_the_bundled_lines(sources) -> None:
    from dashboard.frontline import load_snapshots

    snapshots, _ = load_snapshots(sources.oblasts)
    table, _ = load_factcheck(events=sources.events)
    checks = {c.figure_id: c for c in run_factcheck(table, snapshots, sources.events, sources.oblasts)}
    assert checks["share-one-fifth"].verdict == AGREES
    assert checks["donbas-90000-km2"].verdict == DISAGREES  # Ukraine held well under 10,000 km² of Donbas
    assert checks["donbas-90000-km2"].ratio > 5
    assert checks["front-1100-km"].computed > 800
    assert checks["advance-six-miles"].verdict == NOT_CHECKED
