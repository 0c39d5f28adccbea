"""Regions a sentence speaks of: names from the gazetteer, and phrases resolved to what the article named."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dashboard.claims import WHOLE_COUNTRY
from dashboard.ingest.extract.holders import Actor
from dashboard.ingest.extract.rules import _CLAUSE_BREAK, ANNEXED, PREVIOUS, PhraseRule, Rules
from dashboard.ingest.extract.sentences import Sentence
from dashboard.ingest.extract.stances import Hit, _non_overlapping


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
    # "Kyiv's peace plan": a capital inside the name of a party's plan or demand is the party, not a region.
    owned = [(a.start, a.end) for a in actors if a.kind in {"plan", "demand"}]
    for match in rules.region_regex.finditer(flat):
        if (match.start(), match.end()) in capitals or _is_city(flat, match.start(), match.end(), rules):
            continue
        if any(start <= match.start() and match.end() <= end for start, end in owned) and _is_capital(match[0], rules):
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


# After "land", "territory": words that restrict it to the part Russia holds ("land occupied by Russian forces").
_OCCUPIED_PART = re.compile(
    r"^,?\s+(?:(?:that|which) )?(?:(?:is|are|was|were|now|currently|still) )*"
    r"(?:(?:occupied|held|controlled|seized|captured|taken|annexed) by"
    r"|under (?:Russian|Moscow['’]s) (?:control|occupation)"
    r"|(?:it|they|Russia|Moscow) (?:\w+ )?(?:holds?|controls?|occupies|occupy|has (?:seized|taken|captured)))",
    re.IGNORECASE,
)


def _occupied_part(mention: Mention, flat: str) -> bool:
    """True for Ukraine as a whole said of only the part Russia holds ("the land it currently holds"): a demand
    or an annexation of it is no claim on the whole country (a refusal to recognise it still is)."""
    return WHOLE_COUNTRY in mention.codes and bool(_OCCUPIED_PART.match(flat[mention.end :]))


def _is_capital(text: str, rules: Rules) -> bool:
    """True when the words are a capital standing for its government in actors.csv ("Kyiv", "Moscow")."""
    return any(rule.kind == "capital" and rule.regex.fullmatch(text) for rule in rules.actors)


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
