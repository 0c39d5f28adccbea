"""What the construction tests read from the extractor: its firm readings, not the learned pass's guesses.

A guess (a pair no rule read, proposed by the learned pass) is flagged and starts rejected at review;
the construction tests pin what the rules read from a sentence, and tests/test_extract_learned.py pins
how guesses are flagged.
"""

from __future__ import annotations

from dashboard.ingest.extract import Candidate, Rules, extract


def readings(text: str, rules: Rules, published: str = "") -> list[Candidate]:
    """The candidates of ``text`` that are not guesses."""
    return [c for c in extract(text, rules, published).candidates if not c.guess]
