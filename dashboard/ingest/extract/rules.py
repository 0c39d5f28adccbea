"""The extractor's rules, read from data files an editor can extend without code.

- ``data/extract/actors.csv``: names, institutions and capitals -> party and speaker;
- ``data/extract/stance_cues.csv``: verbs and phrases -> a stance id of ``data/stances.csv``;
- ``data/extract/region_phrases.csv``: phrases the gazetteer cannot resolve alone
  ("the four regions" only near an annexation, "those regions", "any territory");
- ``data/extract/markers.csv``: word lists (verbs of saying, negation, denial, hedges);
- region names come from ``data/geo/gazetteer.csv`` and ``data/geo/region_groups.csv``
  through :class:`dashboard.geo.Gazetteer`.

Also the extractor's limits and weights, each with the reason for its value.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from dashboard import paths
from dashboard.cache import LruCache
from dashboard.claims import load_sourcing
from dashboard.geo import Gazetteer, read_region_groups
from dashboard.problems import Problem, display_name
from dashboard.tables import read_table, where

EXTRACT_DIR = "extract"  # under data/: the cue lists


ACTOR_COLUMNS = ["pattern", "party", "kind", "speaker", "case", "weight", "note"]


CUE_COLUMNS = ["pattern", "stance", "weight", "kind", "whole_country", "note"]


PHRASE_COLUMNS = ["pattern", "resolve", "needs", "confidence", "inferred", "note"]


MARKER_COLUMNS = ["kind", "pattern", "note"]
SCORER_COLUMNS = ["feature", "weight", "note"]
# What the second pass (scorer.py) knows of a (party, region) pair no rule linked; data/extract/scorer.csv
# weighs each, and its row 'threshold' is the probability a pair needs to be proposed.
SCORER_FEATURES = (
    "bias",
    "cue_near",  # a stance cue within NEAR_CHARS of the region
    "cue_reject",  # that cue rejects or is negated
    "cue_position",  # that cue is a position (recognise, freeze, special status)
    "quoted",  # the sentence quotes someone
)  # few on purpose: the development set has few positive pairs, and more features overfit them
SCORER_THRESHOLD = "threshold"
# What the learned pass (learned.py) weighs for each (party, region) pair of an article; data/extract/learned.csv
# holds one weight per feature (the notes below are written there too) and the row 'threshold'.
LEARNED_FEATURES: dict[str, str] = {
    "bias": "the log-odds of a pair with no other feature",
    "rule": "a rule read this pair",
    "rule_conf": "the highest confidence a rule gave the pair (0 when none)",
    "rule_many": "rules read the pair in two or more sentences",
    "rule_only": "a rule read the pair but no sentence offers it as a plain pair (a resolved holder or region)",
    "any_cue": "some sentence offering the pair holds a stance cue",
    "cue_near": "some sentence has a stance cue within 80 characters of the region",
    "cue_reject": "that cue rejects or is negated",
    "cue_position": "that cue is a position (recognise, freeze, special status)",
    "cue_between": "a cue lies between the party and the region",
    "near_words": "party and region at most 12 words apart in some sentence",
    "holder_speaks": "the party speaks in the sentence (a verb of saying, an owner)",
    "quoted": "the sentence holds a direct quote",
    "region_listed": "the region is one item of a list of regions",
    "opening": "the pair is offered by one of the article's first two sentences",
    "inferred": "the region is read from a phrase in every sentence, never named",
    "whole_country": "the region is Ukraine as a whole",
    "all_far": "party and region more than 25 words apart in every sentence (or the party is absent)",
    "all_absent": "the party is carried over or the article's first speaker in every sentence",
    "all_battle": "every sentence offering the pair reports fighting",
    "all_forces": "every sentence offering the pair names armed forces",
    "all_many_parties": "every sentence offering the pair names three or more parties",
    "rival": "in every sentence offering the pair, a rule gave the region to another party",
    "sentences": "log(1 + sentences offering the pair)",
    "article_ruled": "the rules read some position in the article",
    "party_ruled": "the rules read a position of this party elsewhere in the article",
    "region_ruled": "the rules read a position on this region elsewhere in the article",
    "party_share": "share of the article's offered pairs that have this party",
    "party_speaks": "the party speaks somewhere in the article (a verb of saying, an owner of a demand or plan)",
    "russia": "the party is Russia",
    "ukraine": "the party is Ukraine",
    "united_states": "the party is the United States",
    "europe": "the party is Europe",
}
LEARNED_THRESHOLD = "threshold"
# Where the rules read nothing in the article, a pair no rule read needs this probability instead (no-position
# articles stay silent); a row of data/extract/learned.csv like the threshold.
LEARNED_GATE = "gate"
LEARNED_STANCE_COLUMNS = ["party", "cue_stance", "stance", "count"]


MARKER_KINDS = (
    "reporting",
    "proposal",
    "negation",
    "rejection_after",
    "denial",
    "hedge",
    "annexation_context",
    "battle",
    "signing",
    "signing_of",
    "city",
    "pronoun",
    "place_preposition",
    "title",
    "unnamed",
    "document",
    "accept",
    "reject",
    "generic",
    "topic_after",
    "dropped",
)


ACTOR_KINDS = {"person", "institution", "capital", "country", "collective", "plan", "demand", "forces"}


CUE_KINDS = {"yield", "reject", "position", "fixed", "discussion"}


PHRASE_NEEDS = {"", "annexation", "alone"}


PREVIOUS = "@previous"  # region_phrases.resolve: the regions of an earlier sentence


ANNEXED = "@annexed"  # region_phrases.resolve: the regions the article last said Russia annexed


REJECTED = "cession_rejected"  # the stance a refused or negated cession becomes


DISCUSSED = "under_discussion"  # what a position becomes when the sentence says it is only being discussed


def _sourcing_vocabulary() -> dict[str, str]:
    """How a candidate can be sourced: data/sourcing.csv's closed set (id -> what it means), its one owner."""
    table, problems = load_sourcing(paths.SOURCING_CSV)
    if table is None:
        raise RuntimeError("; ".join(str(p) for p in problems))
    return table["legend"].to_dict()


