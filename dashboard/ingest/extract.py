"""Rule-based extraction of candidate claims from an article's text.

Every rule lives in a data file, so an editor can extend it without code:

- ``data/extract/actors.csv``: names, institutions and capitals -> party and speaker;
- ``data/extract/stance_cues.csv``: verbs and phrases -> a stance id of ``data/stances.csv``;
- ``data/extract/region_phrases.csv``: phrases the gazetteer cannot resolve alone
  ("the four regions" only near an annexation, "those regions", "any territory");
- ``data/extract/markers.csv``: word lists (verbs of saying, negation, denial, hedges);
- region names come from ``data/geo/gazetteer.csv`` and ``data/geo/region_groups.csv``
  through :class:`dashboard.geo.Gazetteer`.

For each sentence the extractor finds region mentions, the nearest stance cue,
and who holds the position (the owner of "X's demands", the speaker of a verb
of saying, or the nearest name). Each candidate carries the verbatim sentence,
a confidence in 0..1 and the reason (which cues matched). Nothing here writes
files; :mod:`dashboard.ingest.review` does, after a person has reviewed the candidates.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from dashboard import paths
from dashboard.claims import WHOLE_COUNTRY, load_sourcing
from dashboard.geo import Gazetteer, read_region_groups
from dashboard.problems import Problem, display_name
from dashboard.tables import read_table, where

EXTRACT_DIR = "extract"  # under data/: the cue lists
ACTOR_COLUMNS = ["pattern", "party", "kind", "speaker", "case", "weight", "note"]
CUE_COLUMNS = ["pattern", "stance", "weight", "kind", "whole_country", "note"]
PHRASE_COLUMNS = ["pattern", "resolve", "needs", "confidence", "inferred", "note"]
MARKER_COLUMNS = ["kind", "pattern", "note"]
MARKER_KINDS = (
    "reporting",
    "proposal",
    "negation",
    "rejection_after",
    "denial",
    "hedge",
    "annexation_context",
    "city",
    "pronoun",
    "place_preposition",
    "title",
    "unnamed",
    "document",
    "accept",
    "reject",
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
ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "gen", "lt", "col", "sen", "rep", "gov", "prof", "jr", "sr", "no", "vs", "etc",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "inc", "ltd", "co", "approx",
}  # fmt: skip
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
            ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
            ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH = r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December)"
_DATE_PATTERNS = [
    ("day", re.compile(rf"\b(?P<day>\d{{1,2}}) {_MONTH},? (?P<year>(?:19|20)\d\d)\b")),
    ("day", re.compile(rf"\b{_MONTH} (?P<day>\d{{1,2}}),? (?P<year>(?:19|20)\d\d)\b")),
    ("day", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<monthnum>\d\d)-(?P<day>\d\d)\b")),
    ("month", re.compile(rf"\b{_MONTH},? (?P<year>(?:19|20)\d\d)\b")),
    ("year", re.compile(r"\b(?:in|since|of|from|until) (?P<year>(?:19|20)\d\d)\b")),
]
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_RELATIVE_DATE = re.compile(
    rf"\b(?:last|this|next|earlier this) (?:week|month|year|weekend|{_WEEKDAY})\b"
    rf"|\b(?:yesterday|today|on {_WEEKDAY})\b",
    re.IGNORECASE,
)
_BOUNDARY = re.compile(r"[.!?…]+[\"”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])")
_TERMINAL = re.compile(r"[.!?…:\"”’)]\s*$")
_CLAUSE_BREAK = re.compile(r"[;:—–()]|,\s*(?:but|while|whereas|although|despite)\b")
_WORD = re.compile(r"[\w'’-]+")


# --------------------------------------------------------------------------
# Rules: the cue lists, compiled once
# --------------------------------------------------------------------------


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
        "data/geo/gazetteer.csv",
        "data/geo/region_groups.csv",
        "data/stances.csv",
        "data/parties.csv",
    ]
    files = tuple(paths.resolve(paths.ROOT / name, root, fallback=True) for name in names)
    return _load_rules(files, tuple(_mtime(path) for path in files))


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1


@lru_cache(maxsize=4)
def _load_rules(files: tuple[Path, ...], stamp: tuple[int, ...]) -> tuple[Rules | None, list[Problem]]:
    actors_csv, cues_csv, phrases_csv, markers_csv, gazetteer_csv, groups_csv, stances_csv, parties_csv = files
    problems: list[Problem] = []
    stances = _column(stances_csv, "stance", problems)
    parties_table, found = read_table(parties_csv, ["party", "name"])
    problems += found
    party_names = {} if parties_table is None else dict(zip(parties_table["party"], parties_table["name"], strict=True))
    actors = _read_actors(actors_csv, set(party_names), problems)
    cues = _read_cues(cues_csv, stances, problems)
    phrases = _read_phrases(phrases_csv, problems)
    markers = _read_markers(markers_csv, problems)
    names, spellings = _read_gazetteer(gazetteer_csv, problems)
    if problems:
        return None, problems
    groups = read_region_groups(groups_csv)
    gazetteer = Gazetteer(spellings, groups)
    # A group name that a context-bound phrase governs ("the four regions") is matched only by that phrase.
    bound = [p.regex for p in phrases if p.needs == "annexation"]
    free_groups = [g for g in groups if not any(rx.fullmatch(g) for rx in bound)]
    region_regex = _region_regex([s for items in spellings.values() for s in items] + free_groups)
    rules = Rules(tuple(actors), tuple(cues), tuple(phrases), markers, gazetteer, region_regex, names, party_names)
    return rules, []


def _column(path: Path, column: str, problems: list[Problem]) -> set[str]:
    table, found = read_table(path, [column])
    problems += found
    return set() if table is None else set(table[column])


def _compile(pattern: str, name: str, row: object, flags: int, problems: list[Problem]) -> re.Pattern[str] | None:
    try:
        # Whole words only: "Russia" must not match inside "Russian".
        return re.compile(rf"(?<![\w#]){pattern}(?![\w])", flags)
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


# --------------------------------------------------------------------------
# Sentences
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Sentence:
    """A sentence: its verbatim text and where it sits in the article."""

    index: int
    paragraph: int
    start: int
    end: int
    text: str  # exactly article[start:end]
    flat: str  # the same with every whitespace character as one space (same length, for matching)


def split_sentences(text: str) -> list[Sentence]:
    """Split an article into sentences, keeping offsets into the original text.

    A line is a paragraph, unless it is wrapped: a line that does not end a
    sentence and is followed by one starting in lower case continues it.
    """
    sentences: list[Sentence] = []
    for paragraph, (start, end) in enumerate(_paragraphs(text)):
        block = text[start:end]
        cut = 0
        for match in _BOUNDARY.finditer(block):
            if _is_abbreviation(block[max(0, match.start() - 40) : match.start() + 1]):
                continue
            _add_sentence(sentences, text, paragraph, start + cut, start + match.end())
            cut = match.end()
        _add_sentence(sentences, text, paragraph, start + cut, end)
    return sentences


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        begin, finish = offset, offset + len(body)
        offset += len(line)
        if not body.strip():
            continue
        if (
            spans
            and _continues(text[max(spans[-1][0], spans[-1][1] - 8) : spans[-1][1]], body)
            and text[spans[-1][1] : begin].count("\n") == 1
        ):
            spans[-1] = (spans[-1][0], finish)
        else:
            spans.append((begin, finish))
    return spans


def _continues(previous: str, line: str) -> bool:
    """True when ``line`` wraps on from ``previous`` (hard-wrapped plain text)."""
    first = line.lstrip()[:1]
    return not _TERMINAL.search(previous) and (first.islower() or first in ",;")


def _is_abbreviation(before: str) -> bool:
    word = re.search(r"([\w.]+)\.$", before)
    if word is None:
        return False
    token = word.group(1)
    # "U.S.", "U.N." and initials ("J.") do not end a sentence.
    return token.lower() in ABBREVIATIONS or bool(re.fullmatch(r"(?:[A-Z]\.)*[A-Z]", token))


def _add_sentence(sentences: list[Sentence], text: str, paragraph: int, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        body = text[start:end]
        flat = re.sub(r"\s", " ", body)
        sentences.append(Sentence(len(sentences), paragraph, start, end, body, flat))


# --------------------------------------------------------------------------
# What a sentence mentions
# --------------------------------------------------------------------------

_Span = TypeVar("_Span", "Actor", "Mention")


@dataclass(frozen=True)
class Mention:
    """Region(s) a span of a sentence refers to, and how they were resolved."""

    start: int
    end: int
    text: str
    codes: tuple[str, ...]
    how: str
    confidence: float
    named: bool  # a region named outright (not "those regions" nor "any territory")
    inferred: str = ""  # why the region list is an editorial reading, '' when the sentence names it


@dataclass(frozen=True)
class Actor:
    """A name, institution or capital that may hold a position."""

    start: int
    end: int
    text: str
    party: str
    kind: str
    speaker: str
    weight: float
    place: bool  # "in Ukraine", "to Moscow", "the Ukraine war", "if Kyiv agrees": not a holder here
    obliged: bool = False  # "Ukraine must ...", "Kyiv should ...": the side asked to act, not the one asking


@dataclass(frozen=True)
class Hit:
    """A stance cue found in a sentence, after negation was read."""

    start: int
    end: int
    text: str
    stance: str
    weight: float
    kind: str
    whole_country: bool
    negated: str  # the negating words, '' if none
    refused_after: str  # "is unacceptable"... after the cue, '' if none
    note: str


def find_actors(sentence: Sentence, rules: Rules) -> list[Actor]:
    """Actors in a sentence, longest match first, adjacent names of one party merged."""
    found: list[Actor] = []
    for rule in rules.actors:
        for match in rule.regex.finditer(sentence.flat):
            before = sentence.flat[: match.start()]
            after = sentence.flat[match.end() : match.end() + 40]
            place = (
                rule.kind in {"country", "capital"}
                and (_ends_with(before, rules.markers["place_preposition"]) or bool(_ATTRIBUTIVE.match(after)))
            ) or bool(_CONDITIONAL.search(before[-30:]))
            obliged = bool(_OBLIGED.match(after))
            speaker = rule.speaker or _tidy(match.group(0))
            found.append(
                Actor(
                    match.start(),
                    match.end(),
                    match.group(0),
                    rule.party,
                    rule.kind,
                    speaker,
                    rule.weight,
                    place or obliged,
                    obliged,
                )
            )
    kept = _non_overlapping(found)
    merged: list[Actor] = []
    for actor in kept:
        last = merged[-1] if merged else None
        if last and last.party == actor.party and not sentence.flat[last.end : actor.start].strip():
            # "Ukrainian President Volodymyr Zelenskyy": one speaker, named by the person.
            person = actor if actor.kind == "person" else last
            merged[-1] = Actor(
                last.start,
                actor.end,
                sentence.flat[last.start : actor.end],
                actor.party,
                person.kind,
                person.speaker,
                max(last.weight, actor.weight),
                last.place or actor.obliged,
                actor.obliged,
            )
        else:
            merged.append(actor)
    return _pairs(merged, rules)


_PAIR = re.compile(r"^(?:both )?(?:the )?([A-Z][\w.]*) and ([A-Z][\w.]*) ", re.IGNORECASE)


def _pairs(actors: list[Actor], rules: Rules) -> list[Actor]:
    """ "Ukrainian and European officials": one group naming two parties, each of which speaks."""
    found: list[Actor] = []
    for actor in actors:
        found.append(actor)
        pair = _PAIR.match(actor.text) if actor.kind == "collective" else None
        if pair is None:
            continue
        for word in pair.groups():
            probe = f"{word} officials"
            party = next((r.party for r in rules.actors if r.kind == "collective" and r.regex.fullmatch(probe)), "")
            if party and party not in {a.party for a in found if a.start == actor.start}:
                found.append(dataclasses.replace(actor, party=party, speaker=_tidy(actor.text)))
    return found


# "the Ukraine war", "the Russia talks": a country's name used as a modifier names no one who speaks.
_ATTRIBUTIVE = re.compile(
    r" (?:peace )?(?:process|war|conflict|crisis|talks|negotiations|settlement|issue|question|file|summit)\b",
    re.IGNORECASE,
)
# "as soon as Ukraine announces ...", "if Kyiv agrees ...": the subject of a condition states no position.
_CONDITIONAL = re.compile(
    r"\b(?:as soon as|once|if|unless|until|provided(?: that)?|on condition that)(?: the)?\s*$", re.IGNORECASE
)
# "Ukraine must ...", "Kyiv should ...": the side asked to act; the demand is someone else's.
_OBLIGED = re.compile(
    r"(?:,[^,]{1,30},)?(?: [a-z]+ly)? (?:must|should|has to|have to|needs? to|would (?:need|have) to|is to|are to|"
    r"ought to|is (?:obliged|required|expected) to)\b",
    re.IGNORECASE,
)


def _tidy(text: str) -> str:
    text = re.sub(r"^the ", "", text, flags=re.IGNORECASE)
    return text[:1].upper() + text[1:]


def _ends_with(before: str, regex: re.Pattern[str]) -> bool:
    words = _WORD.findall(before[-40:])
    return bool(words) and bool(regex.fullmatch(words[-1]))


def _non_overlapping(items: list[_Span], rank: Callable[[_Span], int] = lambda _: 0) -> list[_Span]:
    """Keep the longest of overlapping spans (then the higher ``rank``, then the earlier), in text order."""
    kept: list[_Span] = []
    for item in sorted(items, key=lambda i: (-(i.end - i.start), -rank(i), i.start)):
        if all(item.end <= other.start or item.start >= other.end for other in kept):
            kept.append(item)
    return sorted(kept, key=lambda i: i.start)


WEAK_CUE = 0.5  # a cue this weak ("take control of") is not read after a threat
_THREAT = re.compile(r"\bthreat\w*", re.IGNORECASE)


def find_hits(sentence: Sentence, rules: Rules) -> list[Hit]:
    """Stance cues in a sentence, each read against the negation around it."""
    found: list[Hit] = []
    for rule in rules.cues:
        for match in rule.regex.finditer(sentence.flat):
            if rule.weight < WEAK_CUE and _THREAT.search(sentence.flat, max(0, match.start() - 60), match.start()):
                continue  # "threatened to fight on and take control of ...": a war aim, not a position in talks
            negated = _negation(sentence.flat[: match.start()], rules)
            after = _clause_after(sentence.flat[match.end() : match.end() + AFTER_CHARS])
            refused = rules.markers["rejection_after"].search(after)
            found.append(
                Hit(
                    match.start(),
                    match.end(),
                    match.group(0),
                    rule.stance,
                    rule.weight,
                    rule.kind,
                    rule.whole_country,
                    negated,
                    refused.group(0) if refused else "",
                    rule.note,
                )
            )
    # "recognising Crimea as Russian territory": "as Russian territory" completes the recognition; it is
    # not a second cue claiming an annexation.
    found = [
        h
        for h in found
        if not (
            h.stance == "annexation_claimed"
            and re.match(r"as\b", h.text, re.IGNORECASE)
            and any(o.stance.startswith("recognised") and 0 <= h.start - o.end <= 80 for o in found)
        )
    ]
    # Where cues overlap, the more specific (longer, then heavier) one speaks.
    found.sort(key=lambda h: (-(h.end - h.start), -h.weight, h.start))
    kept: list[Hit] = []
    for hit in found:
        if all(hit.end <= other.start or hit.start >= other.end for other in kept):
            kept.append(hit)
    return sorted(kept, key=lambda h: h.start)


_NEW_PHRASE = re.compile(r"\b(?:and|or|but) (?=(?:the|a|an|its|their|his|her|our|full|complete)\b)", re.IGNORECASE)
# "Not a single person would ...", "No one can ...": a negative subject denies its whole clause.
_NEGATIVE_SUBJECT = re.compile(r"^\W*(?:not a single|no one|nobody|none of|neither)\b", re.IGNORECASE)


_REFUSAL = re.compile(r"\b(?:refus\w*|unwilling(?:ness)?|declin\w*) to\b", re.IGNORECASE)


def _negation(before: str, rules: Rules) -> str:
    """The negating words among the last few words of the cue's clause, or ''.

    A negation reaches over its own phrase only: in "without preconditions and the full restoration of ..."
    the restoration is not negated.
    """
    clause = re.split(r"[,;:—–()]", before)[-1]
    subject = _NEGATIVE_SUBJECT.search(clause)
    if subject:
        return subject.group(0).strip(' "“‘')
    refusal = _REFUSAL.search(clause)
    if refusal:  # "refused to reform the system or grant special status": a refusal governs its whole clause
        return refusal.group(0)
    clause = _NEW_PHRASE.split(clause)[-1]
    words = _WORD.findall(clause)[-NEGATION_WORDS:]
    window = " ".join(words)
    for kind in ("negation", "denial"):
        match = rules.markers[kind].search(window)
        if match:
            return match.group(0)
    return ""


def _clause_after(text: str) -> str:
    return re.split(r"[;:—–()]|,\s*(?:but|while|and)\b", text)[0]


@dataclass
class ArticleContext:
    """What the article as a whole says, kept while its sentences are read in order."""

    annexation: dict[tuple[str, ...], tuple[str, int | None]] = field(default_factory=dict)
    annexed: tuple[str, ...] = ()  # regions the article last read as annexed by Russia
    annexed_in: int = -1  # in which sentence
    context_regions: tuple[str, ...] | None = None  # regions the first annexation sentence names (None: not read)


def find_regions(
    sentences: list[Sentence],
    index: int,
    rules: Rules,
    earlier: dict[int, list[Mention]],
    actors: list[Actor],
    cache: ArticleContext | None = None,
) -> list[Mention]:
    """Region mentions in sentence ``index``; ``earlier`` holds the named mentions of sentences before it.

    ``cache`` keeps what the article as a whole says (an annexation context) between calls for one article.
    """
    cache = ArticleContext() if cache is None else cache
    sentence = sentences[index]
    flat = sentence.flat
    found: list[Mention] = []
    capitals = {(a.start, a.end) for a in actors if a.kind == "capital"}
    for match in rules.region_regex.finditer(flat):
        if (match.start(), match.end()) in capitals or _is_city(flat, match.start(), match.end(), rules):
            continue
        codes = rules.gazetteer.resolve(match.group(0)) or rules.gazetteer.resolve(match.group("name"))
        if codes:
            how = f"'{match.group(0)}' is {_names(codes, rules)} (gazetteer)"
            found.append(Mention(match.start(), match.end(), match.group(0), tuple(codes), how, 1.0, True))
    for rule in rules.phrases:
        for match in rule.regex.finditer(flat):
            mention = _phrase_mention(rule, match, sentences, index, rules, earlier, cache)
            if mention is not None:
                found.append(mention)
    # A phrase rule outranks the gazetteer on the same span ("Crimea" -> the peninsula).
    mentions = _non_overlapping(found, rank=lambda m: 0 if m.how.endswith("(gazetteer)") else 1)
    mentions = [m for m in mentions if not _russias_own(m, actors)]
    if any(m.named or (WHOLE_COUNTRY not in m.codes and not m.inferred) for m in mentions):
        # A sentence that names regions, or refers back to named ones ("the territory of these regions"),
        # is about them, not Ukraine as a whole nor "the annexation" in general.
        mentions = [m for m in mentions if WHOLE_COUNTRY not in m.codes and (m.named or not m.inferred)]
    return mentions


def _russias_own(mention: Mention, actors: list[Actor]) -> bool:
    """True for "its territory" when "it" is Russia ("Russia demands Ukraine leave its territory"): not Ukraine's."""
    if WHOLE_COUNTRY not in mention.codes or not re.match(r"(?:its|their) ", mention.text, re.IGNORECASE):
        return False
    before = [a for a in actors if a.end <= mention.start and not a.place and a.kind != "forces"]
    return bool(before) and before[0].party == "russia"


