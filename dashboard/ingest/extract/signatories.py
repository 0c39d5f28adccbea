"""An agreement's terms are the position of every party that signed it.

Articles about a signed text often state its terms once, through the document ("Point 3 provides
for a special status ...") or through one signatory, and say elsewhere who signed it ("The
memorandum was signed by A, B and C"; "A, together with B, signed a protocol ..."). Every
signatory then holds the terms: this pass copies each agreement-type position (special status,
a ceasefire on the line, a demilitarised zone, talks from the line) that one signatory holds to
every other party named in a signing sentence, with the signing sentence as evidence.
"""

from __future__ import annotations

from dashboard.ingest.extract.candidates import Candidate
from dashboard.ingest.extract.rules import Rules
from dashboard.ingest.extract.scorer import SentenceRecord

# The stances a signed text provides; a rejection or a claim of annexation is not one of its terms.
AGREEMENT_STANCES = frozenset({"special_status", "ceasefire_current_line", "demilitarised_zone", "current_line_basis"})
CONFIDENCE = 0.45  # a reading across sentences: below the rules' direct readings


def _signatories(record: SentenceRecord, rules: Rules) -> list[tuple[str, str, str]]:
    """(party, speaker, name) of each party a signing sentence names, in order, without repeats."""
    flat = record.sentence.flat
    if not rules.markers["signing"].search(flat):
        return []
    found: dict[str, tuple[str, str, str]] = {}
    for actor in record.actors:
        if actor.kind == "forces":
            continue
        before = flat[max(0, actor.start - 40) : actor.start]
        if actor.place and not rules.markers["signing_of"].search(before):
            continue  # "signed in Minsk": where, not who
        found.setdefault(actor.party, (actor.party, actor.speaker, actor.text))
    return list(found.values())


def cosigned(candidates: list[Candidate], records: list[SentenceRecord], rules: Rules) -> list[Candidate]:
    """The agreement-type positions of one signatory, held by every other party a signing sentence names."""
    terms = [c for c in candidates if c.stance in AGREEMENT_STANCES]
    if not terms:
        return []
    have = {(c.party, c.region, c.stance) for c in candidates}
    found: list[Candidate] = []
    for record in records:
        parties = _signatories(record, rules)
        if len(parties) < 2:
            continue
        names = {party for party, _, _ in parties}
        for term in terms:
            if term.party not in names:
                continue
            for party, speaker, name in parties:
                key = (party, term.region, term.stance)
                if key in have:
                    continue
                have.add(key)
                sentence = record.sentence
                found.append(
                    Candidate(
                        "",
                        party,
                        speaker,
                        term.region,
                        term.stance,
                        "reported",
                        term.date,
                        term.date_basis,
                        sentence.text,
                        sentence.index + 1,
                        CONFIDENCE,
                        f"signatory: '{name}' is named in a signing sentence with {term.party}, whose "
                        f"{term.stance} for {term.region} (sentence {term.sentence}) is a term of what they signed",
                        "Check that this party signed the text that holds the term.",
                    )
                )
    return found
