"""The extractor's development set: a manifest of real articles and gold positions read from them.

The article texts are third-party material and never committed; ``scripts/devset.py`` rebuilds them
into ``.cache/devset/<id>.txt``. What is committed, and read and checked here:

- ``data/extract_eval/articles.csv``: one row per article (URL, outlet, date, the query that finds
  it, its split, the SHA-256 of the text the gold was annotated on);
- ``data/extract_eval/gold.csv``: one row per (article, party, region, stance) position, with the
  stance family, how the article sources it, and a short cue in the annotator's own words.

This module owns the set's vocabulary (parties, stances, families, sourcing, splits) and the rule
that assigns splits, so the rebuild script, the scorer and the tests agree on one definition.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dashboard import paths

EVAL_DIR = paths.DATA_DIR / "extract_eval"
ARTICLES_CSV = EVAL_DIR / "articles.csv"
GOLD_CSV = EVAL_DIR / "gold.csv"
ROUNDS_CSV = EVAL_DIR / "rounds.csv"
CACHE_DIR = paths.ROOT / ".cache" / "devset"

SPLIT_SEED = 15  # the number: the seed of the shuffle that assigns dev/test
SPLITS = ("dev", "test")  # the halves the seeded rule deals articles into
# A fresh set, fixed by hand and never dealt by the rule: it was annotated after the rules had been
# tuned on dev and measured on test, so it stays unseen by anyone writing rules, whatever happens
# to the other two halves. Its articles keep this split whatever assign_splits does with the rest.
HOLDOUT = "holdout"
# A second fresh set (round 3), fixed by hand the same way: annotated from the articles and the guide
# alone, before anyone tuned on it, while the first holdout was being tuned on. Like ``holdout`` it is
# never dealt, so its figures stay out of sample until someone writes a rule on one of its articles.
HOLDOUT2 = "holdout2"
# A third fresh set (round 4), fixed by hand the same way while holdout2 was being tuned on: found and
# annotated from the articles and the guide alone, so its figures are round 4's out-of-sample measure.
HOLDOUT3 = "holdout3"
# A fourth fresh set (round 5), fixed by hand the same way while holdout3 was being tuned on: found and
# annotated from the articles and the guide alone, so its figures are round 5's out-of-sample measure.
HOLDOUT4 = "holdout4"
HAND_PLACED = (HOLDOUT, HOLDOUT2, HOLDOUT3, HOLDOUT4)  # splits recorded by hand, left out of the seeded deal
ALL_SPLITS = (*SPLITS, *HAND_PLACED)
# The newest holdout: scored once by scripts/extract_eval.py after a round and never trained on by the
# fitting scripts, so its figure stays out of sample. A round that adds a fresher holdout moves this with it.
FRESH = HAND_PLACED[-1]
KINDS = ("news", "wire")
PARTIES = ("russia", "ukraine", "united_states", "europe", "other")
SOURCING = ("stated", "reported", "second_hand", "inferred")
MAX_CUE_WORDS = 12
WHOLE_COUNTRY = "UA"

# Stance -> family. The gold uses the first block (the project's new vocabulary); the second block
# maps the names today's extractor still emits, so its candidates can be scored on families too.
FAMILY = {
    "annexation_claimed": "russian_control",
    "recognised_de_jure": "russian_control",
    "recognised_form_unstated": "russian_control",
    "recognised_de_facto": "russian_control",
    "withdraw": "russian_control",
    "freeze_as_final_line": "front_line",
    "ceasefire_current_line": "front_line",
    "current_line_basis": "front_line",
    "special_status": "ukrainian_control",
    "return_to_ukraine": "ukrainian_control",
    "cession_rejected": "ukrainian_control",
    "no_change_by_force": "ukrainian_control",
    "demilitarised_zone": "open",
    "criticised_terms": "open",
    "under_discussion": "open",
}
LEGACY_FAMILY = {"front_line_frozen": "front_line", "terms_revised": "open"}
GOLD_STANCES = tuple(FAMILY)
FAMILIES = ("russian_control", "front_line", "ukrainian_control", "open")

ARTICLE_COLUMNS = (
    "id",
    "url",
    "outlet",
    "date",
    "date_basis",
    "kind",
    "no_position",
    "query_corpus",
    "query",
    "split",
    "sha256",
)
GOLD_COLUMNS = ("article", "party", "region", "stance", "family", "sourcing", "cue")
ROUND_COLUMNS = (
    "round",
    "split_scored",
    "articles",
    "measured",
    "commit",
    "recall",
    "precision",
    "family_f1",
    "no_position_silent",
    "note",
)


@dataclass(frozen=True)
class DevArticle:
    """One article of the development set, as the manifest lists it."""

    id: str
    url: str
    outlet: str
    date: str
    date_basis: str
    kind: str
    no_position: bool
    query_corpus: str
    query: str
    split: str
    sha256: str


@dataclass(frozen=True)
class GoldPosition:
    """One position an article states: who, which region, which stance, how it is sourced."""

    article: str
    party: str
    region: str
    stance: str
    family: str
    sourcing: str
    cue: str


def stance_family(stance: str) -> str:
    """The family of a stance from either vocabulary; 'open' for a name neither knows."""
    return FAMILY.get(stance) or LEGACY_FAMILY.get(stance) or "open"


def region_codes(root: Path = paths.ROOT) -> set[str]:
    """Oblast codes of data/geo/oblasts.geojson, and 'UA' for Ukraine as a whole."""
    geo = json.loads((root / "data" / "geo" / "oblasts.geojson").read_text(encoding="utf-8"))
    return {feature["properties"]["code"] for feature in geo["features"]} | {WHOLE_COUNTRY}


def text_sha256(text: str) -> str:
    """SHA-256 of a text's UTF-8 bytes, as articles.csv records it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_articles(path: Path = ARTICLES_CSV) -> list[DevArticle]:
    """The manifest's rows, in file order (raises ValueError naming the file and row when malformed)."""
    rows = _read_csv(path, ARTICLE_COLUMNS)
    articles = []
    for number, row in enumerate(rows, start=2):
        if row["no_position"] not in {"yes", "no"}:
            raise ValueError(f"{path.name} row {number}: no_position must be yes or no, not {row['no_position']!r}")
        articles.append(
            DevArticle(
                **{k: row[k] for k in ARTICLE_COLUMNS if k != "no_position"}, no_position=row["no_position"] == "yes"
            )
        )
    return articles


