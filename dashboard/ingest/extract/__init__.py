"""Extraction of candidate claims from an article's text: rules first, then a learned decision.

Every rule lives in a data file under ``data/extract/``, so an editor can extend it without code
(:mod:`.rules` lists them and reads them).

For each sentence the extractor finds region mentions, the nearest stance cue,
and who holds the position (the owner of "X's demands", the speaker of a verb
of saying, or the nearest name). Each candidate carries the verbatim sentence,
a confidence in 0..1 and the reason (which cues matched); the learned pass (:mod:`.learned`)
keeps or drops each pair and flags the pairs no rule read as guesses. Nothing here writes
files; :mod:`dashboard.ingest.review` does, after a person has reviewed the candidates.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from dashboard.claims import WHOLE_COUNTRY
from dashboard.ingest.extract.candidates import (
    Candidate,
    Extraction,
    _candidates,
    _final,
    _gap_counts,
    _rejected_by_reference,
)
from dashboard.ingest.extract.dates import _sentence_dates, find_date, resolve_relative
from dashboard.ingest.extract.holders import Actor, Source, _introduced_plan, _sources, _titled, find_actors
from dashboard.ingest.extract.learned import learned_pass
from dashboard.ingest.extract.mentions import ArticleContext, Mention, _whole_country_mentions, find_regions
from dashboard.ingest.extract.rules import (
    MAX_ARTICLE_CHARS,
    MAX_MENTIONS,
    MAX_SENTENCE_CHARS,
    REJECTED,
    SOURCING,
    Rules,
    load_rules,
)
from dashboard.ingest.extract.scorer import SentenceRecord, second_pass
from dashboard.ingest.extract.sentences import _QUOTED, Sentence, split_sentences
from dashboard.ingest.extract.signatories import cosigned
from dashboard.ingest.extract.stances import _SentenceFacts, find_hits

__all__ = [
    "MAX_ARTICLE_CHARS",
    "MAX_MENTIONS",
    "MAX_SENTENCE_CHARS",
    "SOURCING",
    "Candidate",
    "Extraction",
    "Rules",
    "SentenceHints",
    "extract",
    "find_date",
    "load_rules",
    "resolve_relative",
    "sentence_hints",
    "split_sentences",
]


def extract(text: str, rules: Rules, published: str = "", learned: bool = True) -> Extraction:
    """Candidate claims in an article's text, in the order of its sentences.

    The rules' readings first, then the second pass (:mod:`.scorer`): pairs of a party and a
    region that no rule linked, kept when the scorer rates them. With ``learned=True`` the
    learned pass (:mod:`.learned`, weights in data/extract/learned.csv) keeps or drops every
    (party, region) pair the rules read or a sentence offers instead. It is on by default: on
    articles no rule was written on it finds far more positions at the same precision
    (docs/extract_eval.md); the pairs it adds that no rule read carry the note "Proposed by the
    learned pass", so a reviewer sees which candidates are the model's guesses.
    ``published`` (YYYY-MM-DD, from the page) dates sentences
    that give no date and anchors relative dates.
    """
    result, records, dates = first_pass(text, rules, published)
    if learned and rules.learned:
        kept = learned_pass(records, result.candidates, rules, dates)
    else:
        kept = result.candidates + second_pass(records, result.candidates, rules, dates)
    result.candidates = [dataclasses.replace(c, id=f"x{n}") for n, c in enumerate(kept, start=1)]
    return result


def first_pass(  # noqa: PLR0915
    text: str, rules: Rules, published: str = ""
) -> tuple[Extraction, list[SentenceRecord], dict[int, tuple[str, str]]]:
    """The rules' candidates, what each sentence holds (for the second pass), and each sentence's date.

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
    records: list[SentenceRecord] = []  # what each sentence holds, for the second pass
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
        records.append(SentenceRecord(sentence, actors, list(mentions), hits, sources, previous))
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
    result.candidates += cosigned(result.candidates, records, rules)
    return result, records, dates


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
