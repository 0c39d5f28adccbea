"""A second pass for recall: every party next to every region a sentence mentions, kept only if a scorer says so.

The rules link a party to a region through a cue they know how to read ("X demands Y leave Z").
Real articles say the same thing in ways no rule foresaw, so the rules miss positions in
articles they were not written on. This pass proposes, for each sentence, each party that is
named in it (or carried over from the sentence before: "We remain committed ...") with each
region it mentions, when the rules proposed nothing for that (party, region) in the article.
A logistic scorer whose weights are in ``data/extract/scorer.csv`` (an editor can read them:
one weight per named feature) keeps a pair when its probability is at least the file's
``threshold``; the weights are fitted by ``scripts/train_extract_scorer.py`` on the
development set with the articles grouped, so that no article is scored by weights fitted on it.

Each kept candidate carries its sentence, the scorer's probability as its confidence, and a
reason naming the features that spoke for it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from dashboard.claims import WHOLE_COUNTRY
from dashboard.ingest.extract.candidates import Candidate
from dashboard.ingest.extract.holders import Actor, Source, _other_agent
from dashboard.ingest.extract.mentions import Mention, _occupied_part
from dashboard.ingest.extract.rules import DISCUSSED, REJECTED, SCORER_FEATURES, Rules
from dashboard.ingest.extract.sentences import _QUOTED, Sentence
from dashboard.ingest.extract.stances import Hit

NEAR_CHARS = 80  # a cue this close to the region mention is read as speaking about it


@dataclass
class SentenceRecord:
    """What the rules read in one sentence, kept for the second pass."""

    sentence: Sentence
    actors: list[Actor]
    mentions: list[Mention]
    hits: list[Hit]
    sources: list[Source]
    previous: Source | None  # who the sentence before spoke for


@dataclass(frozen=True)
class Proposal:
    """One (party, region) pair a sentence offers, its features, and what it would become."""

    party: str
    speaker: str
    region: str
    stance: str
    record: SentenceRecord
    features: dict[str, float]
    party_how: str
    region_how: str
    cue: str


def _stance(hit: Hit | None) -> str:
    """The stance a cue gives on its own: a refused or rejected cession becomes 'cession rejected'."""
    if hit is None:
        return DISCUSSED
    if hit.kind == "reject" or (hit.kind == "yield" and (hit.negated or hit.refused_after)):
        return REJECTED
    return hit.stance


def _nearest(hits: list[Hit], mention: Mention) -> tuple[Hit | None, int]:
    """The cue closest to the mention, and its distance in characters (a large number when there is none)."""
    best, gap = None, 10_000
    for hit in hits:
        if hit.negated and hit.kind in {"position", "reject", "discussion"} and hit.stance != "special_status":
            continue  # "does not want a freeze": no position (as the rules read it)
        distance = max(0, hit.start - mention.end, mention.start - hit.end)
        if distance < gap:
            best, gap = hit, distance
    return best, gap


@dataclass(frozen=True)
class Holder:
    """A party the sentence could speak for, where it is named (-1: not in the sentence), and how."""

    party: str
    speaker: str
    how: str
    position: int
    kind: str  # "speaks", "named", "carried" or "first"


def _holders(record: SentenceRecord, first_speaker: tuple[int, str, str, str] | None, rules: Rules) -> list[Holder]:
    """Every party the sentence could speak for."""
    found: dict[str, Holder] = {}
    for source in record.sources:
        how = f"speaks in the sentence ({source.evidence})"
        found.setdefault(source.party, Holder(source.party, source.speaker, how, source.position, "speaks"))
    flat = record.sentence.flat
    for actor in record.actors:
        if actor.place or actor.kind == "forces" or _other_agent(flat[max(0, actor.start - 30) : actor.start], rules):
            continue  # "land seized by Russia": the agent of another verb holds nothing here
        how = f"named in the sentence ('{actor.text}')"
        found.setdefault(actor.party, Holder(actor.party, actor.speaker, how, actor.start, "named"))
    if found:
        return list(found.values())
    if record.previous is not None:
        prev = record.previous
        how = f"carried over from the sentence before ({prev.evidence})"
        return [Holder(prev.party, prev.speaker, how, -1, "carried")]
    if first_speaker is not None and record.sentence.index < first_speaker[0]:
        # A headline-style opening names no one; the article's first speaker is whose view it sums up.
        _, party, speaker, evidence = first_speaker
        return [Holder(party, speaker, f"the article's first speaker ({evidence})", -1, "first")]
    return []


_ATTRIBUTION = re.compile(r"\b(?:stated|said|says|announced|declared|according to|statement|told)\b", re.IGNORECASE)


def _first_speaker(records: list[SentenceRecord]) -> tuple[int, str, str, str] | None:
    """(sentence index, party, speaker, evidence) of the article's first speaker: a source, or a name in a
    sentence of attribution ("This is stated in a joint statement by European leaders")."""
    for record in records:
        if record.sources:
            first = record.sources[0]
            return record.sentence.index, first.party, first.speaker, first.evidence
        if _ATTRIBUTION.search(record.sentence.flat):
            names = [a for a in record.actors if not a.place and a.kind != "forces"]
            if len({a.party for a in names}) == 1:
                return record.sentence.index, names[0].party, names[0].speaker, f"'{names[0].text}'"
    return None


def _words(text: str) -> int:
    return len(text.split())


def sentence_features(record: SentenceRecord, rules: Rules) -> dict[str, float]:
    """The features of a sentence as a whole, computed once for all its pairs."""
    flat = record.sentence.flat
    parties = {a.party for a in record.actors if not a.place and a.kind != "forces"} | {s.party for s in record.sources}
    battle = rules.markers.get("battle")
    return {
        "bias": 1.0,
        "quoted": float(bool(_QUOTED.search(flat))),
        "any_cue": float(bool(record.hits)),
        "many_parties": float(len(parties) >= 3),
        "opening": float(record.sentence.index <= 1),
        "forces": float(any(a.kind == "forces" for a in record.actors)),
        "battle": float(bool(battle.search(flat))) if battle is not None else 0.0,
    }


def features_of(
    record: SentenceRecord,
    mention: Mention,
    holder: Holder,
    hit: Hit | None,
    gap: int,
    context: dict,
    sentence: dict[str, float],
) -> dict[str, float]:
    """Every feature the second pass can weigh for one (holder, region mention) in one sentence.

    Only those named in SCORER_FEATURES (and weighted in data/extract/scorer.csv) count; the others
    are computed so that scripts/train_extract_scorer.py can compare them by cross-validation.
    ``sentence`` is :func:`sentence_features` of the record.
    """
    flat = record.sentence.flat
    if holder.position >= 0:
        lo, hi = sorted((holder.position, mention.start))
        between = _words(flat[lo:hi])
        cue_between = any(lo <= h.start <= hi for h in record.hits)
    else:
        between, cue_between = 40, False
    others = [m for m in record.mentions if m is not mention and m.named]
    listed = any(0 <= mention.start - o.end <= 6 or 0 <= o.start - mention.end <= 6 for o in others)
    return {
        **sentence,
        "cue_near": float(gap <= NEAR_CHARS),
        "cue_reject": float(hit is not None and (hit.kind == "reject" or bool(hit.negated))),
        "cue_position": float(hit is not None and hit.kind in {"position", "fixed"}),
        "cue_between": float(cue_between),
        "near_words": float(between <= 12),
        "far_words": float(between > 25),
        "holder_speaks": float(holder.kind == "speaks"),
        "holder_absent": float(holder.kind in {"carried", "first"}),
        "region_listed": float(listed),
        "party_ruled": float(holder.party in context["parties"]),
        "region_ruled": float(any(c in context["regions"] for c in mention.codes)),
        "inferred": float(not mention.named),
        "whole_country": float(WHOLE_COUNTRY in mention.codes),
    }


def proposals(
    records: list[SentenceRecord], kept: list[Candidate], rules: Rules, include_ruled: bool = False
) -> list[Proposal]:
    """Every (party, region) pair the sentences offer that the rules did not propose, with its features.

    With ``include_ruled`` the rules' own pairs are offered too (the learned pass weighs every pair).
    """
    ruled = set() if include_ruled else {(c.party, c.region) for c in kept}
    context = {"parties": {c.party for c in kept}, "regions": {c.region for c in kept}}
    first_speaker = _first_speaker(records)
    found: list[Proposal] = []
    for record in records:
        if not record.mentions:
            continue
        holders = _holders(record, first_speaker, rules)
        if not holders:
            continue
        flat = record.sentence.flat
        whole = sentence_features(record, rules)
        for mention in record.mentions:
            hit, gap = _nearest(record.hits, mention)
            for holder in holders:
                features = features_of(record, mention, holder, hit, gap, context, whole)
                for region in mention.codes:
                    if (holder.party, region) in ruled:
                        continue
                    cue = f"nearest cue '{hit.text}'" if hit else "no cue"
                    stance = _stance(hit)
                    if stance != REJECTED and _occupied_part(mention, flat):
                        continue  # the part Russia holds, not Ukraine as a whole (as the rules read it)
                    if holder.party == "russia" and stance == REJECTED:
                        stance = "annexation_claimed"  # as the rules read it: Russia refusing to give up claims
                    found.append(
                        Proposal(
                            holder.party, holder.speaker, region, stance, record, features, holder.how, mention.how, cue
                        )
                    )
    return found


def probability(features: dict[str, float], weights: dict[str, float]) -> float:
    """The logistic scorer: 1 / (1 + exp(-w·x))."""
    z = sum(weights.get(name, 0.0) * value for name, value in features.items())
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def second_pass(records: list[SentenceRecord], kept: list[Candidate], rules: Rules, dates: dict) -> list[Candidate]:
    """Candidates the scorer keeps among the pairs the rules did not propose, the best sentence per pair."""
    weights, threshold = rules.scorer, rules.scorer_threshold
    best: dict[tuple[str, str], tuple[float, Proposal]] = {}
    for proposal in proposals(records, kept, rules):
        p = probability(proposal.features, weights)
        key = (proposal.party, proposal.region)
        if p >= threshold and (key not in best or p > best[key][0]):
            best[key] = (p, proposal)
    found = []
    for p, proposal in best.values():
        sentence = proposal.record.sentence
        date, date_basis = dates.get(sentence.index, ("", "the article gives no date: set the event's date at review"))
        strongest = sorted(
            (name for name in SCORER_FEATURES if weights.get(name, 0) * proposal.features.get(name, 0) > 0.3),
            key=lambda name: -weights[name] * proposal.features[name],
        )[:3]
        reason = (
            f"region: {proposal.region_how}; party: {proposal.party_how}; stance: {proposal.cue} -> {proposal.stance}; "
            f"second pass: no rule linked them, the scorer gives {p:.2f} (for it: {', '.join(strongest) or 'none'})"
        )
        found.append(
            Candidate(
                "",
                proposal.party,
                proposal.speaker,
                proposal.region,
                proposal.stance,
                "reported",
                date,
                date_basis,
                sentence.text,
                sentence.index + 1,
                round(p * 0.6, 2),  # below the rules' own readings: the link is a guess
                reason,
                "Proposed by the second pass: check who holds it and the stance.",
            )
        )
    return found