SOURCING = _sourcing_vocabulary()


# Bounded work: one request must not tie up the server (issue 14). A news sentence is under
# 600 characters and an article under 60,000 characters; past these limits the text is not read.
MAX_SENTENCE_CHARS = 2_000


MAX_ARTICLE_CHARS = 100_000


MAX_MENTIONS = 60  # region mentions read per sentence


# How far (characters) a cue may be from a region and still speak about it:
# the score falls linearly with the distance, to FAR_SCORE at FAR and beyond.
FAR, FAR_SCORE = 250, 0.3


MIN_SCORE = 0.25  # a weaker (cue weight x proximity) is not proposed


NEGATION_WORDS = 6  # words before a cue searched for "not", "never", "refused to"...


AFTER_CHARS = 60  # characters after a cue searched for "is unacceptable", "was denied"...


HEDGE_FACTOR = 0.85  # second-hand reports ("reportedly", "according to insiders") weigh less


HOW_WEIGHT = {  # confidence that the party is right, by how it was found
    "owner": 0.9,
    "speaker": 0.9,
    "speaker after": 0.85,
    "pronoun": 0.8,
    "nearest name before": 0.7,
    "nearest name after": 0.6,
    "previous sentence": 0.5,
    "plan reference": 0.8,
}


_CLAUSE_BREAK = re.compile(r"[;:—–()]|,\s*(?:but|while|whereas|although|despite)\b")


_WORD = re.compile(r"[\w'’-]+")


@dataclass(frozen=True)
class ActorRule:
    """One row of actors.csv, compiled."""

    regex: re.Pattern[str]
    party: str
    kind: str
    speaker: str
    weight: float


@dataclass(frozen=True)
class CueRule:
    """One row of stance_cues.csv, compiled."""

    regex: re.Pattern[str]
    stance: str
    weight: float
    kind: str
    whole_country: bool
    note: str


@dataclass(frozen=True)
class PhraseRule:
    """One row of region_phrases.csv, compiled."""

    regex: re.Pattern[str]
    resolve: str
    needs: str
    confidence: float
    inferred: bool  # the sentence does not name the regions: an editorial reading
    note: str


