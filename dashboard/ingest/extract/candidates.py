"""Candidate claims: a region mention, the cue that speaks about it, and the party holding it, scored and sourced."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from dashboard.claims import WHOLE_COUNTRY
from dashboard.ingest.extract.holders import _ASKED, Actor, Source, _holder, _is_target, _later_rejection, find_actors
from dashboard.ingest.extract.mentions import Mention, _occupied_part
from dashboard.ingest.extract.rules import (
    _CLAUSE_BREAK,
    AFTER_CHARS,
    DISCUSSED,
    FAR,
    FAR_SCORE,
    HEDGE_FACTOR,
    HOW_WEIGHT,
    MAX_SENTENCE_CHARS,
    MIN_SCORE,
    REJECTED,
    Rules,
)
from dashboard.ingest.extract.sentences import _QUOTED, Sentence
from dashboard.ingest.extract.stances import Hit, _negation, _SentenceFacts


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
    guess: bool = False  # proposed by the learned pass where no rule read the pair: never accepted by default


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


_DEMAND_NOUN = re.compile(
    r"\b(?:demands?|terms|conditions|preconditions|proposals?|plan|offer|ultimatum|requirements?|memorandum)\b",
    re.IGNORECASE,
)


_DEMONYM = re.compile(r"\b(Russian|Ukrainian|American|US|U\.S\.|European|Kremlin)['’]?s? (?:[\w-]+ )?$")


# Stances a demand can hold that another party's rejection turns down.
_DEMANDED = {"withdraw", "recognised_de_jure", "recognised_form_unstated", "recognised_de_facto", "annexation_claimed"}


# Nothing after a rejecting verb but "it", "this" or an adverb: the refusal's object is the demand just made.
_BARE_REFUSAL = re.compile(
    r"^\s*(?:(?:it|this|that|them|so|to do so|the idea|outright|flatly|point-blank|immediately|firmly)\s*)*"
    r"[.!”\"’]*\s*$",
    re.IGNORECASE,
)
_EMPTY = re.compile(r"")


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
        bare_owner = ""
        if noun is None or noun.start() > hit.end + 60:
            # "Moscow demanded Donbas. Kyiv refused.": a refusal with no object refuses the sentence before's demand.
            just_before = [c for c, _ in raw if c.sentence == sentence.index and c.stance != REJECTED]
            if not (_BARE_REFUSAL.match(sentence.flat[hit.end :]) and just_before):
                continue
            bare_owner = just_before[-1].party
            noun = _EMPTY.match(sentence.flat, hit.end)  # the demand is named in the sentence before
        rejecter = _holder(sentence, hit, actors, sources, previous, rules)
        if rejecter is None:
            continue
        owners = [a for a in actors if a.party != rejecter.party and a.kind != "forces" and a.start > hit.start]
        owner = bare_owner or (owners[0].party if owners else "")
        if owner == rejecter.party:
            continue
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
        what = noun.group(0) or f"{hit.text}, with no object,"
        where_ = ", ".join(str(n) for n in sorted({c.sentence for c in demanded}))
        date, date_basis = dates.get(sentence.index, ("", "the article gives no date: set the event's date at review"))
        owner_name = rules.party_names.get(owner, owner)
        reason = (
            f"region: '{what}' refers to {owner_name}'s demands in sentence(s) {where_}; "
            f"party: {rejecter.evidence} ({rejecter.how}); stance: cue '{hit.text}' -> {stance}; "
            "sourcing: reported (the article reports the refusal)"
        )
        confidence = round(0.5 * HOW_WEIGHT[rejecter.how] * rejecter.weight * hit.weight, 2)
        return [
            Candidate(
                "", rejecter.party, rejecter.speaker, code, stance, "reported", date, date_basis, sentence.text,
                sentence.index + 1, confidence, reason,
                f"The sentence names no region: '{what}' read as {owner_name}'s earlier demands.",
            )
            for code in regions
        ] + [
            Candidate(
                "", s.party, s.speaker, code, stance, "reported", date, date_basis, sentence.text,
                sentence.index + 1, confidence, reason + f"; said together with {rejecter.evidence}",
                f"The sentence names no region: '{what}' read as {owner_name}'s earlier demands.",
            )
            for s in sources
            if s.listed and s.position == rejecter.position and s.party not in {rejecter.party, owner}
            for code in regions
        ]  # fmt: skip
    return []


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


# Cues that speak only of the regions after them.
_FORWARD_ONLY = re.compile(r"in (?:exchange|return) for\b", re.IGNORECASE)


def _best_hit(sentence: Sentence, mention: Mention, facts: _SentenceFacts) -> tuple[Hit, float] | None:
    """The cue that speaks about a region: the heaviest after discounting its distance."""
    best: tuple[Hit, float] | None = None
    for hit in facts.hits:
        if hit.negated and hit.kind in {"position", "reject", "discussion"} and hit.stance != "special_status":
            continue  # "does not want a freeze": no position here
        if mention.named and mention.start <= hit.start and hit.end <= mention.end:
            continue  # "the annexed regions": a word of the name is not a position on it
        if hit.start >= mention.end and _FORWARD_ONLY.match(hit.text):
            continue  # "halt the offensive in Kherson in exchange for Donetsk": the trade asks for what follows
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


def _readings(  # noqa: PLR0911, PLR0912
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
    refuser = _refuser_after(sentence, hit, actors, holder, rules) if hit.refused_after and not hit.negated else None
    if refuser is not None:
        # "Moscow wants all of Donetsk, a demand Kyiv calls unacceptable": Moscow's demand, Kyiv's refusal.
        how = f"cue '{hit.text}', refused by {refuser.evidence} ('{hit.refused_after}')"
        return [
            _Reading(holder, hit.stance, f"cue '{hit.text}'"),
            _Reading(refuser, REJECTED if hit.kind == "yield" or hit.stance == "withdraw" else "criticised_terms", how),
        ]
    dropped = _dropped_demand(sentence.flat[: hit.start], rules) if hit.kind in {"yield", "position"} else None
    if dropped is not None:
        # "The draft drops the demand that Kyiv cede Donetsk": the one dropping it criticises those terms;
        # "... drops a clause of the US draft requiring ...": the clause stays the US draft's.
        words = f"a demand '{dropped.group(0).strip()}'"
        if holder.position <= dropped.start():
            return [_Reading(holder, "criticised_terms", f"cue '{hit.text}' in {words}")]
        readings = [_Reading(holder, hit.stance, f"cue '{hit.text}' in {holder.evidence}, {words}", reported=True)]
        droppers = [s for s in sources if s.position <= dropped.start() and s.party != holder.party]
        if droppers:
            readings.append(_Reading(droppers[-1], "criticised_terms", f"cue '{hit.text}' in {words}"))
        return readings
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
    if holder.how == "owner" and hit.kind == "yield" and refused and not hit.refused_after:
        owned = _refused_demand(sentence, hit, holder, actors, rules, cue)
        if owned:
            return owned
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


def _refuser_after(sentence: Sentence, hit: Hit, actors: list[Actor], holder: Source, rules: Rules) -> Source | None:
    """The other party named between a cue and the words refusing it ("..., a demand Kyiv calls unacceptable")."""
    after = sentence.flat[hit.end : hit.end + AFTER_CHARS]
    refusal = rules.markers["rejection_after"].search(after)
    if refusal is None:
        return None
    end = hit.end + refusal.start()
    between = [a for a in actors if hit.end <= a.start and a.end <= end and not a.place and a.kind != "forces"]
    others = [a for a in between if a.party != holder.party]
    if not others:
        return None
    who = others[-1]
    return Source(who.party, who.speaker, who.end, "nearest name before", who.weight, f"'{who.text}'")


def _dropped_demand(before: str, rules: Rules) -> re.Match[str] | None:
    """Where "drops the demand" (or "removed a provision") governs what follows it, else None."""
    found = re.search(
        rf"\b(?:{rules.markers['dropped'].pattern})\s+(?:[\w'’-]+\s+){{0,5}}?"
        r"(?:demands?|provisions?|clauses?|requirements?|points?|conditions?|terms)\b(?:\s+[\w'’,-]+){0,8}?\s*$",
        before,
        re.IGNORECASE,
    )
    return found if found and len(found.group(0)) < 160 and not re.search(r"[.;:]", found.group(0)) else None


def _refused_demand(
    sentence: Sentence, hit: Hit, owner: Source, actors: list[Actor], rules: Rules, cue: str
) -> list[_Reading]:
    """ "Ukraine's refusal to meet Washington's request to withdraw from X": the refusal stands before the
    demand's owner, so the demand is the owner's (withdraw) and the refusal another party's; [] otherwise."""
    if _negation(sentence.flat[owner.position : hit.start], rules):
        return []  # "Moscow's demand that Kyiv never ...": the negation is inside the demand
    start = next((a.start for a in actors if a.end == owner.position), owner.position)
    refusers = [a for a in actors if a.end <= start and not a.place and a.kind != "forces" and a.party != owner.party]
    demand = _Reading(owner, hit.stance, f"cue '{hit.text}' in {owner.evidence}, a demand refused", reported=True)
    if not refusers:
        return [demand]
    who = refusers[-1]
    refuser = Source(who.party, who.speaker, who.end, "nearest name before", who.weight, f"'{who.text}'")
    return [demand, _Reading(refuser, REJECTED, f"{cue}; {refuser.evidence} refuses {owner.evidence}")]


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


def _candidates(  # noqa: PLR0912
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
        if stance != REJECTED and _occupied_part(mention, sentence.flat):
            continue  # "annexes land occupied by Russian forces": not Ukraine as a whole
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