def read_gold(path: Path = GOLD_CSV) -> list[GoldPosition]:
    """The gold positions, in file order (raises ValueError naming the file when columns are missing)."""
    return [GoldPosition(**{k: row[k] for k in GOLD_COLUMNS}) for row in _read_csv(path, GOLD_COLUMNS)]


@dataclass(frozen=True)
class RoundFigure:
    """One out-of-sample measurement: a round's rules scored on a split no rule had been tuned on yet."""

    round: int
    split_scored: str
    articles: int
    measured: str  # YYYY-MM-DD
    commit: str
    recall: float  # (party, region)
    precision: float  # (party, region)
    family_f1: float  # (party, region, stance family)
    no_position_silent: str  # "k/n", or "" when the measurement did not record it
    note: str


def read_rounds(path: Path = ROUNDS_CSV) -> list[RoundFigure]:
    """The out-of-sample history, in file order (raises ValueError naming the file, row and field of a bad value)."""
    figures = []
    for number, row in enumerate(_read_csv(path, ROUND_COLUMNS), start=2):
        where = f"{path.name} row {number}"
        figures.append(
            RoundFigure(
                round=_count(row, "round", where),
                split_scored=_choice(row, "split_scored", ALL_SPLITS, where),
                articles=_count(row, "articles", where, minimum=1),
                measured=_date(row, "measured", where),
                commit=_commit(row, "commit", where),
                recall=_share(row, "recall", where),
                precision=_share(row, "precision", where),
                family_f1=_share(row, "family_f1", where),
                no_position_silent=_silence(row, "no_position_silent", where),
                note=row["note"],
            )
        )
    return figures


def _count(row: dict[str, str], field: str, where: str, minimum: int = 0) -> int:
    value = row[field]
    if not value.isdigit() or int(value) < minimum:
        raise ValueError(f"{where}: {field} must be a whole number of at least {minimum}, not {value!r}")
    return int(value)


def _choice(row: dict[str, str], field: str, allowed: tuple[str, ...], where: str) -> str:
    if row[field] not in allowed:
        raise ValueError(f"{where}: {field} {row[field]!r} is not one of {', '.join(allowed)}")
    return row[field]


def _date(row: dict[str, str], field: str, where: str) -> str:
    value = row[field]
    try:
        valid = len(value) == 10 and date.fromisoformat(value).isoformat() == value
    except ValueError:
        valid = False
    if not valid:
        raise ValueError(f"{where}: {field} must be a date YYYY-MM-DD, not {value!r}")
    return value


def _commit(row: dict[str, str], field: str, where: str) -> str:
    value = row[field]
    if not 7 <= len(value) <= 40 or any(c not in "0123456789abcdef" for c in value):
        raise ValueError(f"{where}: {field} must be 7 to 40 lowercase hex digits, not {value!r}")
    return value


def _share(row: dict[str, str], field: str, where: str) -> float:
    value = row[field]
    try:
        share = float(value)
    except ValueError:
        share = -1.0  # reported below with the same message as an out-of-range share
    if not 0.0 <= share <= 1.0:
        raise ValueError(f"{where}: {field} must be a number from 0 to 1, not {value!r}")
    return share


def _silence(row: dict[str, str], field: str, where: str) -> str:
    value = row[field]
    if not value:
        return value  # not recorded by that measurement
    silent, _, total = value.partition("/")
    if not (silent.isdigit() and total.isdigit() and int(total) > 0 and int(silent) <= int(total)):
        raise ValueError(f"{where}: {field} must be k/n with k at most n (or empty), not {value!r}")
    return value


def _read_csv(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path.name}: missing column(s) {', '.join(missing)}")
        return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]