def _is_city(flat: str, start: int, end: int, rules: Rules) -> bool:
    """True for a name in a list after 'cities' ('cities like Dnipro, Zaporizhzhia') or followed by 'city'."""
    if re.match(r" +(?:city|town)\b", flat[end:], re.IGNORECASE):
        return True
    before = flat[max(0, start - 80) : start]
    found = list(rules.markers["city"].finditer(before))
    if not found:
        return False
    between = before[found[-1].end() :]
    filler = r"(?:\s|,|and|or|of|like|such as|including|the|as|[A-Z][\w'’-]*)*"
    return re.fullmatch(filler, between) is not None


def _phrase_mention(  # noqa: PLR0911
    rule: PhraseRule,
    match: re.Match[str],
    sentences: list[Sentence],
    index: int,
    rules: Rules,
    earlier: dict[int, list[Mention]],
    cache: ArticleContext,
) -> Mention | None:
    text = match.group(0)
    if rule.resolve == WHOLE_COUNTRY:
        how = f"'{text}' is Ukraine as a whole"
        return Mention(match.start(), match.end(), text, (WHOLE_COUNTRY,), how, rule.confidence, False)
    if rule.resolve == ANNEXED:
        codes, where_ = cache.annexed, f"annexed in sentence {cache.annexed_in + 1}"
        if not codes:  # nothing annexed yet: the regions the annexation sentence names, else the four oblasts
            codes = tuple(rules.gazetteer.resolve("the four regions"))
            where_ = _annexation_context(sentences, rules, codes, cache)
            if not where_.startswith("annexation context"):
                return None
            named = _context_regions(sentences, rules, cache)
            codes = named or codes
        how = f"'{text}' read as {_names(codes, rules)} ({where_})"
        inferred = f"{how}: the sentence does not name them"
        return Mention(match.start(), match.end(), text, codes, how, rule.confidence, False, inferred)
    if rule.resolve == PREVIOUS:
        codes, source = _previous_codes(sentences, index, earlier)
        if not codes:
            return None
        how = f"'{text}' refers to {_names(codes, rules)}, named in sentence {source + 1}"
        return Mention(match.start(), match.end(), text, codes, how, rule.confidence, False)
    # "the four regions + Crimean Peninsula": a phrase may stand for several groups at once.
    codes = tuple(dict.fromkeys(c for part in rule.resolve.split(" + ") for c in rules.gazetteer.resolve(part)))
    if not codes:
        return None
    how = f"'{text}' is {_names(codes, rules)}"
    if rule.needs == "annexation":
        context = _annexation_context(sentences, rules, codes, cache)
        if not context:
            return None
        how += f" ({context})"
    elif rule.note:
        how += f" ({rule.note})"
    inferred = f"'{text}' read as {_names(codes, rules)}: the sentence does not name them" if rule.inferred else ""
    return Mention(match.start(), match.end(), text, codes, how, rule.confidence, True, inferred)


