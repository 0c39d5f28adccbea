"""How well the extractor finds positions: in sample on the seeds, out of sample on the development set.

    python scripts/extract_eval.py             # print the report, write docs/extract_eval.md
    python scripts/extract_eval.py --no-write  # print only
    python scripts/extract_eval.py --cache DIR # score the development-set texts cached in DIR

Two evaluations, each for today's extractor and for the naive baseline of scripts/baseline_extract.py:

- **Seeds** (in sample: the rules were written on them), against data/claims.csv. A candidate and a
  curated claim match when they agree on article, party, region and stance ("key" match); the strict
  measure also asks that the evidence sentence hold the curated quote.
- **Development set** (data/extract_eval/), split into ``dev`` (rules may be written and tuned on it),
  ``test`` (held out in round 1, tuned on in round 2), ``holdout`` (fresh in round 2, tuned on in
  round 3), ``holdout2`` (fresh in round 3, tuned on in round 4), ``holdout3`` (fresh in round 4,
  tuned on in round 5) and ``holdout4`` (a fourth fresh set, annotated in round 5 from the articles
  and the annotation guide alone, before anyone tuned on it):
  (party, region) recall and precision, and (party, region, stance family) precision, recall and F1,
  with every figure's sample size, plus the share of articles stating no position on which no
  candidate is proposed. Where the extractor and the gold disagree is printed for dev only, never for
  test or any holdout.
- **Out-of-sample history** (data/extract_eval/rounds.csv): every figure measured so far on a split
  no rule had been tuned on at the time, one row per round and split, checked as it is read.
  Texts come from the local cache (scripts/devset.py rebuilds it); missing texts, and texts that
  differ from the annotated ones, are named and left out, and the rest is scored.

Keys are counted once per article: the same key proposed from two sentences of one article is one
candidate. Events are not compared: the extractor does not assign them; the reviewer does.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "scripts"))

from baseline_extract import baseline_extract, region_names  # noqa: E402

from dashboard.ingest import devset  # noqa: E402
from dashboard.ingest.extract import Candidate, Rules, extract, load_rules  # noqa: E402
from dashboard.tables import read_table  # noqa: E402

REPORT = ROOT / "docs" / "extract_eval.md"
THRESHOLDS = (0.0, 0.3, 0.5)  # confidence cut-offs reported
SPLIT_LABELS = {
    "dev": "dev (rules may be tuned on it)",
    "test": "test (tuned on in round 2)",
    devset.HOLDOUT: "holdout (tuned on in round 3)",
    devset.HOLDOUT2: "holdout2 (fresh in round 3, tuned on in round 4)",
    devset.HOLDOUT3: "holdout3 (fresh in round 4, tuned on in round 5)",
    devset.HOLDOUT4: "holdout4 (fresh in round 5, never seen by any rule author)",
}
ROUNDS_TITLE = "## Out-of-sample figures by round"
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


def seed_sections(root: Path, rules: Rules) -> list[str]:
    """The in-sample tables on the seeds: by threshold, party, region and article, misses, extras, speed."""
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
        "## In sample: the five seed articles, key by key",
        "",
        "Curated claims: `data/claims.csv`. A match agrees on article, party, region and stance; *strict*",
        "also needs the evidence sentence to hold the curated quote. The cue lists were written by people",
        "who had read these five articles, so these figures say little about new articles.",
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
        "### Speed on the seeds",
        "",
        f"Extraction time per article (median of {TIMING_RUNS} runs, rules already loaded): {timing}.",
        "",
    ]
    return lines


# --- out of sample: the development set ---------------------------------------------------------

Triple = tuple[str, str, str]  # party, region, stance
Extractor = Callable[[str], list[Triple]]
SILENCE_NA = "–"


@dataclass(frozen=True)
class SetScore:
    """Sample sizes and figures for one extractor on one set of articles."""

    articles: int
    gold_positions: int  # distinct (article, party, region, stance)
    gold_pairs: int  # distinct (article, party, region)
    candidates: int  # distinct (article, party, region, stance) proposed
    candidate_pairs: int
    pair_hits: int  # (article, party, region) both proposed and in the gold
    family_gold: int  # distinct (article, party, region, family)
    family_candidates: int
    family_hits: int
    no_position_articles: int
    no_position_silent: int  # of those, how many yield no candidate at all

    @property
    def pair_recall(self) -> float | None:
        return self.pair_hits / self.gold_pairs if self.gold_pairs else None

    @property
    def pair_precision(self) -> float | None:
        return self.pair_hits / self.candidate_pairs if self.candidate_pairs else None

    @property
    def family_recall(self) -> float | None:
        return self.family_hits / self.family_gold if self.family_gold else None

    @property
    def family_precision(self) -> float | None:
        return self.family_hits / self.family_candidates if self.family_candidates else None

    @property
    def family_f1(self) -> float | None:
        p, r = self.family_precision, self.family_recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0


def family_table(root: Path) -> dict[str, str]:
    """Stance -> family for every stance name known: the set's vocabulary, then data/stances.csv's outcomes."""
    families = dict(devset.LEGACY_FAMILY)
    table_, _problems = read_table(root / "data" / "stances.csv", ["stance", "outcome"])
    if table_ is not None:
        families.update(zip(table_["stance"], table_["outcome"], strict=True))
    families.update(devset.FAMILY)
    return families


def score_set(
    gold: set[tuple[str, str, str, str]],
    proposed: dict[str, list[Triple]],
    families: dict[str, str],
    no_position: set[str] = frozenset(),
) -> SetScore:
    """Score the candidates of the articles in ``proposed`` against the gold keys of those articles."""
    scored = set(proposed)
    gold = {k for k in gold if k[0] in scored}
    mine = {(a, p, r, s) for a, triples in proposed.items() for p, r, s in triples}
    gold_pairs, mine_pairs = {k[:3] for k in gold}, {k[:3] for k in mine}

    def fam(keys: set[tuple[str, str, str, str]]) -> set[tuple[str, str, str, str]]:
        return {(a, p, r, families.get(s, "open")) for a, p, r, s in keys}

    gold_fam, mine_fam = fam(gold), fam(mine)
    silent_pool = scored & set(no_position)
    return SetScore(
        articles=len(scored),
        gold_positions=len(gold),
        gold_pairs=len(gold_pairs),
        candidates=len(mine),
        candidate_pairs=len(mine_pairs),
        pair_hits=len(gold_pairs & mine_pairs),
        family_gold=len(gold_fam),
        family_candidates=len(mine_fam),
        family_hits=len(gold_fam & mine_fam),
        no_position_articles=len(silent_pool),
        no_position_silent=sum(1 for a in silent_pool if not proposed[a]),
    )


def load_cache(
    articles: list[devset.DevArticle], cache: Path, allow_mismatch: bool = False
) -> tuple[dict[str, str], list[str], list[str]]:
    """Cached texts by id, the ids missing from the cache, and the ids whose text differs from the annotated one."""
    texts, missing, differs = {}, [], []
    for article in articles:
        path = cache / f"{article.id}.txt"
        if not path.is_file():
            missing.append(article.id)
            continue
        text = path.read_text(encoding="utf-8")
        if devset.text_sha256(text) != article.sha256:
            differs.append(article.id)
            if not allow_mismatch:
                continue
        texts[article.id] = text
    return texts, missing, differs


def run(extractor: Extractor, texts: dict[str, str]) -> dict[str, list[Triple]]:
    """The distinct (party, region, stance) triples an extractor proposes for each text."""
    return {article_id: sorted(set(extractor(text))) for article_id, text in texts.items()}


def extractors(root: Path, rules: Rules) -> dict[str, Extractor]:
    """Today's extractor and the naive baseline, each as text -> triples."""
    names = region_names(root)
    return {
        "extractor": lambda text: [(c.party, c.region, c.stance) for c in extract(text, rules).candidates],
        "baseline": lambda text: [(c.party, c.region, c.stance) for c in baseline_extract(text, names)],
    }


