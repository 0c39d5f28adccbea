"""New articles in, reviewed claims out: this module is the command line and the analysis the app's
"Add an article" page shares; ``articles`` reads a file, ``extract`` proposes candidate claims,
``review`` writes the accepted ones, ``devset`` is the extractor's development set.

Command line: propose claims from new articles, and write the reviewed ones.

    python -m dashboard.ingest ARTICLE.txt              # list the candidates with their evidence
    python -m dashboard.ingest FOLDER                   # every .txt/.html in it, with progress
    python -m dashboard.ingest ARTICLE.txt --json OUT.json   # candidates for review (edit 'action', 'event')
    python -m dashboard.ingest ARTICLE.txt --apply OUT.json  # write the reviewed file's accepted claims
    python -m dashboard.ingest ARTICLE.txt --accept-all --event ID [--event-date ... for a new event]

Writes go to the repository's data (or to $PEACE_MAP_ROOT, or --root), through
:func:`dashboard.ingest.review.write_review`: validated first, then moved into place.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path

from dashboard import paths
from dashboard.ingest.articles import ARTICLE_SUFFIXES, Article, read_article, read_article_file
from dashboard.ingest.extract import SOURCING, Candidate, Extraction, Rules, extract, load_rules
from dashboard.ingest.review import (
    NewEvent,
    ReviewRow,
    Submission,
    WriteResult,
    duplicate_of,
    new_event_from,
    recover,
    review_row_from,
    review_rows,
    write_review,
)
from dashboard.jsontext import read_json
from dashboard.problems import Problem
from dashboard.sources import ROOT_ENV, SourcePaths, load_sources

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
QUOTE_WIDTH = 160  # characters of evidence shown per candidate in the listing


def default_root() -> Path:
    """The data root: $PEACE_MAP_ROOT when set, else the repository."""
    return paths.data_root()


def no_region_problem(article: Article, extraction: Extraction) -> list[Problem]:
    """An article naming no region of Ukraine cannot give region-level claims."""
    if extraction.named_regions:
        return []
    message = (
        "no region of Ukraine is named in the article (no oblast, Crimea, Donbas...): "
        "there is nothing to put on the map"
    )
    return [Problem(article.name, "", "", message)]


def analyse_article(article: Article, rules: Rules) -> tuple[Extraction | None, list[Problem]]:
    """Extract an article's candidates; an article naming no region is a problem."""
    extraction = extract(article.text, rules, published=article.date)
    problems = no_region_problem(article, extraction)
    return (None, problems) if problems else (extraction, [])


def analyse(path: Path, rules: Rules) -> tuple[Article | None, Extraction | None, list[Problem]]:
    """Read one article file and extract its candidates; problems stop it."""
    article, problems = read_article_file(path)
    if article is None:
        return None, None, problems
    extraction, problems = analyse_article(article, rules)
    return article, extraction, problems


def analyse_bytes(data: bytes, name: str, rules: Rules) -> tuple[Article | None, Extraction | None, list[Problem]]:
    """``analyse`` for an upload or pasted text."""
    article, problems = read_article(data, name)
    if article is None:
        return None, None, problems
    extraction, problems = analyse_article(article, rules)
    return article, extraction, problems


def article_files(target: Path) -> list[Path]:
    """The article files a path names: itself, or the articles in a folder (sorted)."""
    if target.is_dir():
        return sorted(p for p in target.iterdir() if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)
    return [target]


def review_document(
    article: Article, extraction: Extraction, rows: list[ReviewRow], duplicates: dict[str, str], rules: Rules
) -> dict:
    """The JSON a reviewer edits: article facts, an empty new-event form, one entry per candidate."""
    by_id = {c.id: c for c in extraction.candidates}
    entries = []
    for row in rows:
        candidate = by_id[row.candidate]
        entry = {"id": row.candidate, **{k: v for k, v in asdict(row).items() if k != "candidate"}}
        entry.update(
            region_name=rules.region_names.get(row.region, "Ukraine as a whole"),
            confidence=candidate.confidence,
            reason=candidate.reason,
            date=candidate.date,
            date_evidence=candidate.date_basis,
            duplicate_of=duplicates.get(row.candidate, ""),
        )
        entries.append(entry)
    basis = "the page's publication date" if article.date else ""
    blank_event = {
        "event": "",
        "date": article.date,
        "date_basis": basis,
        "date_source": "",
        "title": "",
        "summary": "",
    }
    return {
        "article": article.name,
        "sha256": article.sha256,
        "title": article.title,
        "outlet": article.site,
        "published": article.date,
        "date_basis": "",
        "sourcing_values": SOURCING,
        "limits": extraction.limits,
        "new_events": [blank_event],
        "candidates": entries,
    }