def _previous_codes(
    sentences: list[Sentence], index: int, earlier: dict[int, list[Mention]]
) -> tuple[tuple[str, ...], int]:
    """Codes named in the nearest of the two sentences before that names any.

    News paragraphs are one or two sentences long, so "these regions" may refer across a paragraph break.
    """
    for back in range(index - 1, max(-1, index - 3), -1):
        codes = tuple(dict.fromkeys(c for m in earlier.get(back, []) for c in m.codes if c != WHOLE_COUNTRY))
        if codes:
            return codes, back
    return (), -1


def _annexation_context(
    sentences: list[Sentence],
    rules: Rules,
    codes: tuple[str, ...],
    cache: ArticleContext,
) -> str:
    """Why 'the four regions' means the four oblasts here ('' if nothing in the article says so).

    An article about the territorial terms says "annexed" or "referendums" once and then
    "the four regions" for paragraphs: the context is the whole article (read once, cached).
    """
    if codes not in cache.annexation:
        cache.annexation[codes] = _article_context(sentences, rules, codes)
    found, where_ = cache.annexation[codes]
    if not found:
        return ""
    return found if where_ is None else f"{found} in sentence {where_ + 1}"


def _context_regions(sentences: list[Sentence], rules: Rules, cache: ArticleContext) -> tuple[str, ...]:
    """Regions named in the article's first annexation sentence ("the Crimea referendum"), or ()."""
    if cache.context_regions is None:
        cache.context_regions = ()
        for sentence in sentences:
            if rules.markers["annexation_context"].search(sentence.flat):
                codes = [
                    code
                    for match in rules.region_regex.finditer(sentence.flat)
                    for code in rules.gazetteer.resolve(match.group(0)) or rules.gazetteer.resolve(match.group("name"))
                ]
                crimea = [p for p in rules.phrases if p.resolve == "Crimean Peninsula"]
                if any(p.regex.search(sentence.flat) for p in crimea):
                    codes += rules.gazetteer.resolve("Crimean Peninsula")
                cache.context_regions = tuple(dict.fromkeys(c for c in codes if c != WHOLE_COUNTRY))
                break
    return cache.context_regions


def _article_context(sentences: list[Sentence], rules: Rules, codes: tuple[str, ...]) -> tuple[str, int | None]:
    named: set[str] = set()
    for sentence in sentences:
        marker = rules.markers["annexation_context"].search(sentence.flat)
        if marker:
            return f"annexation context: '{marker.group(0)}'", sentence.index
    for sentence in sentences:
        for match in rules.region_regex.finditer(sentence.flat):
            named.update(rules.gazetteer.resolve(match.group(0)) or rules.gazetteer.resolve(match.group("name")))
    if set(codes) <= named:
        return "all four are named in the article", None
    return "", None


def _names(codes: tuple[str, ...] | list[str], rules: Rules) -> str:
    return " + ".join(rules.region_names.get(code, code) for code in codes)


# --------------------------------------------------------------------------
# Who holds a position
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """A party that holds what follows: an owner of a demand, a plan, or a speaker."""

    party: str
    speaker: str
    position: int  # where in the sentence it speaks from
    how: str
    weight: float
    evidence: str
    kind: str = ""  # the actor's kind ("plan" for a document speaking for itself)
    unnamed: bool = False  # "Russian officials", "sources close to the Kremlin": reported, not stated
    listed: bool = False  # one of several names that speak together ("Ukraine and the EU said")


# After a name: more names joined by commas and "and" ("Ukraine, the United States and the head of the UN").
_NAME_LIST = r"(?:(?:,| and| as well as| or),?\s+(?:the\s+)?(?:head of the\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*)+,?"
_DOCUMENT_NOUN = re.compile(
    r"plan|draft|proposal|framework|memorandum|blueprint|road ?map|deal|agreement|terms|points|initiative",
    re.IGNORECASE,
)


def _sources(  # noqa: PLR0912
    sentence: Sentence, actors: list[Actor], rules: Rules, previous: Source | None, plan: tuple[Source, ...] = ()
) -> list[Source]:
    """Owners ("Russia's demands", "the US plan") and speakers ("Putin said", "he stressed") in a sentence.

    A source's position is where its name ends, so a cue that is itself the verb of
    saying ("Ukraine rejects ...") counts as coming after its speaker. ``plan`` is the
    plan the article last named: "the plan would ..." and "It also calls for ..." speak for it.
    """
    flat, found = sentence.flat, []
    reporting, proposal = rules.markers["reporting"].pattern, rules.markers["proposal"].pattern
    owns_after = re.compile(rf"['’]s(?: [\w-]+){{0,3}}? {proposal}", re.IGNORECASE)
    unnamed = rules.markers["unnamed"]
    for actor in actors:
        if actor.kind == "forces" or actor.place:
            continue
        rest = flat[actor.end :]
        anonymous = bool(unnamed.search(actor.text))
        common = {"kind": actor.kind, "unnamed": anonymous}
        if actor.kind in {"plan", "demand"}:  # "the US plan", "the Russian demand": what it asks, its owner holds
            evidence = f"'{actor.text}'"
            found.append(Source(actor.party, actor.speaker, actor.end, "owner", actor.weight, evidence, **common))
            continue
        owned = owns_after.match(rest)
        if owned:
            evidence = f"'{actor.text}{owned.group(0)}'"
            kind = "plan" if _DOCUMENT_NOUN.search(owned.group(0)) else actor.kind
            found.append(
                Source(actor.party, actor.speaker, actor.end, "owner", actor.weight, evidence, kind, anonymous)
            )
            continue
        spoken = _speaking(actor, flat, reporting)
        if spoken is not None:
            evidence, listed = spoken
            found.append(
                Source(
                    actor.party, actor.speaker, actor.end, "speaker", actor.weight, evidence, listed=listed, **common
                )
            )
    found += _last_of_lists(found, actors)
    taken = [(a.start, a.end) for a in actors]
    for match in rules.markers["document"].finditer(flat) if plan else ():
        if any(match.start() < end and start < match.end() for start, end in taken):
            continue  # "the US plan" is an actor already
        if re.match(r"['’]s\b|\s+of\b", flat[match.end() :]):
            continue  # "the plan's critics", "the text of ..."
        # "according to the plan", "under the draft" speak for the plan over the whole sentence.
        found += _plan_sources(plan, _plan_position(flat, match), f"'{match.group(0)}'")
    planned = _PLANNED.search(flat) if plan else None
    if planned is not None:
        found += _plan_sources(plan, 0, f"'{planned.group(0)}'")
    if plan and not actors and not found:
        # A point of the plan's text with no one named ("11. Special status for ..."): the plan speaks.
        found += [dataclasses.replace(s, weight=s.weight * 0.8) for s in _plan_sources(plan, 0, "no one named")]
    pronouns = rules.markers["pronoun"].pattern
    pronoun = re.compile(rf"(?i:\b{pronouns})(?: [a-z][\w'’]*,?){{0,3}}? {reporting}", re.IGNORECASE)
    for match in pronoun.finditer(flat):
        word = match.group(0).split()[0]
        position = match.start() + len(word)
        if word.lower() == "it":
            # "It also calls for ...": the plan last named speaks; "it" is never a person.
            if plan and match.start() == 0:
                found += _plan_sources(plan, position, f"'{word}'")
            elif plan and re.search(r"[,”\"]\s*$", flat[: match.start()]):
                found += _plan_sources(plan, 0, f"'{match.group(0)}'")  # '"... along the line," it said'
            continue
        if previous is not None:
            evidence = f"'{match.group(0)}' = {previous.speaker}"
            found.append(
                Source(
                    previous.party,
                    previous.speaker,
                    position,
                    "pronoun",
                    previous.weight,
                    evidence,
                    previous.kind,
                    previous.unnamed,
                )
            )
    return sorted(_groups(found), key=lambda s: s.position)


