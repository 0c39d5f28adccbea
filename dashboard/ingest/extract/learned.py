"""The learned decision: every (party, region) pair an article offers, kept or dropped by a fitted model.

Four rounds of hand rules raised the figures on the articles they were written on far more than
on fresh ones. Here the rules only *propose*: every (party, region) pair a rule reads, and every
pair of a party (named in a sentence, or carried from the sentence before as the rules resolve
it) with a region the same sentence mentions (group phrases included), is one candidate pair of
the article. Its features are summed up over the article's sentences (the strongest sentence for
what speaks for a position, every sentence for what speaks against one), and a logistic model
whose weights are in ``data/extract/learned.csv`` keeps the pair when its probability is at least
the file's ``threshold`` (its ``gate``, higher, where the rules read nothing in the article, so an
article that states no position stays silent). The weights are fitted by ``scripts/train_extract_model.py`` and judged
only by cross-validation grouped by article and by outlet.

A kept pair keeps the rules' candidates for it (their sentences and stances), with the model's
probability as confidence; a kept pair no rule read gets the sentence that speaks for it best and
the stance of the nearest cue, or the stance the training articles' gold most often gave that party
with such a cue (``data/extract/learned_stances.csv``); its reason says when the stance is a guess. The reason of
every candidate names the features that weighed most.
"""

from __future__ import annotations

import dataclasses
import math
from collections import defaultdict
from dataclasses import dataclass

from dashboard.ingest.extract.candidates import Candidate
from dashboard.ingest.extract.rules import DISCUSSED, LEARNED_FEATURES, Rules
from dashboard.ingest.extract.scorer import Proposal, SentenceRecord, probability, proposals

_BEST = ("any_cue", "cue_near", "cue_reject", "cue_position", "cue_between", "near_words", "holder_speaks", "quoted")
_BEST += ("region_listed", "opening")
_ALL = {"inferred": "inferred", "all_far": "far_words", "all_absent": "holder_absent", "all_battle": "battle"}
_ALL |= {"all_forces": "forces", "all_many_parties": "many_parties"}


@dataclass
class PairEvidence:
    """One (party, region) pair of an article: the rules' candidates for it, the sentences offering it, its features."""

    party: str
    region: str
    ruled: list[Candidate]
    offered: list[Proposal]
    features: dict[str, float]


def article_pairs(records: list[SentenceRecord], ruled: list[Candidate], rules: Rules) -> list[PairEvidence]:
    """Every (party, region) pair the article offers (the rules' and the sentences'), with its features."""
    by_rule: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
    for candidate in ruled:
        by_rule[(candidate.party, candidate.region)].append(candidate)
    offered: dict[tuple[str, str], list[Proposal]] = defaultdict(list)
    for proposal in proposals(records, ruled, rules, include_ruled=True):
        offered[(proposal.party, proposal.region)].append(proposal)
    keys = list(dict.fromkeys([*by_rule, *offered]))
    parties = [party for party, _ in keys]
    rule_parties = {c.party for c in ruled}
    speaking = {source.party for record in records for source in record.sources}
    holders_at: dict[tuple[int, str], set[str]] = defaultdict(set)  # (sentence index, region) -> parties ruled there
    for candidate in ruled:
        holders_at[(candidate.sentence - 1, candidate.region)].add(candidate.party)
    rule_regions = {c.region for c in ruled}
    found = []
    for party, region in keys:
        mine, theirs = by_rule.get((party, region), []), offered.get((party, region), [])
        f = dict.fromkeys(LEARNED_FEATURES, 0.0)
        f["bias"] = 1.0
        f["rule"] = float(bool(mine))
        f["rule_conf"] = max((c.confidence for c in mine), default=0.0)
        f["rule_many"] = float(len({c.sentence for c in mine}) >= 2)
        f["rule_only"] = float(bool(mine) and not theirs)
        for name in _BEST:
            f[name] = max((p.features.get(name, 0.0) for p in theirs), default=0.0)
        for name, source in _ALL.items():
            f[name] = min((p.features.get(source, 0.0) for p in theirs), default=0.0)
        f["whole_country"] = float(region == "UA")
        f["rival"] = float(
            bool(theirs) and all(holders_at.get((p.record.sentence.index, region), set()) - {party} for p in theirs)
        )
        f["sentences"] = math.log1p(len({p.record.sentence.index for p in theirs} | {c.sentence - 1 for c in mine}))
        f["article_ruled"] = float(bool(ruled))
        f["party_ruled"] = float(party in rule_parties and not mine)
        f["region_ruled"] = float(region in rule_regions and not mine)
        f["party_share"] = parties.count(party) / len(parties)
        f["party_speaks"] = float(party in speaking)
        if party in f and party != "bias":
            f[party] = 1.0
        found.append(PairEvidence(party, region, mine, theirs, f))
    return found