def fmt(value: float | None) -> str:
    return SILENCE_NA if value is None else f"{value:.2f}"


def summary_table(rows: list[tuple[str, str, SetScore]]) -> list[str]:
    """One line per (set, extractor): sample sizes, then the figures."""
    lines = [
        "| set | extractor | articles | gold positions | gold (party, region) | candidates | "
        "candidate (party, region) | (party, region) recall | (party, region) precision | "
        "(party, region, family) precision | (party, region, family) recall | (party, region, family) F1 | "
        "no-position articles with no candidate |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, name, s in rows:
        silent = f"{s.no_position_silent}/{s.no_position_articles}" if s.no_position_articles else SILENCE_NA
        lines.append(
            f"| {label} | {name} | {s.articles} | {s.gold_positions} | {s.gold_pairs} | {s.candidates} | "
            f"{s.candidate_pairs} | {fmt(s.pair_recall)} | {fmt(s.pair_precision)} | {fmt(s.family_precision)} | "
            f"{fmt(s.family_recall)} | {fmt(s.family_f1)} | {silent} |"
        )
    return [*lines, ""]


def differences(
    gold: set[tuple[str, str, str, str]], proposed: dict[str, list[Triple]], families: dict[str, str]
) -> list[str]:
    """Per article: gold (party, region, family) keys missed and candidate keys not in the gold."""
    lines = []
    for article_id in sorted(proposed):
        want = {(p, r, families.get(s, "open")) for a, p, r, s in gold if a == article_id}
        got = {(p, r, families.get(s, "open")) for p, r, s in proposed[article_id]}
        missed, extra = sorted(want - got), sorted(got - want)
        if missed or extra:
            lines.append(f"- **{article_id}**")
            lines += [f"  - missed: {p}, {r}, {f}" for p, r, f in missed]
            lines += [f"  - not in the gold: {p}, {r}, {f}" for p, r, f in extra]
    return [*lines, ""]


def rounds_section(path: Path) -> list[str]:
    """The out-of-sample history as a markdown table, or a line naming why rounds.csv could not be read."""
    lines = [
        ROUNDS_TITLE,
        "",
        "Every figure measured so far on a split that no rule had been written or tuned on at the time",
        f"(`data/extract_eval/{path.name}`; a row is added after each round is scored). *round* is the round",
        "whose rules were measured; round 0 is the rules as written on the seeds, before issue 15.",
        "",
    ]
    try:
        figures = devset.read_rounds(path)
    except OSError as err:
        problem = f"{path.name}: cannot be read ({err.strerror or err})"
    except ValueError as err:
        problem = str(err)
    else:
        lines += [
            "| round | split scored | articles | measured | commit | (party, region) recall | "
            "(party, region) precision | (party, region, family) F1 | no-position articles with no candidate | note |",
            "|---:|---|---:|---:|---|---:|---:|---:|---:|---|",
        ]
        for f in figures:
            note = " ".join(f.note.split()).replace("|", "\\|")  # one table cell: no line break, no bar
            lines.append(
                f"| {f.round} | {f.split_scored} | {f.articles} | {f.measured} | {f.commit} | {f.recall:.2f} | "
                f"{f.precision:.2f} | {f.family_f1:.2f} | {f.no_position_silent or SILENCE_NA} | {note} |"
            )
        return [*lines, ""]
    print(f"out-of-sample history not shown: {problem}", file=sys.stderr)
    return [*lines, f"Not shown: {problem}", ""]


def timing(rules: Rules, texts: dict[str, str]) -> str:
    """Median and slowest extraction time per article over the cached development set."""
    if not texts:
        return "no cached text to time."
    times = []
    for text in texts.values():
        runs = []
        for _ in range(TIMING_RUNS):
            start = time.perf_counter()
            extract(text, rules)
            runs.append((time.perf_counter() - start) * 1000)
        times.append(statistics.median(runs))
    return (
        f"{len(times)} articles, median {statistics.median(times):.0f} ms, slowest {max(times):.0f} ms "
        f"(median of {TIMING_RUNS} runs each, rules already loaded)."
    )


def report(root: Path, cache: Path | None = None, allow_mismatch: bool = False) -> str:
    """The whole evaluation as markdown (also printed: which cached texts are missing or differ)."""
    rules, problems = load_rules(root)
    if rules is None:
        sys.exit("\n".join(str(p) for p in problems))
    families = family_table(root)
    runners = extractors(root, rules)
    articles = devset.read_articles(root / "data" / "extract_eval" / "articles.csv")
    gold_rows = devset.read_gold(root / "data" / "extract_eval" / "gold.csv")
    gold = {(g.article, g.party, g.region, g.stance) for g in gold_rows}
    no_position = {a.id for a in articles if a.no_position}
    texts, missing, differs = load_cache(articles, cache or root / ".cache" / "devset", allow_mismatch)
    for article_id in missing:
        print(f"not cached, not scored: {article_id} (run scripts/devset.py)", file=sys.stderr)
    for article_id in differs:
        note = "scored anyway" if allow_mismatch else "not scored"
        print(f"cached text differs from the annotated one, {note}: {article_id}", file=sys.stderr)

    curated = curated_claims(root)
    seed_texts = {s: (root / "seeds" / s).read_text(encoding="utf-8") for s in sorted({k[0] for k in curated})}
    rows: list[tuple[str, str, SetScore]] = []
    outputs: dict[tuple[str, str], dict[str, list[Triple]]] = {}
    for name, runner in runners.items():
        rows.append(("seeds (in sample)", name, score_set(set(curated), run(runner, seed_texts), families)))
    for split in devset.ALL_SPLITS:
        split_texts = {a.id: texts[a.id] for a in articles if a.split == split and a.id in texts}
        for name, runner in runners.items():
            outputs[(split, name)] = run(runner, split_texts)
            rows.append((SPLIT_LABELS[split], name, score_set(gold, outputs[(split, name)], families, no_position)))

    lines = [
        "# Extractor evaluation",
        "",
        "Generated by `python scripts/extract_eval.py`; do not edit by hand. The development set is",
        "`data/extract_eval/` (manifest, gold, annotation guide); its texts are rebuilt into a local cache",
        "by `python scripts/devset.py` and never committed. *extractor* is `dashboard/ingest/extract/` as it",
        "stands; *baseline* is `scripts/baseline_extract.py` (a party word and a region name in one",
        "sentence, stance from the first keyword).",
        "",
        "## Summary",
        "",
        "Positions are counted once per article. (party, region) figures ignore the stance; the family",
        "figures also need the stance family (Russian control, front line, Ukrainian control, open) to",
        "agree. *no-position articles*: articles that state no territorial position of any party.",
        "The seeds' gold is `data/claims.csv`, whose older stance names are mapped to families too.",
        "",
    ]
    lines += summary_table(rows)
    lines += [
        "Round 2 (issue 15): the test half was used for tuning as well, so its figures are in sample,",
        "like the dev half's. Round 3: the first holdout was tuned on in turn, round 4 tuned on the",
        "second and round 5 on the third, so their figures are in sample too. An out-of-sample figure",
        "needs articles no rule was written or tuned on: today that is holdout4 only. The tuned-on splits'",
        "URLs are listed together below; earlier out-of-sample figures are kept in the table that follows.",
        "",
    ]
    lines += rounds_section(root / "data" / "extract_eval" / "rounds.csv")
    scored = len(texts)
    lines += [
        f"Cache: {scored} of {len(articles)} development-set articles scored"
        + (f"; not cached: {', '.join(missing)}" if missing else "")
        + (f"; cached text differs from the annotated one: {', '.join(differs)}" if differs else "")
        + ".",
        "",
        "## Development split: where the extractor and the gold disagree",
        "",
        "Listed for the dev split only; the test and holdout splits' errors are not printed, so that",
        "nobody tunes a rule on them. (party, region, family) keys.",
        "",
    ]
    lines += differences(gold, outputs[("dev", "extractor")], families)
    lines += ["### Speed on the development set", "", f"Extraction time per article: {timing(rules, texts)}", ""]
    by_split = {s: [a for a in articles if a.split == s] for s in devset.ALL_SPLITS}
    lines += [
        "## URLs any rule was written or tuned on",
        "",
        "The five seed articles in `seeds/` (no URL recorded: see seeds/manifest.csv) and the dev split:",
        "",
        *[f"- {a.id}: {a.url} ({a.outlet}, {a.date})" for a in by_split["dev"]],
        "",
        "The test split, used for tuning in round 2:",
        "",
        *[f"- {a.id}: {a.url} ({a.outlet}, {a.date})" for a in by_split["test"]],
        "",
        "The first holdout split, fresh in round 2 and used for tuning in round 3:",
        "",
        *[f"- {a.id}: {a.url} ({a.outlet}, {a.date})" for a in by_split[devset.HOLDOUT]],
        "",
        "The second holdout split, fresh in round 3 and used for tuning in round 4:",
        "",
        *[f"- {a.id}: {a.url} ({a.outlet}, {a.date})" for a in by_split[devset.HOLDOUT2]],
        "",
        "The third holdout split, fresh in round 4 and used for tuning in round 5:",
        "",
        *[f"- {a.id}: {a.url} ({a.outlet}, {a.date})" for a in by_split[devset.HOLDOUT3]],
        "",
        "## Holdout4 split (fresh in round 5, never seen by any rule author)",
        "",
        "Found and annotated in round 5, while the rules were being tuned on the other 111 articles, by a",
        "reader who neither read the rules nor ran the extractor on them; only their aggregate figures",
        "above are printed. A rule written or tuned on any of these articles makes the holdout4 figures",
        "in-sample, and docs/extract_eval.md must say so.",
        "",
        *[f"- {a.id}: {a.url} ({a.outlet}, {a.date})" for a in by_split[devset.HOLDOUT4]],
        "",
    ]
    lines += seed_sections(root, rules)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the evaluation; write docs/extract_eval.md unless --no-write."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="print only; do not write docs/extract_eval.md")
    parser.add_argument("--root", type=Path, default=ROOT, help="a folder laid out like the repository")
    parser.add_argument("--cache", type=Path, help="folder of cached development-set texts (default .cache/devset)")
    parser.add_argument(
        "--allow-mismatch", action="store_true", help="also score cached texts that differ from the annotated ones"
    )
    args = parser.parse_args(argv)
    text = report(args.root, args.cache, args.allow_mismatch)
    print(text)
    if not args.no_write:
        REPORT.write_text(text, encoding="utf-8")
        print(f"written to {REPORT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