def _groups(found: list[Source]) -> list[Source]:
    """One group naming two parties ("Ukrainian and European officials") speaks for both: each is listed."""
    shared = {s.position for s in found if sum(1 for o in found if o.position == s.position and o.party != s.party)}
    return [dataclasses.replace(s, listed=True) if s.position in shared else s for s in found]


def _last_of_lists(found: list[Source], actors: list[Actor]) -> list[Source]:
    """The last name of a list that speaks together ("Russia, Ukraine and France, provide for"): it speaks too."""
    spoken = {s.position for s in found}
    extra = []
    for source in found:
        if not source.listed or source.how != "speaker":
            continue
        # The list runs from the name to its last comma or "and" name, before the verb of saying.
        text = source.evidence.strip("'")
        names = re.match(
            r".*(?:,|\band\b|\bas well as\b|\bor\b)\s+(?:the\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*", text
        )
        start = next((a.start for a in actors if a.end == source.position), source.position)
        end = start + (names.end() if names else 0)
        for actor in actors:
            if (
                source.position < actor.start
                and actor.end <= end
                and actor.end not in spoken
                and actor.kind != "forces"
            ):
                spoken.add(actor.end)
                extra.append(
                    Source(actor.party, actor.speaker, actor.end, "speaker", actor.weight, source.evidence, actor.kind,
                           listed=True)
                )  # fmt: skip
    return extra


_PLAN_INTRO = re.compile(
    r"\b(?:unveil|publish|present|draft|submit|put forward|propos|offer|outlin|sent|send|hand|deliver|prepar|"
    r"float|drew up|draw up|set out|tabl|releas|shar|circulat|agree)\w*(?: [\w-]+){0,4}? (?:a|an|its|his|her|their) "
    r"(?:[\w-]+ ){0,3}?(?:plan|proposal|draft|framework|memorandum|blueprint|road ?map|initiative|peace deal)\b",
    re.IGNORECASE,
)


_AGREED_BY = re.compile(
    r"\b(?:formula|wording|text|document|declaration|agreement|accord|deal|memorandum|communiqu[eé]|protocol|plan|"
    r"framework|letter)s? (?:was|were|has been|have been|had been) (?:\w+ )?(?:signed|agreed|approved|adopted|"
    r"endorsed|initial(?:l)?ed|drafted|co-?ordinated) by\b",
    re.IGNORECASE,
)
_JOINT_INTRO = re.compile(
    r"\b(?:sign\w*|agreed|adopt\w*|conclud\w*|negotiat\w*)(?: [\w-]+){0,3}? (?:a|an|the) "
    r"(?:[\w-]+ ){0,3}?(?:declaration|agreement|accord|deal|memorandum|communiqu[eé]|protocol|package|framework)\b"
    r"|\b(?:a|an) (?:[\w-]+ ){0,2}?\d+-point (?:peace )?(?:plan|framework|proposal|draft)\b",
    re.IGNORECASE,
)


_AUTHORED_BY = re.compile(
    r"(?:\s+[\w-]+){0,3}?\s+(?:backed|drafted|proposed|put forward|presented|written|brokered|authored|floated|"
    r"prepared|sponsored|pushed|championed|unveiled)\s+by\s+(?:the\s+)?",
    re.IGNORECASE,
)
# "A freeze is planned": an agentless passive of planning speaks for the plan the article last named.
_PLANNED = re.compile(
    r"\b(?:is|are|was|were|would be|will be) (?:also |further )?(?:planned|envisaged|envisioned|foreseen|proposed|"
    r"provided for|stipulated|set out|laid down)\b",
    re.IGNORECASE,
)


def _plan_position(flat: str, match: re.Match[str]) -> int:
    """Where "the plan" speaks from: the whole sentence after "according to", "under"; else after its name."""
    framing = re.search(r"\b(?:according to|under|per|in) $", flat[: match.start()], re.IGNORECASE)
    return 0 if framing else match.end()


def _plan_sources(plan: tuple[Source, ...], position: int, said: str) -> list[Source]:
    """The plan's owners, each holding what the plan says (a joint declaration has several)."""
    return [
        Source(
            s.party, s.speaker, position, "plan reference", s.weight, f"{said} = {s.speaker} ({s.evidence})", "plan",
            listed=len(plan) > 1,
        )
        for s in plan
    ]  # fmt: skip


def _introduced_plan(sentence: Sentence, actors: list[Actor]) -> tuple[Source, ...]:
    """Who presents a plan ("the White House published a 20-point plan"): "the plan" next is theirs.

    A document signed or agreed by several ("the leaders of France, Germany, Russia and Ukraine
    signed a declaration") belongs to every party named before it in the sentence.
    """
    passive = _AGREED_BY.search(sentence.flat)
    if passive is not None:
        # "The text was agreed by advisers of Ukraine, Russia, Germany and France": each is a party to it.
        owners = [a for a in actors if a.start >= passive.end() and a.kind != "forces"]
        parties = {a.party: a for a in owners}
        evidence = f"'{passive.group(0)}'"
        return tuple(
            Source(a.party, f"{a.speaker} (a party to it)", a.end, "owner", a.weight, evidence, "plan")
            for a in parties.values()
        )
    joint = _JOINT_INTRO.search(sentence.flat)
    if joint is not None:
        owners = [a for a in actors if a.kind != "forces" and a.end <= joint.start()]
        if "point" in joint.group(0):
            # "a 28-point plan backed by Trump": the plan's authors follow it; else everyone named drafted it.
            agent = _AUTHORED_BY.match(sentence.flat[joint.end() :])
            start = joint.end() + agent.end() if agent else -1
            authors = [a for a in actors if a.start == start and not a.place]
            owners = authors or [a for a in actors if a.kind != "forces" and not a.obliged]
        parties = {a.party: a for a in owners}
        evidence = f"'{joint.group(0)}'"
        return tuple(
            Source(a.party, f"{a.speaker} (a party to it)", a.end, "owner", a.weight, evidence, "plan")
            for a in parties.values()
        )
    match = _PLAN_INTRO.search(sentence.flat)
    if match is None:
        return ()
    before = [a for a in actors if a.end <= match.start() and not a.place and a.kind != "forces"]
    if not before:
        return ()
    actor = before[-1]
    evidence = f"'{sentence.flat[actor.start : match.end()]}'"
    return (Source(actor.party, f"{actor.speaker}’s plan", actor.end, "owner", actor.weight, evidence, "plan"),)


_BY = re.compile(r"^(?:\s+[\w’'-]+){0,3}?\s+by\s+$", re.IGNORECASE)


def _passive_agent(sentence: Sentence, hit: Hit, actors: list[Actor], reject: re.Pattern[str]) -> Source | None:
    """The actor after "by" right after a cue: "annexed by the Russian Federation", "was rejected by Kyiv".

    Not the agent of another participle ("recognition of lands occupied by Russia"), unless that
    participle rejects what the cue says ("the votes, dismissed by Kyiv").
    """
    for actor in actors:
        near = actor.start >= hit.end and actor.start - hit.end <= 30 and actor.kind != "forces"
        between = sentence.flat[hit.end : actor.start]
        # "recognition of lands occupied by Russia": the agent of another participle, not of the cue.
        participle = re.search(r"(\w{3,}ed)\s+by\s+$", between)
        other_verb = participle is not None and not reject.fullmatch(participle.group(1))
        # "dismissed the conditions set by Putin": "by" inside a noun phrase the cue governs.
        other_verb = other_verb or bool(re.search(r"\b(?:the|a|an|its|their|his|her|this|these|those)\b", between))
        if near and _BY.match(between) and not other_verb:
            evidence = f"'{sentence.flat[hit.start : actor.end]}'"
            return Source(actor.party, actor.speaker, actor.end, "speaker after", actor.weight, evidence, actor.kind)
    return None


def _speaking(actor: Actor, flat: str, reporting: str) -> tuple[str, bool] | None:
    """How an actor speaks, as (evidence, in a list of speakers), or None when it does not.

    "Ukraine, the United States and the EU said": each name of the list speaks; "Putin said",
    "Moscow, which wants"; "..., said Peskov" or "according to Lavrov" (not "Zelenskiy said Ukraine would").
    """
    rest = flat[actor.end :]
    together = re.match(rf"{_NAME_LIST}(?: [a-z][\w'’]*,?){{0,3}}? {reporting}", rest)
    if together and together.group(0).startswith(", and "):
        together = None  # "annexed by Moscow, and Kyiv refused": a new clause, not a list of two names
    if together:
        return f"'{actor.text}{together.group(0)}'", True
    # People are followed by "who", things (a capital, a country) by "which".
    relative = "who" if actor.kind in {"person", "collective"} else "which"
    spoke = re.match(rf"(?:, {relative})?(?: [a-z][\w'’]*,?){{0,3}}? {reporting}", rest, re.IGNORECASE)
    if spoke and re.search(r"\bwould \w+$", spoke.group(0)) and actor.kind != "plan":
        spoke = None  # "the plan would give ..." speaks for the plan; "Ukraine would give up ..." is what it gives
    if spoke:
        return f"'{actor.text}{spoke.group(0)}'", False
    before = flat[max(0, actor.start - 40) : actor.start]
    inverted = re.search(rf"(?:[,”\"’] (?:{reporting})|according to) (?:the )?$", before, re.IGNORECASE)
    if inverted:
        return f"'{inverted.group(0)}{actor.text}'", False
    return None


def _is_target(actor: Actor, hit: Hit, flat: str) -> bool:
    """True for the side asked to give ground: "Kyiv must withdraw", "if Ukraine withdrew"."""
    between = flat[actor.end : hit.start]
    if re.match(r"['’]s\b", between) or actor.kind in {"plan", "demand"}:
        return False  # "Moscow's demand to cede", "the Russian demand to cede": its owner, not the side asked
    giving = hit.kind == "yield" and hit.stance == "withdraw"  # "the US recognising Crimea": the US holds it
    asking = _DIRECTIVE.search(between)  # "Moscow demanded the withdrawal": Moscow asks, it does not give
    return giving and not asking and len(_WORD.findall(between)) <= 3 and not re.search(r"[,;:]", between)


