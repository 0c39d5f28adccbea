"""An article's text cut into sentences (paragraph-aware, abbreviation-aware), each with its offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "gen", "lt", "col", "sen", "rep", "gov", "prof", "jr", "sr", "no", "vs", "etc",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "inc", "ltd", "co", "approx",
}  # fmt: skip


_BOUNDARY = re.compile(r"[.!?…]+[\"”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])")


_TERMINAL = re.compile(r"[.!?…:\"”’)]\s*$")


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


_QUOTED = re.compile(r"[“\"]([^”\"]{3,})[”\"]")
