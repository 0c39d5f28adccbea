"""Fit the extractor's second-pass scorer on the development set, and say how well it generalises.

    python scripts/train_extract_scorer.py            # cross-validate, print the figures, write the weights
    python scripts/train_extract_scorer.py --no-write # cross-validate and print only
    python scripts/train_extract_scorer.py --no-write --features cue_near,cue_reject,battle  # compare a set

The second pass (dashboard/ingest/extract/scorer.py) proposes (party, region) pairs that no rule
linked; a logistic scorer keeps some. Here each pair of each cached development-set article
(scripts/devset.py rebuilds the cache) is labelled by the gold (is the pair among the article's
positions?), the scorer is fitted by Newton's method with an L2 penalty (numpy only), and the
threshold is the one that maximises the (party, region) F1 of the rules' candidates plus the kept
pairs on the training articles (1.0, no second pass, when none beats the rules alone).

Generalisation is estimated by cross-validation grouped by article (leave one article out) and
grouped by outlet (leave one newsroom out): each group's pairs are kept or dropped by weights and a
threshold fitted on the other groups only, and the figures printed are those of the rules plus these
held-out decisions. A third check replays round 3: fitted on every split but holdout2, scored on
holdout2. The rules themselves
were written on these articles, so the figures are in sample for the rules and out of sample for
the scorer. The five seed articles, with their curated claims (data/claims.csv), are a further group. The weights
written to data/extract/scorer.csv are fitted on every article.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard import paths  # noqa: E402
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
    "cue_near": "a cue within 80 characters of the region",
    "cue_reject": "the nearest cue rejects or is negated",
    "cue_position": "the nearest cue is a position (recognise, freeze, special status)",
    "quoted": "the sentence holds a direct quote",
    # Computed by scorer.features_of for comparison (--features); not in SCORER_FEATURES, so not weighed.
    "any_cue": "the sentence holds a stance cue",
    "cue_between": "a cue lies between the party and the region",
    "near_words": "party and region at most 12 words apart",
    "far_words": "party and region more than 25 words apart (or the party is not in the sentence)",
    "holder_speaks": "the party speaks in the sentence (a verb of saying, an owner)",
    "holder_absent": "the party is carried over from the sentence before or is the article's first speaker",
    "many_parties": "three or more parties named in the sentence",
    "region_listed": "the region is one item of a list of regions",
    "opening": "one of the article's first two sentences (a headline or lead)",
    "forces": "armed forces are named in the sentence",
    "battle": "the sentence reports fighting (markers.csv 'battle')",
    "party_ruled": "the rules proposed a position of this party elsewhere in the article",
    "region_ruled": "the rules proposed a position on this region elsewhere in the article",
    "inferred": "the region is read from a phrase, not named",
    "whole_country": "the region is Ukraine as a whole",
}


def family_of(root: Path) -> dict[str, str]:
    """Stance -> family (data/stances.csv's outcomes, then the development set's own names)."""
    families = dict(devset.LEGACY_FAMILY)
    table, _ = read_table(root / "data" / "stances.csv", ["stance", "outcome"])
    if table is not None:
        families.update(zip(table["stance"], table["outcome"], strict=True))
    families.update(devset.FAMILY)
    return families


def fit(x: np.ndarray, y: np.ndarray, l2: float = L2, steps: int = 40) -> np.ndarray:
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


def kept_pairs(rows: list[tuple[str, str, str, str]], probs: np.ndarray, threshold: float) -> dict[str, dict]:
    """Article -> {(party, region): family} of the pairs at or above ``threshold`` (the best sentence's stance)."""
    best: dict[str, dict] = defaultdict(dict)
    for (article, party, region, family), p in zip(rows, probs, strict=True):
        if p >= threshold and p > best[article].get((party, region), (-1.0, ""))[0]:
            best[article][(party, region)] = (p, family)
    return {a: {k: v[1] for k, v in pairs.items()} for a, pairs in best.items()}


Row = tuple[str, str, str, str]  # article, party, region, stance family of the pair's best sentence


def choose_threshold(
    articles: list[str], rows: list[Row], probs: np.ndarray, rule_pairs: dict[str, set], gold: dict[str, set]
) -> float:
    """The threshold that maximises the training articles' (party, region) F1."""
    best_t, best_f = 1.0, pair_scores(articles, rule_pairs, gold, {})[2]
    for t in THRESHOLDS:
        kept = {a: set(p) for a, p in kept_pairs(rows, probs, t).items()}
        f = pair_scores(articles, rule_pairs, gold, kept)[2]
        if f > best_f + 1e-9:
            best_t, best_f = t, f
    return best_t


@dataclass
class Data:
    """The second-pass pairs of every cached article, with what the rules and the gold say."""

    split_of: dict[str, str] = field(default_factory=dict)
    rule_pairs: dict[str, set] = field(default_factory=dict)
    rule_fam: dict[str, set] = field(default_factory=dict)
    gold: dict[str, set] = field(default_factory=lambda: defaultdict(set))
    gold_fam: dict[str, set] = field(default_factory=lambda: defaultdict(set))
    no_position: set[str] = field(default_factory=set)
    rows: list[Row] = field(default_factory=list)
    features: list[dict[str, float]] = field(default_factory=list)
    outlet_of: dict[str, str] = field(default_factory=dict)


def training_texts(cache: Path) -> list[tuple[devset.DevArticle, str]]:
    """Each development-set article a fitting may learn from, with its cached text.

    The newest holdout (``devset.FRESH``) is left out: it is scored once, never learned from. A text
    missing from the cache or differing from the annotated one is reported and left out.
    """
    found = []
    for article in devset.read_articles(ROOT / "data" / "extract_eval" / "articles.csv"):
        path = cache / f"{article.id}.txt"
        if article.split == devset.FRESH:
            continue
        if not path.is_file() or devset.text_sha256(path.read_text(encoding="utf-8")) != article.sha256:
            print(f"not cached or changed, left out: {article.id}", file=sys.stderr)
            continue
        found.append((article, path.read_text(encoding="utf-8")))
    return found


def seed_articles() -> tuple[pd.DataFrame, dict[str, str]]:
    """The five seed articles as one more group of articles: their curated claims (data/claims.csv) and texts."""
    claims, problems = read_table(paths.CLAIMS_CSV, ["party", "region", "stance", "seed"])
    if claims is None:
        sys.exit("\n".join(str(p) for p in problems))
    texts = {seed: (paths.SEEDS_DIR / seed).read_text(encoding="utf-8") for seed in sorted(set(claims["seed"]))}
    return claims, texts


def collect(cache: Path) -> Data:
    """Run the rules on each cached article and gather the second pass's pairs."""
    rules, problems = load_rules(ROOT)
    if rules is None:
        sys.exit("\n".join(str(p) for p in problems))
    families = family_of(ROOT)
    data = Data()
    for g in devset.read_gold(ROOT / "data" / "extract_eval" / "gold.csv"):
        data.gold[g.article].add((g.party, g.region))
        data.gold_fam[g.article].add((g.party, g.region, families.get(g.stance, "open")))
    texts: dict[str, tuple[str, str]] = {}  # id -> (split, text)
    for article, text in training_texts(cache):
        texts[article.id] = (article.split, text)
        data.outlet_of[article.id] = article.outlet.split(" (via")[0]
        if article.no_position:
            data.no_position.add(article.id)
    claims, seed_texts = seed_articles()
    for _, row in claims.iterrows():
        data.gold[row["seed"]].add((row["party"], row["region"]))
        data.gold_fam[row["seed"]].add((row["party"], row["region"], families.get(row["stance"], "open")))
    for seed, text in seed_texts.items():
        texts[seed] = ("seeds", text)
        data.outlet_of[seed] = "seeds"
    for article_id, (split, text) in texts.items():
        result, records, _dates = first_pass(text, rules)
        data.split_of[article_id] = split
        data.rule_pairs[article_id] = {(c.party, c.region) for c in result.candidates}
        data.rule_fam[article_id] = {(c.party, c.region, families.get(c.stance, "open")) for c in result.candidates}
        for proposal in proposals(records, result.candidates, rules):
            data.rows.append((article_id, proposal.party, proposal.region, families.get(proposal.stance, "open")))
            data.features.append(proposal.features)
    return data


def cross_validate(
    data: Data, x: np.ndarray, y: np.ndarray, threshold: float | None = None, group_of: dict[str, str] | None = None
) -> dict[str, dict]:
    """Leave one group out (an article, or with ``group_of`` an outlet): each group's pairs decided by weights
    fitted on the others, and a threshold chosen on the others too (or ``threshold`` when given)."""
    ids = sorted(data.split_of)
    group_of = group_of or {a: a for a in ids}
    held_out: dict[str, dict] = {}
    for group in sorted(set(group_of.values())):
        train = np.array([group_of[r[0]] != group for r in data.rows], dtype=bool)
        test = ~train
        if not test.any():
            continue
        w = fit(x[train], y[train])
        t = threshold
        if t is None:
            train_rows = [r for r, k in zip(data.rows, train, strict=True) if k]
            others = [a for a in ids if group_of[a] != group]
            t = choose_threshold(others, train_rows, 1 / (1 + np.exp(-(x[train] @ w))), data.rule_pairs, data.gold)
        test_rows = [r for r, k in zip(data.rows, test, strict=True) if k]
        held_out.update(kept_pairs(test_rows, 1 / (1 + np.exp(-(x[test] @ w))), t))
    return held_out


def held_out_threshold(data: Data, x: np.ndarray, y: np.ndarray) -> float:
    """The threshold whose held-out (party, region) F1 over every article is best; 1.0 (no second pass) wins ties."""
    ids = sorted(data.split_of)
    best_t, best_f = 1.0, pair_scores(ids, data.rule_pairs, data.gold, {})[2]
    for t in THRESHOLDS:
        kept = {a: set(p) for a, p in cross_validate(data, x, y, t).items()}
        f = pair_scores(ids, data.rule_pairs, data.gold, kept)[2]
        if f > best_f + 1e-9:
            best_t, best_f = t, f
    return best_t


def print_figures(data: Data, held_out: dict[str, dict], splits: list[str] | None = None) -> None:
    """Per split: the rules alone, then with the held-out second pass."""
    ids = sorted(data.split_of)
    print("\n| split | articles | rules (party, region) R / P | + second pass, held out R / P | family F1 |")
    print("|---|---:|---|---|---|")
    for split in splits or ["seeds", *devset.ALL_SPLITS, "all"]:
        arts = [a for a in ids if split in {"all", data.split_of[a]}]
        r0, p0, _ = pair_scores(arts, data.rule_pairs, data.gold, {})
        kept = {a: set(held_out.get(a, {})) for a in arts}
        r1, p1, _ = pair_scores(arts, data.rule_pairs, data.gold, kept)
        f0 = family_f1(arts, data.rule_fam, data.gold_fam, {})
        f1 = family_f1(arts, data.rule_fam, data.gold_fam, held_out)
        print(f"| {split} | {len(arts)} | {r0:.2f} / {p0:.2f} | {r1:.2f} / {p1:.2f} | {f0:.2f} -> {f1:.2f} |")
    if splits:
        return
    spoke = sorted(a for a in data.no_position if data.rule_pairs[a] or held_out.get(a))
    print(f"\nno-position articles with a candidate (held out): {len(spoke)} of {len(data.no_position)} {spoke}")


def replay_round3(data: Data, x: np.ndarray, y: np.ndarray) -> dict[str, dict]:
    """Fitted (weights and threshold) on every split but holdout2, the pairs of holdout2 decided."""
    ids = sorted(data.split_of)
    train = np.array([data.split_of[r[0]] != "holdout2" for r in data.rows], dtype=bool)
    w = fit(x[train], y[train])
    train_rows = [r for r, k in zip(data.rows, train, strict=True) if k]
    others = [a for a in ids if data.split_of[a] != "holdout2"]
    t = choose_threshold(others, train_rows, 1 / (1 + np.exp(-(x[train] @ w))), data.rule_pairs, data.gold)
    test_rows = [r for r, k in zip(data.rows, ~train, strict=True) if k]
    return kept_pairs(test_rows, 1 / (1 + np.exp(-(x[~train] @ w))), t)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="print the figures, do not write the weights")
    parser.add_argument("--cache", type=Path, default=ROOT / ".cache" / "devset")
    parser.add_argument(
        "--features",
        help="comma-separated features to compare instead of SCORER_FEATURES (implies --no-write); "
        f"known: {', '.join(NOTES)}",
    )
    args = parser.parse_args(argv)
    names = list(SCORER_FEATURES)
    if args.features:
        names = ["bias", *(f.strip() for f in args.features.split(",") if f.strip() and f.strip() != "bias")]
        unknown = [n for n in names if n not in NOTES]
        if unknown:
            parser.error(f"unknown feature(s): {', '.join(unknown)}")
        args.no_write = True
    data = collect(args.cache)
    x = np.array([[f.get(name, 0.0) for name in names] for f in data.features]).reshape(len(data.rows), len(names))
    y = np.array([float((party, region) in data.gold[a]) for a, party, region, _ in data.rows])
    ids = sorted(data.split_of)
    print(f"{len(ids)} articles, {len(data.rows)} second-pass pairs by sentence, {int(y.sum())} of them in the gold")
    print(f"features: {', '.join(names)}")
    print(
        "\nLeave one article out, the threshold chosen inside each fold as the written one is chosen on all articles:"
    )
    print_figures(data, cross_validate(data, x, y))
    print("\nLeave one outlet out (seeds are one outlet):")
    print_figures(data, cross_validate(data, x, y, group_of=data.outlet_of))
    print("\nRound 3 replayed: fitted on every split but holdout2, scored on holdout2:")
    print_figures(data, replay_round3(data, x, y), splits=["holdout2"])
    best = held_out_threshold(data, x, y)
    print(f"\nFor comparison, the threshold with the best held-out F1 over all articles is {best} (1.0: none)")

    w = fit(x, y)
    t = choose_threshold(ids, data.rows, 1 / (1 + np.exp(-(x @ w))), data.rule_pairs, data.gold)
    print(f"\nfitted on all {len(ids)} articles, threshold {t}")
    for name, value in zip(names, w, strict=True):
        print(f"  {name:30s} {value:+.3f}")
    if not args.no_write:
        lines = ["feature,weight,note"]
        lines += [f'{name},{value:.4f},"{NOTES[name]}"' for name, value in zip(names, w, strict=True)]
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