def submission_from_document(article: Article, document: dict) -> tuple[Submission | None, list[Problem]]:
    """A reviewed JSON document back into a submission, checked against the article it was made from."""
    name = str(document.get("article", article.name))[:200] if isinstance(document, dict) else article.name
    if not isinstance(document, dict) or not isinstance(document.get("candidates"), list):
        return None, [Problem(name, "", "", "not a review file: it needs a 'candidates' list")]
    if not isinstance(document.get("new_events", []), list):
        return None, [Problem(name, "", "new_events", "must be a list of event objects")]
    if document.get("sha256") and document["sha256"] != article.sha256:
        return None, [Problem(name, "", "sha256", "the review was made from a different version of the article")]
    try:
        rows = [review_row_from(c) for c in document["candidates"]]
        new = [new_event_from(e) for e in document.get("new_events", []) if isinstance(e, dict)]
        events = [event for event in new if event is not None]
    except AttributeError:
        return None, [Problem(name, "", "", "each candidate and new event must be a JSON object")]
    except RecursionError:  # str() of a value nested hundreds of levels deep
        return None, [Problem(name, "", "", "a value is nested too deeply: each field must be text")]
    submission = Submission(
        article,
        rows,
        events,
        str(document.get("title", "")),
        str(document.get("outlet", "")),
        str(document.get("date_basis", "")),
    )
    return submission, []


