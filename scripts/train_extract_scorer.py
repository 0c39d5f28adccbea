"""Fit the extractor's second-pass scorer on the development set, and say how well it generalises.

    python scripts/train_extract_scorer.py            # cross-validate, print the figures, write the weights
    python scripts/train_extract_scorer.py --no-write # cross-validate and print only

The second pass (dashboard/ingest/extract/scorer.py) proposes (party, region) pairs that no rule
linked; a logistic scorer keeps some. Here each pair of each cached development-set article
(scripts/devset.py rebuilds the cache) is labelled by the gold (is the pair among the article's
positions?), the scorer is fitted by Newton's method with an L2 penalty (numpy only), and the
threshold is the one that maximises the (party, region) F1 of the rules' candidates plus the kept
pairs on the training articles.

Generalisation is estimated by cross-validation grouped by article (leave one article out): each
article's pairs are kept or dropped by weights and a threshold fitted on the other articles only,
and the figures printed are those of the rules plus these held-out decisions. The rules themselves
were written on these articles, so the figures are in sample for the rules and out of sample for
the scorer. The weights written to data/extract/scorer.csv are fitted on every article.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.ingest import devset  # noqa: E402
from dashboard.ingest.extract import first_pass, load_rules  # noqa: E402
from dashboard.ingest.extract.rules import SCORER_FEATURES, SCORER_THRESHOLD  # noqa: E402
from dashboard.ingest.extract.scorer import proposals  # noqa: E402
from dashboard.tables import read_table  # noqa: E402

OUT = ROOT / "data" / "extract" / "scorer.csv"
L2 = 1.0  # penalty on the weights (not the bias): few articles, so keep the weights small
THRESHOLDS = [round(t, 2) for t in np.arange(0.3, 0.96, 0.05)]
NOTES = {
    "bias": "the log-odds of a pair with no other feature",
    "cue_in_sentence": "the sentence holds a stance cue",
    "cue_near": "a cue within 80 characters of the region",
    "cue_weight": "the nearest cue's weight (stance_cues.csv)",
    "cue_yield": "the nearest cue asks for ground (withdraw, cede)",
    "cue_reject": "the nearest cue rejects or is negated",
    "cue_position": "the nearest cue is a position (recognise, freeze, special status)",
    "party_speaks": "the party speaks or owns a demand in the sentence",
    "party_named": "the party is only named in the sentence",
    "party_carried": "the party is carried over from the sentence before (or the article's first speaker)",
    "parties_in_sentence": "how many parties the sentence could speak for",
    "region_named": "the region is named outright, not referred to by a phrase",
    "whole_country": "the region is Ukraine as a whole",
    "quoted": "the sentence holds a direct quote",
    "first_line": "the article's first line (a headline)",
    "party_has_rule_candidates": "the rules found positions of this party elsewhere in the article",
    "region_has_rule_candidates": "the rules found positions on this region elsewhere in the article",
    "article_has_rule_candidates": "the rules found any position in the article",
    "party_russia": "the party is Russia",
    "party_ukraine": "the party is Ukraine",
    "party_united_states": "the party is the United States",
    "party_europe": "the party is Europe",
    "repeats": "log of the number of sentences pairing the party with the region",
}


def family_of(root: Path) -> dict[str, str]:
    """Stance -> family (data/stances.csv's outcomes, then the development set's own names)."""
    families = dict(devset.LEGACY_FAMILY)
    table, _ = read_table(root / "data" / "stances.csv", ["stance", "outcome"])
    if table is not None:
        families.update(zip(table["stance"], table["outcome"], strict=True))
    families.update(devset.FAMILY)
    return families


def fit(x: np.ndarray, y: np.ndarray, l2: float = L2, steps: int = 30) -> np.ndarray:
    """Logistic regression by Newton's method; the first column (the bias) is not penalised."""
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 1e-6
    for _ in range(steps):
        p = 1 / (1 + np.exp(-np.clip(x @ w, -30, 30)))
        grad = x.T @ (p - y) + penalty * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return w


def pair_scores(
    articles: list[str], rule_pairs: dict[str, set], gold: dict[str, set], kept: dict[str, set]
) -> tuple[float, float, float]:
    """(party, region) recall, precision and F1 of the rules' pairs plus the kept pairs."""
    hits = wanted = proposed = 0
    for a in articles:
        mine = rule_pairs[a] | kept.get(a, set())
        hits += len(mine & gold[a])
        wanted += len(gold[a])
        proposed += len(mine)
    r = hits / wanted if wanted else 0.0
    p = hits / proposed if proposed else 0.0
    return r, p, (2 * r * p / (r + p) if r + p else 0.0)


def kept_pairs(rows: list[tuple], probs: np.ndarray, threshold: float) -> dict[str, dict]:
    """Article -> {(party, region): family} of the pairs at or above ``threshold`` (the best sentence's stance)."""
    best: dict[str, dict] = defaultdict(dict)
    for (article, party, region, family), p in zip(rows, probs, strict=True):
        if p >= threshold and p > best[article].get((party, region), (-1.0, ""))[0]:
            best[article][(party, region)] = (p, family)
    return {a: {k: v[1] for k, v in pairs.items()} for a, pairs in best.items()}