@dataclass(frozen=True)
class Rules:
    """Everything the extractor matches against, loaded from the data files."""

    actors: tuple[ActorRule, ...]
    cues: tuple[CueRule, ...]
    phrases: tuple[PhraseRule, ...]
    markers: dict[str, re.Pattern[str]]
    gazetteer: Gazetteer
    region_regex: re.Pattern[str]
    region_names: dict[str, str]  # code -> English name
    party_names: dict[str, str]  # party id -> display name
    scorer: dict[str, float] = field(default_factory=dict)  # second-pass feature -> weight
    scorer_threshold: float = 1.0  # probability a second-pass pair needs (1.0: none proposed)
    learned: dict[str, float] = field(default_factory=dict)  # learned-pass feature -> weight
    learned_threshold: float = 1.0  # probability a pair needs in the learned pass
    learned_gate: float = 1.0  # probability a pair no rule read needs where the rules read nothing
    # (party, cue stance) -> gold stance -> count: the stance a pair no rule read is given (learned.guessed_stance)
    learned_stances: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)


def load_rules(root: Path | None = None) -> tuple[Rules | None, list[Problem]]:
    """Read and compile the cue lists for the data under ``root`` (default: $PEACE_MAP_ROOT or the repository).

    Each file is read from ``root`` when it is there, else from the repository,
    so a data folder (``$PEACE_MAP_ROOT``) need only hold what differs. Cached
    per set of files and their modification times, so an edited list is picked up.
    """
    names = [
        f"data/{EXTRACT_DIR}/actors.csv",
        f"data/{EXTRACT_DIR}/stance_cues.csv",
        f"data/{EXTRACT_DIR}/region_phrases.csv",
        f"data/{EXTRACT_DIR}/markers.csv",
        f"data/{EXTRACT_DIR}/scorer.csv",
        f"data/{EXTRACT_DIR}/learned.csv",
        f"data/{EXTRACT_DIR}/learned_stances.csv",
        "data/geo/gazetteer.csv",
        "data/geo/region_groups.csv",
        "data/stances.csv",
        "data/parties.csv",
    ]
    files = tuple(paths.resolve(paths.ROOT / name, root, fallback=True) for name in names)
    stamp = tuple(_mtime(path) for path in files)
    return _RULES.get_or_make((files, stamp), lambda: _load_rules(files))


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1


# Compiled rules per set of files and their modification times: a few data folders at most, so a small bound.
_RULES = LruCache(max_entries=4)


def _load_rules(files: tuple[Path, ...]) -> tuple[Rules | None, list[Problem]]:
    actors_csv, cues_csv, phrases_csv, markers_csv, scorer_csv, learned_csv, learned_stances_csv = files[:7]
    gazetteer_csv, groups_csv, stances_csv, parties_csv = files[7:]
    problems: list[Problem] = []
    stances = _column(stances_csv, "stance", problems)
    parties_table, found = read_table(parties_csv, ["party", "name"])
    problems += found
    party_names = {} if parties_table is None else dict(zip(parties_table["party"], parties_table["name"], strict=True))
    actors = _read_actors(actors_csv, set(party_names), problems)
    cues = _read_cues(cues_csv, stances, problems)
    phrases = _read_phrases(phrases_csv, problems)
    markers = _read_markers(markers_csv, problems)
    weights, threshold = _read_scorer(scorer_csv, problems)
    learned, learned_threshold = _read_scorer(
        learned_csv, problems, [*LEARNED_FEATURES, LEARNED_GATE], LEARNED_THRESHOLD
    )
    learned_gate = learned.pop(LEARNED_GATE, 1.0)
    if not 0 < learned_gate <= 1:
        problems.append(Problem(display_name(learned_csv), "", LEARNED_GATE, f"gate '{learned_gate}' is not in 0..1"))
    learned_stances = _read_learned_stances(learned_stances_csv, stances, set(party_names), problems)
    names, spellings = _read_gazetteer(gazetteer_csv, problems)
    if problems:
        return None, problems
    groups = read_region_groups(groups_csv)
    gazetteer = Gazetteer(spellings, groups)
    # A group name that a context-bound phrase governs ("the four regions") is matched only by that phrase.
    bound = [p.regex for p in phrases if p.needs == "annexation"]
    free_groups = [g for g in groups if not any(rx.fullmatch(g) for rx in bound)]
    region_regex = _region_regex([s for items in spellings.values() for s in items] + free_groups)
    rules = Rules(
        tuple(actors), tuple(cues), tuple(phrases), markers, gazetteer, region_regex, names, party_names,
        weights, threshold, learned, learned_threshold, learned_gate, learned_stances,
    )  # fmt: skip
    return rules, []


