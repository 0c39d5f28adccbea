"""A deliberately naive extractor to measure the real one against.

Every sentence that names a party and a region yields one candidate per (party, region) pair; its
stance is that of the first stance keyword in the sentence ('under_discussion' when there is none).
No negation, no speakers, no pronouns, no group phrases: a floor any rule set must beat.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

PARTY_WORDS = {
    "russia": r"Russia\w*|Moscow|Kremlin|Putin|Peskov|Lavrov|Ushakov|Medinsky",
    "ukraine": r"Ukrain\w*|Kyiv|Kiev|Zelensk\w*|Yermak|Podolyak|Poroshenko",
    "united_states": r"United States|U\.?S\.?|Washington|White House|Trump|Witkoff|Rubio|Americans?",
    "europe": r"Europe\w*|EU|France|French|Germany|German|Britain|British|UK|Macron|Merz|Starmer",
}
STANCE_WORDS = [  # (keyword pattern, stance); the earliest match in the sentence wins
    (r"annex\w*|join(?:ed|ing)? Russia", "annexation_claimed"),
    (r"de facto", "recognised_de_facto"),
    (r"recogni[sz]\w*", "recognised_de_jure"),
    (r"withdr[ae]w\w*|pull\w* out|cede\w*|hand\w* over|give up|surrender\w*", "withdraw"),
    (r"freez\w*|frozen", "freeze_as_final_line"),
    (r"ceasefire|cease fire|truce", "ceasefire_current_line"),
    (r"line of contact|contact line|battle lines?|front lines?", "current_line_basis"),
    (r"demilitari[sz]\w*|buffer zone", "demilitarised_zone"),
    (r"special status|autonomy", "special_status"),
    (r"return\w*|liberat\w*|restor\w*|regain\w*", "return_to_ukraine"),
    (r"reject\w*|refus\w*|never|not accept", "cession_rejected"),
    (r"territorial integrity|by force", "no_change_by_force"),
]
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass(frozen=True)
class BaselineCandidate:
    """A (party, region, stance) guess and the sentence it came from."""

    party: str
    region: str
    stance: str
    quote: str
    confidence: float = 1.0


def region_names(root: Path) -> dict[str, tuple[str, ...]]:
    """Region code -> the English name and Latin-script spellings of data/geo/oblasts.geojson, plus two groups."""
    geo = json.loads((root / "data" / "geo" / "oblasts.geojson").read_text(encoding="utf-8"))
    names: dict[str, tuple[str, ...]] = {}
    for feature in geo["features"]:
        props = feature["properties"]
        spellings = [s for s in props.get("spellings", "").split(";") if s.isascii() and s.strip()]
        kept = [
            n for n in (props["name_en"], *spellings) if not any(_is_party_word(n, w) for w in PARTY_WORDS.values())
        ]
        names[props["code"]] = tuple(kept)  # "Kyiv" is the government here, not the city
    names["UA-43"] += ("Crimea",)
    names["UA-40"] += ("Crimea",)
    names["UA-14"] += ("Donbas", "Donbass")
    names["UA-09"] += ("Donbas", "Donbass")
    return names


def _is_party_word(name: str, words: str) -> bool:
    return re.fullmatch(words, name) is not None


def baseline_extract(text: str, names: dict[str, tuple[str, ...]]) -> list[BaselineCandidate]:
    """Candidates: each party word x region name co-occurring in a sentence, stance from the first keyword."""
    found = []
    for sentence in (s.strip() for s in SENTENCE_END.split(text) if s.strip()):
        parties = [p for p, words in PARTY_WORDS.items() if re.search(rf"\b(?:{words})\b", sentence)]
        regions = [c for c, ns in names.items() if any(re.search(rf"\b{re.escape(n)}\b", sentence) for n in ns)]
        hits = [
            (m.start(), stance) for pattern, stance in STANCE_WORDS for m in [re.search(pattern, sentence, re.I)] if m
        ]
        stance = min(hits)[1] if hits else "under_discussion"
        found += [BaselineCandidate(p, r, stance, sentence) for p in parties for r in regions]
    return found