def _quote_speaker(sentence: Sentence, sources: list[Source], position: int) -> Source | None:
    """Who speaks the quotation around ``position`` ("...," he said), or None when it is not quoted."""
    for quoted in _QUOTED.finditer(sentence.flat):
        if quoted.start() <= position < quoted.end():
            outside = [
                s
                for s in sources
                if s.how in {"speaker", "pronoun"} and not quoted.start() <= s.position <= quoted.end()
            ]
            return outside[0] if outside else None
    return None


# Between an asking party and the one asked: "demanded that", "has long urged", "called on".
_ASKED = re.compile(
    r"^ ?(?:[\w'’]+ ){0,3}?(?:demand\w*|urg\w*|press\w*|insist\w*|want\w*|ask\w*|call\w* on|requir\w*)"
    r"(?: that)? (?:the )?(?:[\w'’.-]+ ?){1,4}$",
    re.IGNORECASE,
)
_DIRECTIVE = re.compile(
    r"\b(?:demand|want|insist|call|urg|ask|seek|sought|press|requir|expect|propos|offer)\w*", re.IGNORECASE
)


def _later_rejection(
    sentence: Sentence, hit: Hit, facts: _SentenceFacts, actors: list[Actor], holder: str, sources: list[Source]
) -> Source | None:
    """Who rejects a demand later in its own sentence: "Moscow demanded X, which Kyiv rejected"; in a quote,
    "we" is the quote's speaker ("They want X, but we do not accept it," he said)."""
    for other in facts.hits:
        if other.kind != "reject" or other.negated or other.start < hit.end:
            continue
        names = [a for a in actors if hit.end <= a.start and a.end <= other.start and a.kind != "forces"]
        we = re.search(r"\b(?:we|us)\b", sentence.flat[hit.end : other.start], re.IGNORECASE)
        quoter = _quote_speaker(sentence, sources, other.start)
        if we and quoter is not None and (not names or names[-1].start < hit.end + we.start()):
            names.append(
                Actor(hit.end + we.start(), hit.end + we.end(), we.group(0), quoter.party, "person",
                      quoter.speaker, quoter.weight, False)
            )  # fmt: skip
        if not names or names[-1].party == holder:
            continue
        actor = names[-1]
        joint = re.search(
            r";|(?:,|--|[—–])\s*(?:which|but|and|an? (?:demand|proposal|condition|step|move|idea|plan)s?)\b",
            sentence.flat[hit.end : actor.start],
        )
        close = len(_WORD.findall(sentence.flat[actor.end : other.start])) <= 3
        if joint and close:
            evidence = f"'{sentence.flat[hit.end + joint.start() + 1 : other.end].strip()}'"
            return Source(actor.party, actor.speaker, actor.end, "speaker", actor.weight, evidence, actor.kind)
    return None


def _governs(between: str) -> bool:
    """True when a speaker reaches a cue: no clause break between them, or only a whole aside
    ("Putin — whom Kyiv calls a war criminal — said ..."), whose dashes or brackets pair up."""
    if not _CLAUSE_BREAK.search(between):
        return True
    dashes = len(re.findall(r"[—–]", between))
    return (
        not re.search(r"[;:]|,\s*(?:but|while|whereas|although|despite)\b", between)
        and dashes % 2 == 0
        and (between.count("(") == between.count(")"))
    )


def _other_agent(before: str, rules: Rules) -> bool:
    """True for the agent of a participle that is not a refusal: "claimed by Russia" (not "rejected by Kyiv")."""
    participle = re.search(r"(\w+ed) by (?:the )?$", before)
    return participle is not None and not rules.markers["reject"].fullmatch(participle.group(1))


def _holder(  # noqa: PLR0911
    sentence: Sentence, hit: Hit, actors: list[Actor], sources: list[Source], previous: Source | None, rules: Rules
) -> Source | None:
    """Who holds the position a cue expresses: the agent of a passive ("annexed by Russia"), the nearest
    owner or speaker before it, else the nearest name."""
    agent = _passive_agent(sentence, hit, actors, rules.markers["reject"])
    if agent is not None:
        return agent
    named = [a for a in actors if a.kind == "plan" and a.start <= hit.start and hit.end <= a.end]
    if named:  # 'the US-proposed "buffer zone" plan': the plan's own name says what it holds
        plan = named[0]
        return Source(plan.party, plan.speaker, plan.end, "owner", plan.weight, f"'{plan.text}'", "plan")
    before = [s for s in sources if s.position <= hit.start]
    if before:
        # A speaker inside an aside ("— which Russia claims to have annexed —") does not govern the main clause.
        governing = [s for s in before if _governs(sentence.flat[s.position : hit.start])]
        return governing[-1] if governing else before[-1]
    after = [s for s in sources if s.position > hit.start and s.how in {"speaker", "pronoun"}]
    if after:
        first = after[0]
        return dataclasses.replace(first, how="speaker after")
    rejecting = hit.negated or hit.refused_after or hit.kind == "reject"
    # Armed forces act but hold no position; an annexation by "Russian forces" is the state's.
    forces_ok = hit.stance == "annexation_claimed"
    names = [
        a
        for a in actors
        if (a.kind != "forces" or forces_ok) and not a.place and (rejecting or not _is_target(a, hit, sentence.flat))
    ]
    # A name joined to the cue only by proximity speaks within its clause ("Ukraine has shown
    # flexibility, but ceding land would be hard": no one holds the ceding), and not as the agent
    # of another participle ("the territory claimed by Russia").
    names = [a for a in names if not _other_agent(sentence.flat[max(0, a.start - 30) : a.start], rules)]
    ahead = [a for a in names if a.end <= hit.start and not _CLAUSE_BREAK.search(sentence.flat, a.end, hit.start)]
    if ahead:
        actor = ahead[-1]
        return Source(actor.party, actor.speaker, actor.end, "nearest name before", actor.weight, f"'{actor.text}'")
    behind = [a for a in names if a.start >= hit.end]
    if behind:
        actor = behind[0]
        return Source(actor.party, actor.speaker, actor.start, "nearest name after", actor.weight, f"'{actor.text}'")
    if previous is not None and re.match(r"[\"“‘]?(?:He|She|They)\b", sentence.flat):
        return dataclasses.replace(previous, position=0, how="previous sentence")
    if previous is not None and re.match(r"[\"“]", sentence.flat) and len(re.findall(r"[\"“”]", sentence.flat)) == 1:
        # A quotation opened and not closed here goes on in the words of the speaker just before.
        return dataclasses.replace(previous, position=0, how="previous sentence")
    if previous is not None and any(a.obliged for a in actors) and previous.party not in {a.party for a in names}:
        # "Ukraine must recognise ..." with no one named who asks: the demand of the speaker just before.
        return dataclasses.replace(previous, position=0, how="previous sentence")
    return None