def _column(path: Path, column: str, problems: list[Problem]) -> set[str]:
    table, found = read_table(path, [column])
    problems += found
    return set() if table is None else set(table[column])


def _compile(pattern: str, name: str, row: object, flags: int, problems: list[Problem]) -> re.Pattern[str] | None:
    try:
        # Whole words only: "Russia" must not match inside "Russian".
        return re.compile(rf"(?<![\w#])(?:{pattern})(?![\w])", flags)
    except re.error as err:
        problems.append(Problem(name, where(row), "pattern", f"not a valid regular expression: {err}"))
        return None


def _number(value: str, name: str, row: object, column: str, problems: list[Problem]) -> float:
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not 0 < number <= 1:
        problems.append(Problem(name, where(row), column, f"'{value}' is not a number in 0..1"))
    return number


def _read_actors(path: Path, parties: set[str], problems: list[Problem]) -> list[ActorRule]:
    table, found = read_table(path, ACTOR_COLUMNS)
    problems += found
    if table is None:
        return []
    name, rules = display_name(path), []
    for _, row in table.iterrows():
        if row["party"] not in parties:
            problems.append(Problem(name, where(row), "party", f"unknown party '{row['party']}'"))
        if row["kind"] not in ACTOR_KINDS:
            problems.append(Problem(name, where(row), "kind", f"'{row['kind']}' is not one of {sorted(ACTOR_KINDS)}"))
        flags = 0 if row["case"] == "exact" else re.IGNORECASE
        regex = _compile(row["pattern"], name, row, flags, problems)
        weight = _number(row["weight"], name, row, "weight", problems)
        if regex is not None:
            rules.append(ActorRule(regex, row["party"], row["kind"], row["speaker"], weight))
    return rules


def _read_cues(path: Path, stances: set[str], problems: list[Problem]) -> list[CueRule]:
    table, found = read_table(path, CUE_COLUMNS)
    problems += found
    if table is None:
        return []
    name, rules = display_name(path), []
    for _, row in table.iterrows():
        if row["stance"] not in stances:
            problems.append(Problem(name, where(row), "stance", f"unknown stance '{row['stance']}' (see stances.csv)"))
        if row["kind"] not in CUE_KINDS:
            problems.append(Problem(name, where(row), "kind", f"'{row['kind']}' is not one of {sorted(CUE_KINDS)}"))
        regex = _compile(row["pattern"], name, row, re.IGNORECASE, problems)
        weight = _number(row["weight"], name, row, "weight", problems)
        if regex is not None:
            whole = row["whole_country"] == "yes"
            rules.append(CueRule(regex, row["stance"], weight, row["kind"], whole, row["note"]))
    return rules


def _read_phrases(path: Path, problems: list[Problem]) -> list[PhraseRule]:
    table, found = read_table(path, PHRASE_COLUMNS)
    problems += found
    if table is None:
        return []
    name, rules = display_name(path), []
    for _, row in table.iterrows():
        if row["needs"] not in PHRASE_NEEDS:
            problems.append(
                Problem(name, where(row), "needs", f"'{row['needs']}' is not one of {sorted(PHRASE_NEEDS)}")
            )
        regex = _compile(row["pattern"], name, row, re.IGNORECASE, problems)
        confidence = _number(row["confidence"], name, row, "confidence", problems)
        if row["inferred"] not in {"yes", "no"}:
            problems.append(Problem(name, where(row), "inferred", f"'{row['inferred']}' is not 'yes' or 'no'"))
        if regex is not None:
            inferred = row["inferred"] == "yes"
            rules.append(PhraseRule(regex, row["resolve"], row["needs"], confidence, inferred, row["note"]))
    return rules


