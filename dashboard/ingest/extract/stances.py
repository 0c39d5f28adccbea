"""Stance cues in a sentence: which cue, where, whether it is negated or only conditional."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from dashboard.ingest.extract.rules import _WORD, AFTER_CHARS, NEGATION_WORDS, Rules
from dashboard.ingest.extract.sentences import Sentence

if TYPE_CHECKING:  # only for the annotation: holders and mentions import this module
    from dashboard.ingest.extract.holders import Actor
    from dashboard.ingest.extract.mentions import Mention

_Span = TypeVar("_Span", "Actor", "Mention")


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


# A cue noun introduced as a point in time ("after the withdrawal", "since its annexation") names an event.
_PAST_EVENT = re.compile(r"\b(?:after|since|following) (?:the |their |its |his |her )(?:[\w-]+ )?$", re.IGNORECASE)
_ASKED_ABOUT = re.compile(
    r"^\W*(?:(?:When|After|Once) )?(?:asked|questioned|pressed) (?:\w+ ){0,3}?"
    r"(?:about|whether|if|on|over|how|what|why)\b"
    r"[^,:;]*[,:;]",
    re.IGNORECASE,
)


def find_hits(sentence: Sentence, rules: Rules) -> list[Hit]:
    """Stance cues in a sentence, each read against the negation around it."""
    found: list[Hit] = []
    for rule in rules.cues:
        for match in rule.regex.finditer(sentence.flat):
            if rule.weight < WEAK_CUE and _THREAT.search(sentence.flat, max(0, match.start() - 60), match.start()):
                continue  # "threatened to fight on and take control of ...": a war aim, not a position in talks
            if _PAST_EVENT.search(sentence.flat, max(0, match.start() - 40), match.start()):
                continue  # "after their withdrawal from Kherson": an event the article dates, not a position
            negated = _negation(sentence.flat[: match.start()], rules)
            after = _clause_after(sentence.flat[match.end() : match.end() + AFTER_CHARS])
            refused = rules.markers["rejection_after"].search(after)
            if rules.markers["topic_after"].search(after):
                continue  # "territorial concessions are a sensitive issue": a topic, not a position
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
    # "Asked about a withdrawal from X, Y said ...": the question's words are its topic, not Y's position.
    asked = _ASKED_ABOUT.match(sentence.flat)
    if asked:
        found = [h for h in found if h.start >= asked.end()]
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


_REFUSAL = re.compile(
    r"\b(?:refus\w*|unwilling(?:ness)?|declin\w*) to\b"
    # "rejected any deal that would force it to give up ...": the rejection governs the deal's whole clause
    r"|\b(?:reject\w*|rul\w* out|oppos\w*|refus\w*|dismiss\w*) (?:any|a|the|every|such) (?:[\w-]+ ){0,2}?"
    r"(?:deal|plan|agreement|accord|proposal|settlement|arrangement|compromise|terms?)s? (?:that|which)\b",
    re.IGNORECASE,
)


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
class _SentenceFacts:
    """What one sentence holds, read once."""

    hits: list[Hit]
    gaps: list[int]  # prefix sums of the characters that count as distance (region names do not)
