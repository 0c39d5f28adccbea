"""Dates in an article: the date each sentence speaks of, and relative dates read against the publication date."""

from __future__ import annotations

import datetime
import re

from dashboard.ingest.extract.sentences import Sentence

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