# --------------------------------------------------------------------------
# Candidates
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A proposed claim: who, which region, which stance, how it is sourced, when, and the sentence that says so."""

    id: str
    party: str
    speaker: str
    region: str
    stance: str
    sourcing: str  # one of SOURCING
    date: str  # YYYY-MM-DD, YYYY-MM or YYYY as far as the text says; '' if it says nothing
    date_basis: str
    quote: str  # the sentence, verbatim
    sentence: int  # its number in the article, from 1
    confidence: float
    reason: str
    note: str


@dataclass
class Extraction:
    """What the extractor found in one article."""

    candidates: list[Candidate] = field(default_factory=list)
    sentences: int = 0
    named_regions: set[str] = field(default_factory=set)  # codes named anywhere in the article
    dropped: list[str] = field(default_factory=list)  # why a possible claim was not proposed
    limits: list[str] = field(default_factory=list)  # text left unread because it is over a limit, and which
    published: str = ""  # the publication date the relative dates were read against ('' if none)


@dataclass(frozen=True)
class _Reading:
    """One way a cue is read: the party holding it, the stance it takes, and how the article sources it."""

    source: Source
    stance: str
    how: str
    second_hand: str = ""  # who else gives the account, '' when the party speaks for itself
    reported: bool = False  # the article itself reports it (a rejected demand), not the party


@dataclass
class _SentenceFacts:
    """What one sentence holds, read once."""

    hits: list[Hit]
    gaps: list[int]  # prefix sums of the characters that count as distance (region names do not)


def extract(text: str, rules: Rules, published: str = "") -> Extraction:
    """Candidate claims in an article's text, in the order of its sentences.

    ``published`` (YYYY-MM-DD, from the page) dates sentences that give no date and
    anchors relative dates ("on Tuesday", "last week"). Work is bounded: text past
    MAX_ARTICLE_CHARS and sentences over MAX_SENTENCE_CHARS are not read, and the
    Extraction's ``limits`` says so.
    """
    result = Extraction(published=published)
    if len(text) > MAX_ARTICLE_CHARS:
        result.limits.append(
            f"the article is {len(text):,} characters; the extractor reads the first "
            f"{MAX_ARTICLE_CHARS:,} (MAX_ARTICLE_CHARS) and ignored the rest"
        )
        text = text[:MAX_ARTICLE_CHARS]
    sentences = split_sentences(text)
    result.sentences = len(sentences)
    named: dict[int, list[Mention]] = {}
    previous: Source | None = None
    plan: tuple[Source, ...] = ()
    dates = _sentence_dates(sentences, published)
    context = ArticleContext()
    facts: dict[int, _SentenceFacts] = {}
    raw: list[tuple[Candidate, Sentence]] = []
    titles: dict[str, Actor] = {}  # "diplomat" -> the last actor named by that title ("a senior EU diplomat")
    for sentence in sentences:
        if len(sentence.text) > MAX_SENTENCE_CHARS:
            result.limits.append(
                f"sentence {sentence.index + 1} is {len(sentence.text):,} characters, over the limit of "
                f"{MAX_SENTENCE_CHARS:,} (MAX_SENTENCE_CHARS): not read"
            )
            named[sentence.index] = []
            facts[sentence.index] = _SentenceFacts([], [0])
            continue
        actors = _titled(sentence, find_actors(sentence, rules), titles, rules)
        mentions = find_regions(sentences, sentence.index, rules, named, actors, context)
        if len(mentions) > MAX_MENTIONS:
            result.limits.append(
                f"sentence {sentence.index + 1} names {len(mentions)} regions; the extractor reads the first "
                f"{MAX_MENTIONS} (MAX_MENTIONS)"
            )
            mentions = mentions[:MAX_MENTIONS]
        # What "these regions" next refers to: regions named, or referred to in turn ("these regions ... them").
        named[sentence.index] = [m for m in mentions if not m.inferred and WHOLE_COUNTRY not in m.codes]
        result.named_regions.update(c for m in mentions if m.named for c in m.codes)
        hits = find_hits(sentence, rules)
        facts[sentence.index] = _SentenceFacts(hits, _gap_counts(sentence, rules))
        sources = _sources(sentence, actors, rules, previous, plan)
        mentions += _whole_country_mentions(mentions, hits, sentence.flat)
        for mention in mentions:
            raw += [
                (c, sentence)
                for c in _candidates(sentence, mention, facts[sentence.index], actors, sources, previous, rules, dates)
            ]
            if not hits and mention.named:
                result.dropped.append(f"sentence {sentence.index + 1}: {mention.text} named without a position cue")
        if not any(m.named or m.codes != (WHOLE_COUNTRY,) for m in mentions):
            raw += [
                (c, sentence)
                for c in _rejected_by_reference(sentence, actors, sources, hits, previous, raw, rules, dates)
            ]
        # The sentence's first speaker (its main clause) is who "he" means next.
        speakers = [s for s in sources if s.how in {"speaker", "pronoun"} and s.kind != "plan"]
        speakers = speakers or [s for s in sources if s.how == "owner" and s.kind != "plan"]
        people = [a for a in actors if a.kind in {"person", "collective"} and not a.place]
        if speakers:
            previous = speakers[0]
        elif people:  # "Witkoff met officials. He proposed ...": the sentence's first person
            first = people[0]
            previous = Source(first.party, first.speaker, 0, "nearest name before", first.weight, f"'{first.text}'")
        annexed = [c.region for c, s in raw if s is sentence and c.stance == "annexation_claimed" and c.region != "UA"]
        if annexed:  # "the annexation", "the referendums" next mean these regions
            context.annexed, context.annexed_in = tuple(dict.fromkeys(annexed)), sentence.index
        # The plan last named is what "the plan" and "it" mean next, across paragraphs.
        plans = [s for s in sources if s.kind == "plan" and s.how == "owner"]
        plan = (plans[-1],) if plans else _introduced_plan(sentence, actors) or plan
    result.candidates = _final(raw, sentences, rules, result.dropped, facts)
    return result


_DEMAND_NOUN = re.compile(
    r"\b(?:demands?|terms|conditions|preconditions|proposals?|plan|offer|ultimatum|requirements?|memorandum)\b",
    re.IGNORECASE,
)
_DEMONYM = re.compile(r"\b(Russian|Ukrainian|American|US|U\.S\.|European|Kremlin)['’]?s? (?:[\w-]+ )?$")
# Stances a demand can hold that another party's rejection turns down.
_DEMANDED = {"withdraw", "recognised_de_jure", "recognised_form_unstated", "recognised_de_facto", "annexation_claimed"}


def _rejected_by_reference(
    sentence: Sentence,
    actors: list[Actor],
    sources: list[Source],
    hits: list[Hit],
    previous: Source | None,
    raw: list[tuple[Candidate, Sentence]],
    rules: Rules,
    dates: dict[int, tuple[str, str]],
) -> list[Candidate]:
    """ "Kyiv rejected Moscow's terms": a refusal of a demand the article spelled out earlier, region by region.

    The sentence names no region; its rejecting cue governs a demand noun ("terms", "conditions",
    "proposals") whose owner is named there ("Moscow's", "announced by Putin", "Russian") or, for
    "these demands", is the other party whose positions the article gave last. The rejecting party
    then refuses each region of the owner's earlier demands (withdrawal, recognition, annexation).
    """
    for hit in hits:
        if hit.kind != "reject" or hit.negated:
            continue
        noun = _DEMAND_NOUN.search(sentence.flat, max(0, hit.start - 40))
        if noun is None or noun.start() > hit.end + 60:
            continue
        rejecter = _holder(sentence, hit, actors, sources, previous, rules)
        if rejecter is None:
            continue
        owners = [a for a in actors if a.party != rejecter.party and a.kind != "forces" and a.start > hit.start]
        owner = owners[0].party if owners else ""
        if not owner:
            demonym = _DEMONYM.search(sentence.flat[: noun.start()])
            probe = f"{demonym.group(1)} officials" if demonym else ""
            owner = next((r.party for r in rules.actors if probe and r.regex.fullmatch(probe)), "")
        earlier = [c for c, _ in raw if c.party != rejecter.party and c.stance != REJECTED]
        pointed = re.search(r"\b(?:this|these|that|those|the)\s+(?:[\w-]+\s+)?$", sentence.flat[: noun.start()], re.I)
        if not owner and earlier and pointed:
            owner = earlier[-1].party
        # Refusing a demand for ground keeps the regions ("cession rejected"); refusing other terms criticises them.
        demanded = [c for c in earlier if c.party == owner and c.stance in _DEMANDED and c.region != WHOLE_COUNTRY]
        # Russia turning down terms that give it ground criticises them; it refuses no cession of its own.
        stance = "criticised_terms" if rejecter.party == "russia" else REJECTED
        if not demanded:
            demanded = [c for c in earlier if c.party == owner and c.stance not in _DEMANDED]
            stance = "criticised_terms"
        regions = list(dict.fromkeys(c.region for c in demanded))
        if not regions:
            continue
        where_ = ", ".join(str(n) for n in sorted({c.sentence for c in demanded}))
        date, date_basis = dates.get(sentence.index, ("", "the article gives no date: set the event's date at review"))
        owner_name = rules.party_names.get(owner, owner)
        reason = (
            f"region: '{noun.group(0)}' refers to {owner_name}'s demands in sentence(s) {where_}; "
            f"party: {rejecter.evidence} ({rejecter.how}); stance: cue '{hit.text}' -> {stance}; "
            "sourcing: reported (the article reports the refusal)"
        )
        confidence = round(0.5 * HOW_WEIGHT[rejecter.how] * rejecter.weight * hit.weight, 2)
        return [
            Candidate(
                "", rejecter.party, rejecter.speaker, code, stance, "reported", date, date_basis, sentence.text,
                sentence.index + 1, confidence, reason,
                f"The sentence names no region: '{noun.group(0)}' read as {owner_name}'s earlier demands.",
            )
            for code in regions
        ] + [
            Candidate(
                "", s.party, s.speaker, code, stance, "reported", date, date_basis, sentence.text,
                sentence.index + 1, confidence, reason + f"; said together with {rejecter.evidence}",
                f"The sentence names no region: '{noun.group(0)}' read as {owner_name}'s earlier demands.",
            )
            for s in sources
            if s.listed and s.position == rejecter.position and s.party not in {rejecter.party, owner}
            for code in regions
        ]  # fmt: skip
    return []


def _titled(sentence: Sentence, actors: list[Actor], titles: dict[str, Actor], rules: Rules) -> list[Actor]:
    """Actors of the sentence plus "the diplomat", "the spokesman" standing for the last one so titled.

    Records each actor named by a title ("a senior European diplomat") in ``titles`` for the sentences after.
    """
    title = rules.markers["title"]
    found = list(actors)
    for match in re.finditer(rf"\b[Tt]he (?:[a-z-]+ ){{0,2}}?({title.pattern})\b", sentence.flat):
        head = match.group(1).lower().rstrip("s")
        earlier = titles.get(head)
        if earlier is None or any(a.start < match.end() and match.start() < a.end for a in actors):
            continue
        text = match.group(0)
        found.append(dataclasses.replace(earlier, start=match.start(), end=match.end(), text=text, place=False))
    for actor in actors:
        named = title.search(actor.text)
        if named and actor.kind == "collective":
            titles[named.group(0).lower().rstrip("s")] = actor
    return sorted(found, key=lambda a: a.start)


def _whole_country_mentions(mentions: list[Mention], hits: list[Hit], flat: str) -> list[Mention]:
    """A ceasefire or freeze 'on the current line' with no region named concerns the whole front."""
    found = []
    for hit in hits:
        if not hit.whole_country:
            continue
        # A region named in the same clause is what the cue is about; one in another clause is not.
        if any(not _CLAUSE_BREAK.search(flat, min(m.end, hit.end), max(m.start, hit.start)) for m in mentions):
            continue
        how = f"'{hit.text}' concerns the whole front"
        found.append(Mention(hit.start, hit.end, hit.text, (WHOLE_COUNTRY,), how, 0.8, False))
    return found[:1]


_FILLER = re.compile(r"\b(?:and|or|the)\b|,")


def _gap_counts(sentence: Sentence, rules: Rules) -> list[int]:
    """Prefix sums over the sentence of the characters that make distance.

    Region names, commas, 'and', 'or', 'the' and repeated spaces count nothing, so
    "withdraw from Donetsk, Luhansk, Zaporizhzhia and Kherson" puts the cue next to each
    name. Computed once per sentence: the distance between any two points is then one
    subtraction (linear work however many regions a sentence names).
    """
    flat = sentence.flat
    weight = [1] * len(flat)
    for match in rules.region_regex.finditer(flat):
        weight[match.start() : match.end()] = [0] * (match.end() - match.start())
    for match in _FILLER.finditer(flat):
        weight[match.start() : match.end()] = [0] * (match.end() - match.start())
    for index in range(1, len(flat)):
        if flat[index] == " " and (flat[index - 1] == " " or not weight[index - 1]):
            weight[index] = 0
    sums = [0]
    for value in weight:
        sums.append(sums[-1] + value)
    return sums


def _best_hit(sentence: Sentence, mention: Mention, facts: _SentenceFacts) -> tuple[Hit, float] | None:
    """The cue that speaks about a region: the heaviest after discounting its distance."""
    best: tuple[Hit, float] | None = None
    for hit in facts.hits:
        if hit.negated and hit.kind in {"position", "reject", "discussion"} and hit.stance != "special_status":
            continue  # "does not want a freeze": no position here
        if mention.named and mention.start <= hit.start and hit.end <= mention.end:
            continue  # "the annexed regions": a word of the name is not a position on it
        if hit.start >= mention.end:
            low, high = mention.end, hit.start
        elif hit.end <= mention.start:
            low, high = hit.end, mention.start
        else:
            low = high = 0
        gap = facts.gaps[high] - facts.gaps[low]
        near = max(FAR_SCORE, 1 - (1 - FAR_SCORE) * gap / FAR)
        if high > low and _CLAUSE_BREAK.search(sentence.flat, low, high):
            near *= 0.7
        if hit.start >= mention.end:
            near *= 0.9  # a cue usually comes before its region ("withdraw from Donetsk")
        score = hit.weight * near
        if score >= MIN_SCORE and (best is None or score > best[1]):
            best = (hit, score)
    return best


def _same_clause(sentence: Sentence, one: Hit, other: Hit, rules: Rules) -> bool:
    """True when two cues share a clause: no clause break and no aside with a verb of saying between them
    ("a truce on today's lines, diplomats said, using ideas under discussion": two clauses)."""
    low, high = min(one.end, other.end), max(one.start, other.start)
    between = sentence.flat[low:high] if high > low else ""
    aside = re.search(rf",[^,]*\b(?:{rules.markers['reporting'].pattern})[^,]*,", between)
    return not _CLAUSE_BREAK.search(between) and aside is None


def _frame(flat: str, framer: Source, owner: Source, rules: Rules) -> str:
    """How ``framer`` treats ``owner``'s demand: 'reject', 'accept', 'say' (reports it) or ''."""
    between = flat[max(0, framer.position - 30) : owner.position]
    if rules.markers["reject"].search(between):
        return "reject"
    if rules.markers["accept"].search(between):
        return "accept"
    return "say" if framer.how in {"speaker", "pronoun", "speaker after"} else ""