def check(articles: list[DevArticle], gold: list[GoldPosition], regions: set[str]) -> list[str]:
    """Every problem of the manifest and gold, each naming the article and field (empty when sound)."""
    problems = _check_articles(articles)
    known = {a.id for a in articles}
    keys: set[tuple[str, str, str, str]] = set()
    for g in gold:
        where = f"gold.csv {g.article} {g.party}/{g.region}/{g.stance}"
        if g.article not in known:
            problems.append(f"{where}: article is not in articles.csv")
        problems += [f"{where}: {p}" for p in _check_position(g, regions)]
        key = (g.article, g.party, g.region, g.stance)
        if key in keys:
            problems.append(f"{where}: the same position is listed twice")
        keys.add(key)
    with_gold = {g.article for g in gold}
    for a in articles:
        if a.no_position and a.id in with_gold:
            problems.append(f"articles.csv {a.id}: marked no_position but gold.csv lists positions for it")
        if not a.no_position and a.id not in with_gold:
            problems.append(f"articles.csv {a.id}: has no gold positions but is not marked no_position")
    return problems


def _check_articles(articles: list[DevArticle]) -> list[str]:
    ids = [a.id for a in articles]
    problems = [f"articles.csv: id {i} appears twice" for i in sorted({i for i in ids if ids.count(i) > 1})]
    urls = [a.url for a in articles]
    problems += [f"articles.csv: url {u} appears twice" for u in sorted({u for u in urls if urls.count(u) > 1})]
    for a in articles:
        if a.split not in ALL_SPLITS:
            problems.append(f"articles.csv {a.id}: split {a.split!r} is not one of {', '.join(ALL_SPLITS)}")
        if a.kind not in KINDS:
            problems.append(f"articles.csv {a.id}: kind {a.kind!r} is not one of {', '.join(KINDS)}")
        if not a.url.startswith(("http://", "https://")):
            problems.append(f"articles.csv {a.id}: url {a.url!r} is not an http(s) address")
        if len(a.sha256) != 64 or any(c not in "0123456789abcdef" for c in a.sha256):
            problems.append(f"articles.csv {a.id}: sha256 is not 64 lowercase hex digits")
        if not (a.query_corpus and a.query and a.outlet and a.date):
            problems.append(f"articles.csv {a.id}: outlet, date, query_corpus and query are all required")
    return problems


def _check_position(g: GoldPosition, regions: set[str]) -> list[str]:
    problems = []
    if g.party not in PARTIES:
        problems.append(f"party {g.party!r} is not one of {', '.join(PARTIES)}")
    if g.region not in regions:
        problems.append(f"region {g.region!r} is not an oblast code nor UA")
    if g.stance not in FAMILY:
        problems.append(f"stance {g.stance!r} is not in the vocabulary")
    elif g.family != FAMILY[g.stance]:
        problems.append(f"family {g.family!r} should be {FAMILY[g.stance]!r}")
    if g.sourcing not in SOURCING:
        problems.append(f"sourcing {g.sourcing!r} is not one of {', '.join(SOURCING)}")
    words = len(g.cue.split())
    if not words or words > MAX_CUE_WORDS:
        problems.append(f"cue has {words} words; it needs 1 to {MAX_CUE_WORDS}")
    return problems


def assign_splits(articles: list[DevArticle], seed: int = SPLIT_SEED) -> dict[str, str]:
    """Split ids between dev and test, about half each, balanced by outlet and by no-position articles.

    Within each stratum (articles with positions, articles without), outlets are shuffled with a
    seeded generator, each outlet's articles are shuffled, and the articles are dealt round-robin
    across outlets into one order; that order then alternates dev, test, dev, ... so one outlet's
    articles fall on both sides and neither side gets all the no-position articles.

    Articles recorded in a hand-placed split (``holdout`` to ``holdout4``) are left out of the deal and
    keep their split, so adding or removing them never moves a dev or test article, and
    no holdout article is dealt.
    """
    rng = random.Random(seed)  # noqa: S311 - a reproducible shuffle, not a secret
    split: dict[str, str] = {a.id: a.split for a in articles if a.split in HAND_PLACED}
    dealt = [a for a in articles if a.split not in HAND_PLACED]
    start = 0
    for stratum in (False, True):
        by_outlet: dict[str, list[str]] = {}
        for a in sorted(dealt, key=lambda a: a.id):
            if a.no_position == stratum:
                by_outlet.setdefault(_outlet_key(a.outlet), []).append(a.id)
        outlets = sorted(by_outlet)
        rng.shuffle(outlets)
        for ids in by_outlet.values():
            rng.shuffle(ids)
        order: list[str] = []
        while any(by_outlet[o] for o in outlets):
            order += [by_outlet[o].pop(0) for o in outlets if by_outlet[o]]
        for index, article_id in enumerate(order, start=start):
            split[article_id] = SPLITS[index % 2]
        start += len(order)
    return split


def _outlet_key(outlet: str) -> str:
    """The newsroom without the site that republished it: 'reuters' for 'Reuters (via Free Beacon)'."""
    return outlet.split(" (", maxsplit=1)[0].strip().lower()


def outlets(articles: list[DevArticle]) -> set[str]:
    """The distinct newsrooms of the set (republishing sites not counted apart)."""
    return {_outlet_key(a.outlet) for a in articles}
