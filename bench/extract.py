"""Benchmark the extractor: time per article, and the worst inputs a request can send. Prints figures only.

    python -m bench.extract [--repeat N] [--folder DIR]

Times ``dashboard.ingest.extract.extract`` (median of N runs) on:

- every seed article in ``seeds/`` (news articles of 3 to 10 kB);
- every ``.txt`` in ``--folder`` when given (a local copy of real articles, for example the
  development-set cache, which is not committed);
- hostile inputs built here: one sentence just under ``MAX_SENTENCE_CHARS`` made of region
  names, one far over it, an article of many such sentences, and text at ``MAX_ARTICLE_CHARS``.

Nothing is asserted: speed is read from the figures, never from a timed test.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from dashboard.ingest.extract import MAX_ARTICLE_CHARS, MAX_SENTENCE_CHARS, Rules, extract, load_rules
from dashboard.paths import SEEDS_DIR

NAMES = "Donetsk, Luhansk, Kherson, Zaporizhzhia, Crimea, Kharkiv, Sumy and the four regions, "


def hostile_inputs() -> dict[str, str]:
    """Inputs that once took minutes: sentences full of region names, and very long text."""
    fill = NAMES * (MAX_SENTENCE_CHARS // len(NAMES))
    just_under = f"Putin demanded that Kyiv withdraw from {fill}"[: MAX_SENTENCE_CHARS - 1] + "."
    return {
        f"one sentence of {len(just_under):,} chars of region names (under the limit)": just_under,
        "one sentence of 48,000 chars of region names (over the limit)": "Putin demanded that Kyiv cede "
        + NAMES * (48_000 // len(NAMES))
        + ".",
        f"{MAX_ARTICLE_CHARS // MAX_SENTENCE_CHARS} sentences of region names at the sentence limit": "\n".join(
            [just_under] * (MAX_ARTICLE_CHARS // MAX_SENTENCE_CHARS)
        ),
        f"plain prose at the article limit ({MAX_ARTICLE_CHARS:,} chars)": (
            "Officials met again in Geneva and said talks on Kherson would go on. " * MAX_ARTICLE_CHARS
        )[:MAX_ARTICLE_CHARS],
    }


def timed(text: str, rules: Rules, repeat: int, learned: bool = True) -> tuple[float, int, int]:
    """Median seconds over ``repeat`` runs, the number of candidates and of sentences."""
    runs = []
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        result = extract(text, rules, learned=learned)
        runs.append(time.perf_counter() - started)
    return statistics.median(runs), len(result.candidates), result.sentences


def main(argv: list[str] | None = None) -> None:
    """Print one line per input: characters, sentences, candidates, median seconds."""
    parser = argparse.ArgumentParser(prog="python -m bench.extract", description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per input (median reported)")
    parser.add_argument("--folder", type=Path, default=None, help="also time every .txt in this folder")
    parser.add_argument(
        "--rules-only", action="store_true", help="time the rules and second pass alone (extract(learned=False))"
    )
    args = parser.parse_args(argv)
    rules, problems = load_rules()
    if rules is None:
        raise SystemExit(f"the cue lists have problems: {problems}")
    extract("Warm-up: Putin demanded that Ukraine withdraw from Kherson.", rules)
    inputs = {path.name: path.read_text(encoding="utf-8") for path in sorted(SEEDS_DIR.glob("*.txt"))}
    if args.folder:
        inputs |= {path.name: path.read_text(encoding="utf-8") for path in sorted(args.folder.glob("*.txt"))}
    inputs |= hostile_inputs()
    print(f"{'input':<72} {'chars':>9} {'sent.':>6} {'cand.':>6} {'median s':>9}")
    article_times = []
    for name, text in inputs.items():
        seconds, candidates, sentences = timed(text, rules, args.repeat, not args.rules_only)
        print(f"{name[:72]:<72} {len(text):>9,} {sentences:>6} {candidates:>6} {seconds:>9.3f}")
        if not name.startswith(("one sentence", "plain prose")) and "sentences of region" not in name:
            article_times.append(seconds)
    if article_times:
        print(
            f"\narticles: {len(article_times)}, median {statistics.median(article_times):.3f} s, "
            f"slowest {max(article_times):.3f} s"
        )


if __name__ == "__main__":
    main()