def _readings(  # noqa: PLR0911
    sentence: Sentence,
    hit: Hit,
    actors: list[Actor],
    sources: list[Source],
    previous: Source | None,
    rules: Rules,
) -> list[_Reading]:
    """The (party, stance) pairs a cue expresses: usually one; two when one party rejects another's demand."""
    # "withdraw ... is unacceptable", "a freeze was rejected": the idea is refused.
    refused = (hit.kind == "yield" and (hit.negated or hit.refused_after)) or (
        hit.kind == "position" and hit.refused_after
    )
    stance = REJECTED if refused or hit.kind == "reject" else hit.stance
    if hit.stance == "special_status" and hit.negated:
        stance = "criticised_terms"  # "there will never be a special status": the Minsk terms refused
    elif hit.kind in {"position", "discussion"} and hit.negated:
        return []
    if hit.kind == "reject" and hit.negated:
        return []
    holder = _holder(sentence, hit, actors, sources, previous, rules)
    if holder is None:
        return []
    cue = f"cue '{hit.text}'" + (f" negated by '{hit.negated}'" if hit.negated else "")
    cue += f" refused by '{hit.refused_after}'" if hit.refused_after else ""
    framers = [
        s
        for s in sources
        if s.how in {"speaker", "pronoun"}
        and not s.listed
        and s.position < holder.position
        and s.party != holder.party
        and not _CLAUSE_BREAK.search(sentence.flat, s.position, holder.position)
    ]
    if holder.how in {"owner", "plan reference"} and hit.kind in {"yield", "position"} and framers:
        # "Kyiv rejected Moscow's demand to cede Kherson": the demand is Moscow's, the refusal Kyiv's.
        framer = framers[-1]
        frame = _frame(sentence.flat, framer, holder, rules)
        own_negation = _negation(sentence.flat[holder.position : hit.start], rules)
        demanded = REJECTED if hit.kind == "yield" and (own_negation or hit.refused_after) else hit.stance
        if frame == "reject" or (frame == "say" and hit.refused_after):
            how = f"{cue}; '{framer.evidence}' rejects {holder.evidence}"
            refusal = REJECTED if hit.kind == "yield" else "criticised_terms"
            return [
                _Reading(
                    holder,
                    hit.stance,
                    f"cue '{hit.text}' in {holder.evidence}",
                    second_hand=framer.speaker if frame == "say" else "",
                    reported=frame == "reject",
                ),
                _Reading(framer, refusal, how),
            ]
        if frame == "accept":
            return [
                _Reading(holder, demanded, f"cue '{hit.text}' in {holder.evidence}", reported=True),
                _Reading(framer, demanded, f"{cue}; {framer.evidence} accepts {holder.evidence}"),
            ]
        if frame == "say":
            return [_Reading(holder, demanded, f"cue '{hit.text}' in {holder.evidence}", second_hand=framer.speaker)]
    if holder.how == "speaker" and framers:
        # "Zelenskyy said Russia wants Ukraine to leave Donetsk": Russia's wish in Zelenskyy's words.
        framer = framers[-1]
        asked = sentence.flat[framer.position : holder.position]
        if _ASKED.match(asked) and hit.kind == "yield" and not hit.negated:
            # "Moscow demanded that Kyiv agree to cede land": what Kyiv is asked to do is Moscow's demand.
            return [_Reading(framer, stance, f"{cue}; '{framer.evidence}' asks it of {holder.speaker}")]
        if not rules.markers["reject"].search(asked):
            return [_Reading(holder, stance, cue, second_hand=framer.speaker)]
    # "Ukraine and the EU said ...": every party of the list holds what the last one says.
    together = [
        _Reading(s, stance, f"{cue}, said together with {holder.evidence}")
        for s in sources
        if s.listed and s is not holder and 0 <= holder.position - s.position < 80 and s.party != holder.party
    ]
    return [_Reading(holder, stance, cue), *together]


_QUOTED = re.compile(r"[“\"]([^”\"]{3,})[”\"]")


def _russian_reading(
    reading: _Reading, hit: Hit, facts: _SentenceFacts, actors: list[Actor], sentence: Sentence
) -> _Reading | None:
    """Readings that only make sense one way round, given who holds the region.

    Russia asked to withdraw means the region returns to Ukraine; Russia refusing to give a
    region up claims it; only Russia claims an annexation, so another party speaking of one
    rejects it when the sentence rejects anything, and otherwise merely reports it (no reading).
    """
    party, stance = reading.source.party, reading.stance
    if hit.stance == "withdraw" and stance == "withdraw":
        subject = [a for a in actors if a.end <= hit.start and _is_target(a, hit, sentence.flat)]
        if subject and subject[-1].party == "russia":
            return dataclasses.replace(reading, stance="return_to_ukraine", how=f"{reading.how}; Russia withdraws")
    if party == "russia" and stance == REJECTED and hit.kind in {"yield", "reject"}:
        # "Russia will not give up Kherson", "Putin said their status is not up for discussion": Russia keeps it.
        return dataclasses.replace(reading, stance="annexation_claimed", how=f"{reading.how}; Russia keeps it")
    if stance == "annexation_claimed" and party != "russia":
        # "the annexation ... would never be recognised": a refused recognition rejects it too.
        rejects = [
            h
            for h in facts.hits
            if (h.kind == "reject" and not h.negated) or (h.kind == "yield" and (h.negated or h.refused_after))
        ]
        if rejects:
            how = f"{reading.how}; rejected by '{rejects[0].text}'"
            return dataclasses.replace(reading, stance=REJECTED, how=how)
        return None
    return reading


def _sourcing(sentence: Sentence, mention: Mention, reading: _Reading, hit: Hit, rules: Rules) -> tuple[str, str]:  # noqa: PLR0911
    """How the article sources a reading (one of SOURCING), and why."""
    if mention.inferred:
        return "inferred", mention.inferred
    if reading.second_hand:
        return "second_hand", f"{reading.second_hand}'s account of {reading.source.party}'s position"
    hedge = rules.markers["hedge"].search(sentence.flat)
    if hedge:
        return "reported", f"'{hedge.group(0)}'"
    if reading.source.unnamed:
        return "reported", f"unnamed source {reading.source.evidence}"
    if reading.reported:
        return "reported", "the article reports the demand"
    if reading.source.kind == "plan":
        return "stated", f"the text of {reading.source.speaker}"
    for quoted in _QUOTED.finditer(sentence.flat):
        if quoted.start() <= hit.start and hit.end <= quoted.end():
            return "stated", "a direct quote"
    return "reported", "the article paraphrases the party"


def _candidates(
    sentence: Sentence,
    mention: Mention,
    facts: _SentenceFacts,
    actors: list[Actor],
    sources: list[Source],
    previous: Source | None,
    rules: Rules,
    dates: dict[int, tuple[str, str]],
) -> list[Candidate]:
    best = _best_hit(sentence, mention, facts)
    if best is None:
        return []
    hit, score = best
    hedge = rules.markers["hedge"].search(sentence.flat)
    discussed = next(
        (h for h in facts.hits if h.kind == "discussion" and not h.negated and _same_clause(sentence, h, hit, rules)),
        None,
    )
    date, date_basis = dates.get(sentence.index, ("", "the article gives no date: set the event's date at review"))
    found = []
    readings = _readings(sentence, hit, actors, sources, previous, rules)
    if readings and hit.kind in {"yield", "position"} and readings[0].stance != REJECTED:
        rejecter = _later_rejection(sentence, hit, facts, actors, readings[0].source.party, sources)
        if rejecter is not None:
            how = f"cue '{hit.text}' in a demand that {rejecter.evidence} rejects"
            readings.append(_Reading(rejecter, REJECTED, how, reported=True))
    for reading in readings:
        reading = _russian_reading(reading, hit, facts, actors, sentence)  # noqa: PLW2901
        if reading is None:
            continue
        source = reading.source
        confidence = mention.confidence * HOW_WEIGHT[source.how] * source.weight * score
        notes = []
        stance, how = reading.stance, reading.how
        if discussed is not None and stance not in {REJECTED, DISCUSSED}:
            how += f" -> {stance}, only '{discussed.text}'"
            stance = DISCUSSED
        if hedge:
            confidence *= HEDGE_FACTOR
            notes.append(f"Second-hand ('{hedge.group(0)}').")
        # The first speaker of the same party names the position ("Lavrov said Moscow wants ...": Lavrov).
        same = [s for s in sources if s.party == source.party and s.how != "owner" and s.position <= source.position]
        speaker = same[0].speaker if same and source.how != "owner" else source.speaker
        if reading.second_hand:
            speaker = (
                f"{reading.second_hand} (describing {rules.party_names.get(source.party, source.party)}'s position)"
            )
            if source.how == "owner":
                speaker = speaker.replace("'s position)", "'s demand)")
            notes.append("Second-hand: one party describing another's demand.")
        if not mention.named or not mention.how.endswith("(gazetteer)"):
            notes.append(mention.how[0].upper() + mention.how[1:] + ".")
        if hit.kind == "position" and "data/stances.csv" in hit.note:
            notes.append(hit.note[0].upper() + hit.note[1:] + ".")
        sourcing, why = _sourcing(sentence, mention, reading, hit, rules)
        reason = (
            f"region: {mention.how}; party: {source.evidence} ({source.how}); stance: {how} -> {stance}; "
            f"sourcing: {sourcing} ({why})"
        )
        for code in mention.codes:
            found.append(
                Candidate(
                    "",
                    source.party,
                    speaker,
                    code,
                    stance,
                    sourcing,
                    date,
                    date_basis,
                    sentence.text,
                    sentence.index + 1,
                    round(min(confidence, 1.0), 2),
                    reason,
                    " ".join(notes),
                )
            )
    return found