def choose_threshold(articles, rows, probs, rule_pairs, gold) -> float:
    """The threshold that maximises the training articles' (party, region) F1."""
    best_t, best_f = 1.0, pair_scores(articles, rule_pairs, gold, {})[2]
    for t in THRESHOLDS:
        kept = {a: set(p) for a, p in kept_pairs(rows, probs, t).items()}
        f = pair_scores(articles, rule_pairs, gold, kept)[2]
        if f > best_f + 1e-9:
            best_t, best_f = t, f
    return best_t


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="print the figures, do not write the weights")
    parser.add_argument("--cache", type=Path, default=ROOT / ".cache" / "devset")
    args = parser.parse_args(argv)
    rules, problems = load_rules(ROOT)
    if rules is None:
        sys.exit("\n".join(str(p) for p in problems))
    families = family_of(ROOT)
    manifest = devset.read_articles(ROOT / "data" / "extract_eval" / "articles.csv")
    gold_rows = devset.read_gold(ROOT / "data" / "extract_eval" / "gold.csv")
    gold: dict[str, set] = defaultdict(set)
    gold_fam: dict[str, set] = defaultdict(set)
    for g in gold_rows:
        gold[g.article].add((g.party, g.region))
        gold_fam[g.article].add((g.party, g.region, families.get(g.stance, "open")))
    split_of, rule_pairs, rule_fam, rows, features = {}, {}, {}, [], []
    for article in manifest:
        path = args.cache / f"{article.id}.txt"
        if not path.is_file() or devset.text_sha256(path.read_text(encoding="utf-8")) != article.sha256:
            print(f"not cached or changed, left out: {article.id}", file=sys.stderr)
            continue
        result, records, _dates = first_pass(path.read_text(encoding="utf-8"), rules)
        split_of[article.id] = article.split
        rule_pairs[article.id] = {(c.party, c.region) for c in result.candidates}
        rule_fam[article.id] = {(c.party, c.region, families.get(c.stance, "open")) for c in result.candidates}
        for proposal in proposals(records, result.candidates):
            rows.append((article.id, proposal.party, proposal.region, families.get(proposal.stance, "open")))
            features.append([proposal.features.get(name, 0.0) for name in SCORER_FEATURES])
    x = np.array(features)
    y = np.array([float((party, region) in gold[a]) for a, party, region, _ in rows])
    ids = sorted(split_of)
    print(f"{len(ids)} articles, {len(rows)} second-pass pairs by sentence, {int(y.sum())} of them in the gold")

    # Leave one article out: fit on the others, decide the held-out article's pairs.
    held_out: dict[str, dict] = {}
    for article in ids:
        train = np.array([r[0] != article for r in rows])
        test = ~train
        w = fit(x[train], y[train])
        train_rows = [r for r, t in zip(rows, train, strict=True) if t]
        others = [a for a in ids if a != article]
        t = choose_threshold(others, train_rows, 1 / (1 + np.exp(-(x[train] @ w))), rule_pairs, gold)
        test_rows = [r for r, k in zip(rows, test, strict=True) if k]
        if test_rows:
            probs = 1 / (1 + np.exp(-(x[test] @ w)))
            held_out.update(kept_pairs(test_rows, probs, t))

    print("\n| split | articles | rules (party, region) R / P | + second pass, held out R / P | family F1 rules -> +2nd |")
    print("|---|---:|---|---|---|")
    for split in [*devset.ALL_SPLITS, "all"]:
        arts = [a for a in ids if split in {"all", split_of[a]}]
        r0, p0, _ = pair_scores(arts, rule_pairs, gold, {})
        kept = {a: set(held_out.get(a, {})) for a in arts}
        r1, p1, _ = pair_scores(arts, rule_pairs, gold, kept)
        f0 = family_f1(arts, rule_fam, gold_fam, {})
        f1 = family_f1(arts, rule_fam, gold_fam, held_out)
        print(f"| {split} | {len(arts)} | {r0:.2f} / {p0:.2f} | {r1:.2f} / {p1:.2f} | {f0:.2f} -> {f1:.2f} |")
    silent = [a for a in manifest if a.no_position and a.id in split_of]
    spoke = [a.id for a in silent if rule_pairs[a.id] or held_out.get(a.id)]
    print(f"\nno-position articles with a candidate (held out): {len(spoke)} of {len(silent)} {spoke}")

    w = fit(x, y)
    t = choose_threshold(ids, rows, 1 / (1 + np.exp(-(x @ w))), rule_pairs, gold)
    print(f"\nfitted on all {len(ids)} articles: threshold {t}")
    for name, value in zip(SCORER_FEATURES, w, strict=True):
        print(f"  {name:30s} {value:+.3f}")
    if not args.no_write:
        lines = ["feature,weight,note"]
        lines += [f'{name},{value:.4f},"{NOTES[name]}"' for name, value in zip(SCORER_FEATURES, w, strict=True)]
        lines.append(f'{SCORER_THRESHOLD},{t},"the probability a pair needs to be proposed"')
        OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


def family_f1(articles: list[str], rule_fam: dict[str, set], gold_fam: dict[str, set], kept: dict[str, dict]) -> float:
    """(party, region, family) F1 of the rules' keys plus the kept pairs with their family."""
    hits = wanted = proposed = 0
    for a in articles:
        mine = rule_fam[a] | {(p, r, f) for (p, r), f in kept.get(a, {}).items()}
        hits += len(mine & gold_fam[a])
        wanted += len(gold_fam[a])
        proposed += len(mine)
    r = hits / wanted if wanted else 0.0
    p = hits / proposed if proposed else 0.0
    return 2 * r * p / (r + p) if r + p else 0.0


if __name__ == "__main__":
    raise SystemExit(main())