def best_sentence(offered: list[Proposal]) -> Proposal:
    """The sentence that speaks for the pair best: a cue near the region, the party speaking, close words."""
    return max(
        offered,
        key=lambda p: (
            p.features.get("cue_near", 0) + p.features.get("holder_speaks", 0) + p.features.get("near_words", 0),
            -p.record.sentence.index,
        ),
    )


MIN_STANCE_COUNT = 3  # training pairs a (party, cue stance) needs before its usual gold stance replaces the cue's


def guessed_stance(party: str, cue_stance: str, table: dict[tuple[str, str], dict[str, int]]) -> tuple[str, bool]:
    """The stance of a pair no rule read: the gold stance most often found with this party and cue stance in
    the training articles, when it was seen MIN_STANCE_COUNT times and beats the cue's own; else the cue's.
    The flag says whether the table changed it."""
    counts = table.get((party, cue_stance), {})
    if not counts or cue_stance == DISCUSSED:  # no cue at all: nothing to read a stance from
        return cue_stance, False
    # Ties: the cue's own stance, then the first name in order, so that the choice never depends on file order.
    stance, n = min(counts.items(), key=lambda kv: (-kv[1], kv[0] != cue_stance, kv[0]))
    if n >= MIN_STANCE_COUNT and n > counts.get(cue_stance, 0):
        return stance, True
    return cue_stance, False


def _why(features: dict[str, float], weights: dict[str, float]) -> str:
    """The three features that weighed most for the pair (or 'none')."""
    strongest = sorted(
        (n for n in LEARNED_FEATURES if n != "bias" and weights.get(n, 0) * features.get(n, 0) > 0.2),
        key=lambda n: -weights[n] * features[n],
    )[:3]
    return ", ".join(strongest) or "none"


def learned_pass(records: list[SentenceRecord], ruled: list[Candidate], rules: Rules, dates: dict) -> list[Candidate]:
    """The candidates of the pairs the model keeps: the rules' own, then the pairs no rule read."""
    weights, threshold = rules.learned, rules.learned_threshold
    silent = not ruled  # the rules read nothing: a pair no rule read needs the gate's probability
    verdicts: dict[tuple[str, str], tuple[float, str]] = {}  # kept rule pair -> why
    extra: list[Candidate] = []
    for pair in article_pairs(records, ruled, rules):
        p = probability(pair.features, weights)
        if p < threshold or (silent and p < rules.learned_gate and not pair.ruled):
            continue
        if not pair.ruled and not pair.features["any_cue"] and pair.features["all_absent"]:
            continue  # a party carried into sentences that hold no cue: nothing says it is its position
        if not pair.ruled and pair.features["rival"] and not pair.features["party_speaks"]:
            continue  # the rules gave the region to another party, and this one says nothing in the article
        why = f"learned pass: the model gives {p:.2f} (for it: {_why(pair.features, weights)})"
        if pair.ruled:
            verdicts[(pair.party, pair.region)] = (p, why)
            continue
        best = best_sentence(pair.offered)
        sentence = best.record.sentence
        date, date_basis = dates.get(sentence.index, ("", "the article gives no date: set the event's date at review"))
        stance, changed = guessed_stance(pair.party, best.stance, rules.learned_stances)
        if changed:
            guess = f" -> {stance} (a guess: the stance most often meant by {pair.party} with such a cue)"
        else:
            guess = " (no cue: the stance is a guess, set it at review)" if stance == DISCUSSED else ""
        reason = (
            f"region: {best.region_how}; party: {best.party_how}; stance: {best.cue} -> {best.stance}{guess}; "
            "sourcing: reported (no rule read how the article sources it); "
            f"no rule linked them; {why}"
        )
        extra.append(
            Candidate(
                "",
                pair.party,
                best.speaker,
                pair.region,
                stance,
                "reported",
                date,
                date_basis,
                sentence.text,
                sentence.index + 1,
                round(p, 2),
                reason,
                "Proposed by the learned pass: check who holds it and the stance.",
                guess=True,
            )
        )
    kept_rules = [
        # The rules' own confidence (a second-hand report is less sure) unless the model is less sure still.
        dataclasses.replace(
            c, confidence=round(min(c.confidence, verdicts[key][0]), 2), reason=f"{c.reason}; {verdicts[key][1]}"
        )
        for c in ruled
        if (key := (c.party, c.region)) in verdicts
    ]
    extra.sort(key=lambda c: c.sentence)
    return kept_rules + extra