def format_candidates(
    candidates: list[Candidate], rows: list[ReviewRow], duplicates: dict[str, str], rules: Rules
) -> str:
    """The candidates as text for a terminal: one block each, evidence and reason included."""
    events = {row.candidate: row.event for row in rows}
    lines = []
    for c in candidates:
        region = f"{rules.region_names.get(c.region, 'Ukraine as a whole')} ({c.region})"
        extra = f"  event? {events.get(c.id) or '-'}"
        extra += f"  DUPLICATE of {duplicates[c.id]}" if c.id in duplicates else ""
        quote = c.quote if len(c.quote) <= QUOTE_WIDTH else c.quote[: QUOTE_WIDTH - 1] + "…"
        lines += [
            f"{c.id:>4}  {c.confidence:.2f}  {c.party:<13} {region:<26} {c.stance:<24} {c.sourcing:<11} "
            f"{c.speaker}{extra}",
            f"      “{quote}”",
            f"      date: {c.date or '-'} ({c.date_basis})",
            f"      why: {c.reason}",
        ]
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard.ingest", description="Propose region-level claims from news articles."
    )
    parser.add_argument("paths", nargs="+", type=Path, help="article files (.txt or .html) or folders of them")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--json", type=Path, metavar="OUT", help="write candidates for review (a folder for several)")
    mode.add_argument("--apply", type=Path, metavar="REVIEW", help="write the accepted claims of a reviewed JSON file")
    mode.add_argument("--accept-all", action="store_true", help="write every candidate (see --min-confidence)")
    parser.add_argument("--min-confidence", type=float, default=0.0, help="accept only candidates at or above this")
    parser.add_argument("--event", help="event id for --accept-all: an existing one, or a new one (give its fields)")
    parser.add_argument("--event-date", default="", help="new event: YYYY-MM-DD (default: the page's date)")
    parser.add_argument("--event-title", default="", help="new event: short title")
    parser.add_argument("--event-summary", default="", help="new event: one-line summary")
    parser.add_argument("--date-basis", default="", help="new event: how the date is known")
    parser.add_argument("--date-source", default="", help="new event: public source of a date not in the article")
    parser.add_argument("--title", default="", help="manifest title (default: the article's first line)")
    parser.add_argument("--outlet", default="", help="manifest outlet")
    parser.add_argument("--root", type=Path, default=None, help=f"data root (default ${ROOT_ENV} or the repository)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    root = args.root or default_root()
    if args.accept_all and not args.event:
        parser.error("--accept-all needs --event (an existing event id, or a new one with --event-date etc.)")
    if args.apply and len(args.paths) != 1:
        parser.error("--apply takes exactly one article: the one the review file was made from")
    for message in recover(root):
        print(f"note: {message}", file=sys.stderr)
    rules, problems = load_rules(root)
    if rules is None:
        _print_problems(problems)
        return EXIT_PROBLEMS
    files = [f for target in args.paths for f in article_files(target)]
    if not files:
        print("no article files (.txt, .html) found", file=sys.stderr)
        return EXIT_PROBLEMS
    status = EXIT_OK
    for number, path in enumerate(files, start=1):
        started = time.perf_counter()
        if len(files) > 1:
            print(f"[{number}/{len(files)}] {path.name} ...", file=sys.stderr, flush=True)
        ok = _one_article(path, root, rules, args, several=len(files) > 1)
        status = status if ok else EXIT_PROBLEMS
        if len(files) > 1:
            print(f"[{number}/{len(files)}] {path.name} done in {time.perf_counter() - started:.2f} s", file=sys.stderr)
    return status


def _one_article(path: Path, root: Path, rules: Rules, args: argparse.Namespace, several: bool) -> bool:
    article, extraction, problems = analyse(path, rules)
    if article is None or extraction is None:
        _print_problems(problems)
        return False
    sources, _ = load_sources(SourcePaths.under(root))
    events = sources.events if sources is not None else None
    rows = review_rows(extraction.candidates, events, args.min_confidence)
    duplicates = duplicate_of(rows, sources.claims) if sources is not None else {}
    if args.apply:
        return _apply(article, args.apply, root)
    if args.json:
        target = args.json / f"{path.stem}.json" if several else args.json
        target.parent.mkdir(parents=True, exist_ok=True)
        document = review_document(article, extraction, rows, duplicates, rules)
        target.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"{article.name}: {len(rows)} candidate(s) written to {target} for review")
        return True
    if args.accept_all:
        rows = [ReviewRow(**{**asdict(r), "event": args.event}) for r in rows]
        new = [] if events is not None and args.event in events.index else [_new_event(args, article)]
        submission = Submission(article, rows, new, args.title, args.outlet, args.date_basis)
        return _report(write_review(root, submission))
    published = f"; the page is dated {article.date}" if article.date else ""
    print(
        f"== {article.name}: {len(extraction.candidates)} candidate(s) in {extraction.sentences} sentences{published}"
    )
    for limit in extraction.limits:
        print(f"limit: {limit}", file=sys.stderr)
    print(format_candidates(extraction.candidates, rows, duplicates, rules))
    return True


def _new_event(args: argparse.Namespace, article: Article) -> NewEvent:
    # The date the page gives pre-fills a new event's date when none is given.
    date = args.event_date or article.date
    basis = args.date_basis or ("the page's publication date" if date and not args.event_date else "")
    return NewEvent(args.event, date, basis, args.event_title, args.event_summary, args.date_source)


def _apply(article: Article, review: Path, root: Path) -> bool:
    try:
        document, wrong = read_json(review.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        document, wrong = None, str(err)
    if wrong:
        _print_problems([Problem(review.name, "", "", f"cannot read the review file: {wrong}")])
        return False
    submission, problems = submission_from_document(article, document)
    if submission is None:
        _print_problems(problems)
        return False
    return _report(write_review(root, submission))


def _report(result: WriteResult) -> bool:
    for line in result.duplicates:
        print(f"duplicate, not added: {line}")
    if not result.written:
        _print_problems(result.problems)
        return False
    events = f" and event(s) {', '.join(result.events)}" if result.events else ""
    print(f"wrote {len(result.claims)} claim(s) ({', '.join(result.claims)}){events} from seeds/{result.seed}")
    return True


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