def _read_markers(path: Path, problems: list[Problem]) -> dict[str, re.Pattern[str]]:
    table, found = read_table(path, MARKER_COLUMNS)
    problems += found
    if table is None:
        return {}
    name, patterns = display_name(path), {}
    for _, row in table.iterrows():
        if row["kind"] not in MARKER_KINDS:
            problems.append(Problem(name, where(row), "kind", f"'{row['kind']}' is not a marker kind"))
            continue
        flags = 0 if row["kind"] == "pronoun" else re.IGNORECASE
        regex = _compile(f"(?:{row['pattern']})", name, row, flags, problems)
        if regex is not None:
            patterns[row["kind"]] = regex
    problems += [Problem(name, "", "kind", f"no '{kind}' row") for kind in MARKER_KINDS if kind not in patterns]
    return patterns


def _read_scorer(
    path: Path,
    problems: list[Problem],
    features: Iterable[str] = SCORER_FEATURES,
    threshold_row: str = SCORER_THRESHOLD,
) -> tuple[dict[str, float], float]:
    """A pass's weights (one per feature of ``features``) and its threshold (the row ``threshold_row``)."""
    features = set(features)
    table, found = read_table(path, SCORER_COLUMNS)
    problems += found
    if table is None:
        return {}, 1.0
    name, weights, threshold = display_name(path), {}, 1.0
    for _, row in table.iterrows():
        try:
            value = float(row["weight"])
        except ValueError:
            problems.append(Problem(name, where(row), "weight", f"'{row['weight']}' is not a number"))
            continue
        if not math.isfinite(value):
            problems.append(Problem(name, where(row), "weight", f"'{row['weight']}' is not a finite number"))
            continue
        if row["feature"] == threshold_row:
            if not 0 < value <= 1:
                problems.append(Problem(name, where(row), "weight", f"threshold '{value}' is not in 0..1"))
            threshold = value
        elif row["feature"] in features:
            weights[row["feature"]] = value
        else:
            unknown = f"'{row['feature']}' is not a feature the scorer reads"
            problems.append(Problem(name, where(row), "feature", unknown))
    return weights, threshold


def _read_learned_stances(
    path: Path, stances: set[str], parties: set[str], problems: list[Problem]
) -> dict[tuple[str, str], dict[str, int]]:
    """(party, cue stance) -> gold stance -> count, as scripts/train_extract_model.py wrote them."""
    table, found = read_table(path, LEARNED_STANCE_COLUMNS)
    problems += found
    if table is None:
        return {}
    name, counts = display_name(path), {}
    for _, row in table.iterrows():
        bad = [
            (column, f"'{row[column]}' is not a stance of data/stances.csv")
            for column in ("cue_stance", "stance")
            if row[column] not in stances
        ]
        if row["party"] not in parties:
            bad.append(("party", f"'{row['party']}' is not a party of data/parties.csv"))
        if not str(row["count"]).isdigit() or int(row["count"]) < 1:
            bad.append(("count", f"'{row['count']}' is not a positive whole number"))
        problems += [Problem(name, where(row), column, message) for column, message in bad]
        if not bad:
            counts.setdefault((row["party"], row["cue_stance"]), {})[row["stance"]] = int(row["count"])
    return counts


def _read_gazetteer(path: Path, problems: list[Problem]) -> tuple[dict[str, str], dict[str, list[str]]]:
    table, found = read_table(path, ["code", "name_en", "name_uk", "spellings"])
    problems += found
    if table is None:
        return {}, {}
    names = dict(zip(table["code"], table["name_en"], strict=True))
    spellings = {
        row["code"]: [row["name_en"], row["name_uk"], *[s.strip() for s in row["spellings"].split(";") if s.strip()]]
        for _, row in table.iterrows()
    }
    return names, spellings


def _region_regex(names: list[str]) -> re.Pattern[str]:
    """One pattern for every spelling, longest first, with an optional 'oblast'/'region' after it."""
    parts = []
    for spelling in sorted(set(names), key=len, reverse=True):
        text = re.escape(spelling)
        text = re.sub(r"(?:\\ )+", " +", text)  # any run of spaces (text is flattened to single-width spaces)
        text = re.sub(r"\\?-", "[- ]", text)
        text = re.sub(r"['’ʼ]", "['’ʼ]?", text)
        parts.append(text)
    suffix = r"(?: +(?:oblasts?|regions?|provinces?))?"
    return re.compile(rf"(?<![\w#])(?P<name>{'|'.join(parts)}){suffix}(?![\w])", re.IGNORECASE)
