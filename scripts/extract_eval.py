"""Precision and recall of the extractor's candidates against the curated claims, on the seed articles.

    python scripts/extract_eval.py            # print the tables, write docs/extract_eval.md
    python scripts/extract_eval.py --no-write # print only

A candidate and a curated claim match when they agree on article, party,
region and stance ("key" match). The strict measure also asks that the
candidate's evidence sentence contain the curated quote (or lie within it).
Keys are counted once per article: the same (party, region, stance) proposed
from two sentences of one article is one candidate. Events are not compared:
the extractor does not assign them; the reviewer does.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.extract import Candidate, Rules, extract, load_rules  # noqa: E402
from dashboard.tables import read_table  # noqa: E402

REPORT = ROOT / "docs" / "extract_eval.md"
THRESHOLDS = (0.0, 0.3, 0.5)  # confidence cut-offs reported
TIMING_RUNS = 5  # extraction time is the median of this many runs per article

Key = tuple[str, str, str, str]  # seed, party, region, stance


@dataclass(frozen=True)
class Score:
    """Counts behind one precision/recall pair."""

    proposed: int
    curated: int
    matched_proposed: int
    matched_curated: int

    @property
    def precision(self) -> float | None:
        return self.matched_proposed / self.proposed if self.proposed else None

    @property
    def recall(self) -> float | None:
        return self.matched_curated / self.curated if self.curated else None


def curated_claims(root: Path) -> dict[Key, set[str]]:
    """Curated keys with their quotes, from data/claims.csv."""
    table, problems = read_table(root / "data" / "claims.csv", ["party", "region", "stance", "quote", "seed"])
    if table is None:
        sys.exit("\n".join(str(p) for p in problems))
    found: dict[Key, set[str]] = defaultdict(set)
    for _, row in table.iterrows():
        found[(row["seed"], row["party"], row["region"], row["stance"])].add(row["quote"])
    return found


def run_extractor(root: Path, seeds: list[str], rules: Rules) -> tuple[dict[str, list[Candidate]], dict[str, float]]:
    """Candidates per seed, and the median extraction time per seed in milliseconds."""
    candidates, times = {}, {}
    for seed in seeds:
        text = (root / "seeds" / seed).read_text(encoding="utf-8")
        runs = []
        for _ in range(TIMING_RUNS):
            start = time.perf_counter()
            result = extract(text, rules)
            runs.append((time.perf_counter() - start) * 1000)
        candidates[seed] = result.candidates
        times[seed] = statistics.median(runs)
    return candidates, times


def candidate_keys(candidates: dict[str, list[Candidate]], threshold: float) -> dict[Key, list[str]]:
    """Proposed keys with their evidence sentences, keeping candidates at or above ``threshold``."""
    found: dict[Key, list[str]] = defaultdict(list)
    for seed, items in candidates.items():
        for c in items:
            if c.confidence >= threshold:
                found[(seed, c.party, c.region, c.stance)].append(c.quote)
    return found


def strict_match(quotes: set[str], sentences: list[str]) -> bool:
    """True when an evidence sentence holds a curated quote, or lies within one."""
    return any(q in s or s in q for q in quotes for s in sentences)


def score(
    proposed: dict[Key, list[str]], curated: dict[Key, set[str]], keep: object = None, strict: bool = False
) -> Score:
    """Precision/recall counts, optionally for the keys ``keep(key)`` accepts."""
    wanted = keep if callable(keep) else (lambda _key: True)
    mine = {k: v for k, v in proposed.items() if wanted(k)}
    theirs = {k: v for k, v in curated.items() if wanted(k)}

    def hit(key: Key, sentences: list[str]) -> bool:
        return key in theirs and (not strict or strict_match(theirs[key], sentences))

    matched_proposed = sum(1 for k, v in mine.items() if hit(k, v))
    matched_curated = sum(1 for k in theirs if k in mine and hit(k, mine[k]))
    return Score(len(mine), len(theirs), matched_proposed, matched_curated)


def pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"


def table(title: str, rows: list[tuple[str, Score, Score]]) -> list[str]:
    """A markdown table: label, candidates, curated, precision and recall (key and strict)."""
    lines = [
        f"### {title}",
        "",
        "| | candidates | curated | precision | recall | strict precision | strict recall |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label, key_score, strict_score in rows:
        lines.append(
            f"| {label} | {key_score.proposed} | {key_score.curated} | {pct(key_score.precision)} | "
            f"{pct(key_score.recall)} | {pct(strict_score.precision)} | {pct(strict_score.recall)} |"
        )
    return [*lines, ""]


def listing(title: str, keys: list[Key], names: dict[str, str]) -> list[str]:
    """A bullet list of (article, party, region, stance) keys."""
    lines = [f"### {title} ({len(keys)})", ""]
    lines += [f"- {seed[:3]}: {party}, {names.get(region, region)}, {stance}" for seed, party, region, stance in keys]
    return [*lines, ""]


def report(root: Path) -> str:
    """The whole evaluation as markdown."""
    rules, problems = load_rules(root)
    if rules is None:
        sys.exit("\n".join(str(p) for p in problems))
    curated = curated_claims(root)
    seeds = sorted({key[0] for key in curated})
    candidates, times = run_extractor(root, seeds, rules)
    proposed = candidate_keys(candidates, 0.0)

    def rows(labels: list[tuple[str, object]]) -> list[tuple[str, Score, Score]]:
        return [
            (label, score(proposed, curated, keep), score(proposed, curated, keep, strict=True))
            for label, keep in labels
        ]

    regions = sorted({k[2] for k in curated} | {k[2] for k in proposed})
    names = {code: rules.region_names.get(code, "Ukraine as a whole") for code in regions}
    parties = sorted({k[1] for k in curated} | {k[1] for k in proposed})
    lines = [
        "# Extractor evaluation on the five seed articles",
        "",
        "Generated by `python scripts/extract_eval.py`; do not edit by hand. Curated claims: `data/claims.csv`.",
        "A match agrees on article, party, region and stance; *strict* also needs the evidence sentence to hold",
        "the curated quote. Each (article, party, region, stance) counts once.",
        "",
        "These are in-sample figures: the cue lists were written by people who had read these five articles",
        "(no phrase of a curated quote is copied into them; `tests/test_extract.py` checks), so expect lower",
        "recall on new articles. Misses are mostly claims the curators inferred from context the rules do not",
        "follow (see the lists below).",
        "",
    ]
    lines += table("Overall", rows([("all", None)]))
    threshold_rows = []
    for threshold in THRESHOLDS:
        above = candidate_keys(candidates, threshold)
        threshold_rows.append((f"confidence ≥ {threshold}", score(above, curated), score(above, curated, strict=True)))
    lines += table("By confidence threshold", threshold_rows)
    lines += table("By party", rows([(p, lambda k, p=p: k[1] == p) for p in parties]))
    lines += table("By region", rows([(f"{names[c]} ({c})", lambda k, c=c: k[2] == c) for c in regions]))
    lines += table("By article", rows([(s, lambda k, s=s: k[0] == s) for s in seeds]))
    lines += listing("Curated claims the extractor missed", sorted(set(curated) - set(proposed)), names)
    lines += listing("Candidates not among the curated claims", sorted(set(proposed) - set(curated)), names)
    timing = ", ".join(f"{s[:3]}: {times[s]:.0f} ms" for s in seeds)
    lines += [
        "### Speed",
        "",
        f"Extraction time per article (median of {TIMING_RUNS} runs, rules already loaded): {timing}.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the evaluation; write docs/extract_eval.md unless --no-write."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="print only; do not write docs/extract_eval.md")
    parser.add_argument("--root", type=Path, default=ROOT, help="a folder laid out like the repository")
    args = parser.parse_args(argv)
    text = report(args.root)
    print(text)
    if not args.no_write:
        REPORT.write_text(text, encoding="utf-8")
        print(f"written to {REPORT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