def _final(
    raw: list[tuple[Candidate, Sentence]],
    sentences: list[Sentence],
    rules: Rules,
    dropped: list[str],
    facts: dict[int, _SentenceFacts],
) -> list[Candidate]:
    """Drop positions that are denied, keep the most confident of repeats within a sentence, number them."""
    best: dict[tuple[str, str, str, str], Candidate] = {}
    denials: dict[tuple[int, bool, str], str] = {}
    for candidate, sentence in raw:
        key = (sentence.index, candidate.stance == REJECTED, candidate.party)
        if key not in denials:
            denials[key] = _denied(candidate, sentence, sentences, rules, facts)
        denial = denials[key]
        if denial:
            dropped.append(f"sentence {sentence.index + 1}: {candidate.party} {candidate.stance} {denial}")
            continue
        # A headline repeated word for word is one piece of evidence.
        key2 = (candidate.quote, candidate.party, candidate.region, candidate.stance)
        if key2 not in best or candidate.confidence > best[key2].confidence:
            best[key2] = candidate
    ordered = sorted(best.values(), key=lambda c: (c.sentence, c.region, c.party, c.stance))
    return [dataclasses.replace(candidate, id=f"x{n}") for n, candidate in enumerate(ordered, start=1)]


def _denied(
    candidate: Candidate, sentence: Sentence, sentences: list[Sentence], rules: Rules, facts: dict[int, _SentenceFacts]
) -> str:
    """Why a reported position counts as denied, or '' when it stands."""
    denial = rules.markers["denial"]
    if candidate.stance != REJECTED:
        hits = facts[sentence.index].hits
        for match in denial.finditer(sentence.flat):
            follows = any(hit.end <= match.start() for hit in hits)
            if follows and not _negation(sentence.flat[: match.start()], rules):
                return f"denied in the same sentence ('{match.group(0)}')"
    following = sentences[sentence.index + 1] if sentence.index + 1 < len(sentences) else None
    if following is None or len(following.text) > MAX_SENTENCE_CHARS:
        return ""
    match = denial.search(following.flat)
    if not match:
        return ""
    # Who denies: a name before the word of denial ("Peskov denied ..."), not one inside what is denied.
    parties = {
        a.party for a in find_actors(following, rules) if not a.place and a.kind != "forces" and a.end <= match.start()
    }
    pronoun = re.match(r"[\"“‘]?(?:He|She|They|It|This|That|The (?:report|claim))\b", following.flat)
    if candidate.party in parties or (pronoun and not parties):
        return f"denied in the next sentence ('{match.group(0)}')"
    return ""


# --------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def _sentence_dates(sentences: list[Sentence], published: str = "") -> dict[int, tuple[str, str]]:
    """For each sentence: the date it gives, else a relative date read against the article's date,
    else the last full date earlier in its paragraph, else the dateline, else the publication date."""
    dates: dict[int, tuple[str, str]] = {}
    dateline: tuple[str, str] | None = None
    paragraph_date: tuple[int, str, str] | None = None
    anchor = _as_day(published)
    fallback = (published, f"the page's publication date, {published} (check)") if anchor else None
    for sentence in sentences:
        own = find_date(sentence.flat)
        if own is not None:
            value, phrase, precision = own
            dates[sentence.index] = (value, f"the sentence says '{phrase}'")
            if precision == "day":
                paragraph_date = (sentence.paragraph, value, phrase)
                if dateline is None and sentence.index < 5:
                    dateline = (value, f"the article's first date, '{phrase}' (check)")
            continue
        relative = _RELATIVE_DATE.search(sentence.flat)
        base = anchor or (_as_day(dateline[0]) if dateline else None)
        if relative and base is not None:
            resolved = resolve_relative(relative.group(0), base)
            if resolved is not None:
                label = "the publication date" if anchor else "the article's first date"
                dates[sentence.index] = (resolved, f"'{relative.group(0)}' read against {label}, {base} (check)")
                continue
        if paragraph_date and paragraph_date[0] == sentence.paragraph:
            dates[sentence.index] = (paragraph_date[1], f"the paragraph is dated '{paragraph_date[2]}'")
        elif dateline:
            dates[sentence.index] = dateline
        elif fallback:
            dates[sentence.index] = fallback
        if relative:
            value, basis = dates.get(sentence.index, ("", "no date in the article"))
            dates[sentence.index] = (value, f"{basis}; the sentence says '{relative.group(0)}': set the day at review")
    return dates


def _as_day(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def resolve_relative(phrase: str, anchor: datetime.date) -> str | None:  # noqa: PLR0911
    """A relative date ("on Tuesday", "last week", "yesterday") as a date, read against ``anchor``.

    A weekday is the latest such day on or before the anchor ("on Tuesday" in a
    Tuesday paper is that day); "last Tuesday" is strictly before it. "last week"
    is the day a week before; months and years keep their precision. Future
    phrases ("next week") are not resolved: None.
    """
    words = phrase.lower().split()
    if words[0] == "next":
        return None
    if words[-1] == "yesterday":
        return (anchor - datetime.timedelta(days=1)).isoformat()
    if words[-1] == "today" or (words[-1] == "week" and words[-2] == "this"):
        return anchor.isoformat()
    if words[-1] in WEEKDAYS:
        back = (anchor.weekday() - WEEKDAYS.index(words[-1])) % 7
        if words[0] == "last" and back == 0:
            back = 7
        return (anchor - datetime.timedelta(days=back)).isoformat()
    if words[-1] == "weekend":
        back = (anchor.weekday() - 5) % 7 or (7 if words[0] == "last" else 0)
        return (anchor - datetime.timedelta(days=back)).isoformat()
    if words[-1] == "week":
        return (anchor - datetime.timedelta(days=7)).isoformat()
    if words[-1] == "month":
        if words[-2] == "last":
            first = anchor.replace(day=1) - datetime.timedelta(days=1)
            return f"{first.year}-{first.month:02d}"
        return f"{anchor.year}-{anchor.month:02d}"
    if words[-1] == "year":
        return str(anchor.year - 1 if words[-2] == "last" else anchor.year)
    return None


def find_date(text: str) -> tuple[str, str, str] | None:
    """The first date a text gives: (ISO value as precise as stated, the phrase, 'day'|'month'|'year')."""
    for precision, pattern in _DATE_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        groups = match.groupdict()
        year = groups["year"]
        month = int(groups["monthnum"]) if groups.get("monthnum") else MONTHS.get((groups.get("month") or "").lower())
        phrase = match.group(0)
        if precision == "year":
            return year, phrase, precision
        if precision == "month":
            return f"{year}-{month:02d}", phrase, precision
        day = int(groups["day"])
        if not (month and 1 <= month <= 12 and 1 <= day <= 31):
            continue
        return f"{year}-{month:02d}-{day:02d}", phrase, precision
    return None


# --------------------------------------------------------------------------
# A sentence a reviewer picks
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class SentenceHints:
    """What a sentence names, to pre-fill a claim a reviewer makes from it."""

    parties: list[str]  # parties of the names in the sentence, in order, without repeats
    speaker: str  # the first speaker's name ('' if none)
    regions: list[str]  # region codes the sentence names (or refers to), in order, without repeats
    stance: str  # the stance of the strongest cue ('' if none)
    sourcing: str  # 'stated' for a direct quote, 'inferred' for a region phrase, else 'reported'


def sentence_hints(sentences: list[Sentence], index: int, rules: Rules) -> SentenceHints:
    """Pre-filled fields for a claim made from sentence ``index`` (the extractor's reading, without a cue test)."""
    sentence = sentences[index]
    if len(sentence.text) > MAX_SENTENCE_CHARS:
        return SentenceHints([], "", [], "", "reported")
    actors = [a for a in find_actors(sentence, rules) if not a.place and a.kind != "forces"]
    earlier = {i: find_regions(sentences, i, rules, {}, []) for i in range(max(0, index - 2), index)}
    mentions = find_regions(sentences, index, rules, earlier, actors)[:MAX_MENTIONS]
    hits = sorted(find_hits(sentence, rules), key=lambda h: -h.weight)
    stance = ""
    if hits:
        top = hits[0]
        stance = REJECTED if top.kind == "reject" or (top.kind == "yield" and top.negated) else top.stance
    quoted = bool(_QUOTED.search(sentence.flat))
    sourcing = "inferred" if any(m.inferred for m in mentions) else "stated" if quoted else "reported"
    return SentenceHints(
        list(dict.fromkeys(a.party for a in actors)),
        actors[0].speaker if actors else "",
        list(dict.fromkeys(code for m in mentions for code in m.codes)),
        stance,
        sourcing,
    )


# --------------------------------------------------------------------------
# Export helpers
# --------------------------------------------------------------------------

CANDIDATE_FIELDS = list(Candidate.__dataclass_fields__)


def candidates_csv(candidates: list[Candidate]) -> str:
    """Candidates as CSV text, one row each, for a spreadsheet review."""
    import io

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CANDIDATE_FIELDS, lineterminator="\n")
    writer.writeheader()
    for candidate in candidates:
        writer.writerow({name: getattr(candidate, name) for name in CANDIDATE_FIELDS})
    return out.getvalue()
