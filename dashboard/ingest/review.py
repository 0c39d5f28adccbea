"""The review step: accepted candidates become claims, written atomically.

A reviewer accepts, edits or rejects each candidate and names the event it
belongs to (an existing one, or a new one with its date and how the date is
known). :func:`write_review` then adds, in one transaction:

- the article to ``seeds/`` (named ``NNN_<sha256 prefix>.txt``) with its manifest row;
- new events to ``data/events.csv`` (and the article to existing events' ``seeds``);
- the accepted claims to ``data/claims.csv`` (duplicates of existing claims are
  reported, not added).

Atomic: every changed file is written to a staging folder beside the data
(``.ingest/``), the staged tree is validated with
:func:`dashboard.sources.load_sources`, and only then moved into place with
``os.replace``. A plan file written before the first move lets
:func:`recover` finish an interrupted write, so a crash never loses or
half-writes a file; a bad edit is reported and nothing is written. Untouched
rows of the CSV files keep their exact bytes.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import fcntl
import io
import json
import os
import re
import shutil
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dashboard.claims import EVENT_COLUMNS, MANIFEST_COLUMNS, split_list
from dashboard.ingest.articles import Article
from dashboard.ingest.extract import SOURCING, Candidate
from dashboard.problems import Problem, display_name
from dashboard.sources import SourcePaths, load_sources

ACTIONS = ("accept", "reject")
WORK_DIR = ".ingest"  # under the data root: staging folders and the lock (keep it out of git)
PLAN_FILE = "plan.json"
LOCK_FILE = "lock"
REVIEW = "review"  # the "file" named in problems about the reviewer's choices
EVENT_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CLAIM_ID = re.compile(r"^c(\d+)$")
SEED_NAME = re.compile(r"^(\d+)_")
SOURCING_COLUMN = "sourcing"  # in data/claims.csv, right after 'stance'


@dataclass(frozen=True)
class ReviewRow:
    """One candidate after review: the reviewer's action and the (possibly edited) fields."""

    candidate: str
    action: str  # accept | reject
    party: str
    speaker: str
    stance: str
    region: str
    quote: str
    event: str
    note: str = ""
    sourcing: str = ""  # one of extract.SOURCING: how the article sources the position


_FIELD_KEYS = {"candidate": "id"}  # a ReviewRow field under another name in the review file and the app's table


@dataclass(frozen=True)
class NewEvent:
    """An event the reviewer adds to the timeline."""

    event: str
    date: str
    date_basis: str
    title: str
    summary: str
    date_source: str = ""


EVENT_NAMING_FIELDS = ("event", "title", "summary")  # a form with none of these filled is no new event


def new_event_from(fields: Mapping[str, object] | pd.Series) -> NewEvent | None:
    """A new event from the reviewer's fields, read by name: a review file's entry or a row of the app's table.

    Every value is taken as text without surrounding spaces, a missing field is empty. None when the
    form is left as it came (only the pre-filled date or its basis): an event counts once it has an
    id, a title or a summary. The one place a new event is read, so the review file and the page agree.
    """
    values = {f.name: str(fields.get(f.name, "")).strip() for f in dataclasses.fields(NewEvent)}
    return NewEvent(**values) if any(values[name] for name in EVENT_NAMING_FIELDS) else None


@dataclass(frozen=True)
class Submission:
    """Everything a reviewer decided about one article."""

    article: Article
    rows: list[ReviewRow]
    new_events: list[NewEvent] = field(default_factory=list)
    title: str = ""
    outlet: str = ""
    date_basis: str = ""  # for the manifest: how the article's event dates were established


@dataclass
class WriteResult:
    """What a write did: the seed, the ids added, the duplicates left out, or the problems that stopped it."""

    written: bool = False
    seed: str = ""
    claims: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


# --------------------------------------------------------------------------
# Preparing the review
# --------------------------------------------------------------------------


def suggest_event(candidate: Candidate, events: pd.DataFrame) -> str:
    """An existing event on the candidate's date (or in its month), when exactly one fits; else ''."""
    if not candidate.date or len(candidate.date) < 7:
        return ""
    days = events["date"].dt.strftime("%Y-%m-%d")
    fitting = events.index[days.str.startswith(candidate.date)]
    return str(fitting[0]) if len(fitting) == 1 else ""


def review_rows(
    candidates: list[Candidate], events: pd.DataFrame | None, min_confidence: float = 0.0
) -> list[ReviewRow]:
    """Candidates as review rows, with a suggested event: accepted when at or above ``min_confidence``,
    except the learned pass's guesses (pairs no rule read), which a reviewer accepts by hand."""
    return [
        ReviewRow(
            c.id,
            "accept" if c.confidence >= min_confidence and not c.guess else "reject",
            c.party,
            c.speaker,
            c.stance,
            c.region,
            c.quote,
            suggest_event(c, events) if events is not None else "",
            c.note,
            c.sourcing,
        )
        for c in candidates
    ]


def review_row_from(fields: Mapping[str, object] | pd.Series) -> ReviewRow:
    """A review row from the reviewer's fields, read by name: a review file's entry or a row of the app's table.

    ``id`` names the candidate, every other key is the row's field of the same name; a missing field
    is empty and every value is taken as text. The one place a row is read back, so the review file
    and the page cannot disagree about which column is which.
    """
    return ReviewRow(
        **{f.name: str(fields.get(_FIELD_KEYS.get(f.name, f.name), "")) for f in dataclasses.fields(ReviewRow)}
    )


def sentence_row(
    number: int, quote: str, party: str, region: str, stance: str, sourcing: str, **extra: str
) -> ReviewRow:
    """A claim a reviewer makes from any sentence of the article (one the extractor missed), accepted.

    ``number`` is the sentence's number in the article; the sentence itself is the quote.
    ``extra`` may give ``speaker``, ``event`` and ``note``.
    """
    return ReviewRow(
        f"s{number}-{region}-{party}",
        "accept",
        party,
        extra.get("speaker", "") or f"{party} (from sentence {number})",
        stance,
        region,
        quote,
        extra.get("event", ""),
        extra.get("note", "") or f"Added by the reviewer from sentence {number}.",
        sourcing,
    )


def duplicate_of(rows: list[ReviewRow], claims: pd.DataFrame) -> dict[str, str]:
    """For each row repeating an existing claim (same event, party, region, stance): that claim's id."""
    existing = {(r["event"], r["party"], r["region"], r["stance"]): str(claim) for claim, r in claims.iterrows()}
    return {
        row.candidate: existing[key]
        for row in rows
        if (key := (row.event, row.party, row.region, row.stance)) in existing
    }


# --------------------------------------------------------------------------
# Checking the reviewer's choices
# --------------------------------------------------------------------------


def check_submission(submission: Submission) -> list[Problem]:
    """Problems in the choices themselves, before any data file is read."""
    problems: list[Problem] = []
    for row in submission.rows:
        label = f"candidate {row.candidate or '(added)'}"
        if row.action not in ACTIONS:
            problems.append(Problem(REVIEW, label, "action", f"'{row.action}' is not one of {', '.join(ACTIONS)}"))
        if row.action == "accept":
            problems += [
                Problem(REVIEW, label, name, "value is empty")
                for name in ("party", "speaker", "stance", "sourcing", "region", "quote", "event")
                if not getattr(row, name).strip()
            ]
            if row.sourcing.strip() and row.sourcing not in SOURCING:
                message = f"'{row.sourcing}' is not one of {', '.join(SOURCING)}"
                problems.append(Problem(REVIEW, label, "sourcing", message))
            if row.quote and row.quote not in submission.article.text:
                problems.append(Problem(REVIEW, label, "quote", "not found verbatim in the article: copy it exactly"))
    if not any(row.action == "accept" for row in submission.rows):
        problems.append(Problem(REVIEW, "", "action", "no candidate is accepted: nothing to write"))
    for event in submission.new_events:
        label = f"new event {event.event or '(no id)'}"
        if not EVENT_ID.match(event.event):
            message = "an event id is lower-case words joined by hyphens, like 'geneva-talks-2025'"
            problems.append(Problem(REVIEW, label, "event", message))
        if not ISO_DAY.match(event.date) or pd.isna(pd.to_datetime(event.date, format="%Y-%m-%d", errors="coerce")):
            problems.append(Problem(REVIEW, label, "date", f"'{event.date}' is not a date in YYYY-MM-DD form"))
        problems += [
            Problem(REVIEW, label, name, "value is empty")
            for name in ("date_basis", "title", "summary")
            if not getattr(event, name).strip()
        ]
    return problems


# --------------------------------------------------------------------------
# CSV files edited row by row, keeping untouched rows byte for byte
# --------------------------------------------------------------------------


@dataclass
class CsvDoc:
    """A CSV file as its header plus records; each record keeps its original text until it is changed."""

    head: str
    columns: list[str]
    records: list[dict[str, str]]
    raw: list[str | None]  # original text of each record; None once changed or added

    @classmethod
    def read(cls, path: Path) -> CsvDoc:
        """Read a CSV file whose loader has already accepted it."""
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        reader = csv.reader(lines)
        columns = next(reader)
        head = "".join(lines[: reader.line_num])
        records, raw, start = [], [], reader.line_num
        for values in reader:
            text = "".join(lines[start : reader.line_num])
            start = reader.line_num
            if not any(v.strip() for v in values):
                continue
            records.append(dict(zip(columns, values, strict=False)))
            raw.append(text if text.endswith("\n") else text + "\n")
        return cls(head if head.endswith("\n") else head + "\n", columns, records, raw)

    def add_column(self, name: str, after: str) -> None:
        """Insert a column after another (every record is written anew, with the new field empty)."""
        if name in self.columns:
            return
        at = self.columns.index(after) + 1 if after in self.columns else len(self.columns)
        self.columns.insert(at, name)
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerow(self.columns)
        self.head = out.getvalue()
        self.raw = [None] * len(self.records)

    def append(self, record: dict[str, str]) -> None:
        """Add a record at the end."""
        self.records.append(record)
        self.raw.append(None)

    def replace(self, index: int, record: dict[str, str]) -> None:
        """Change a record; it is written anew."""
        self.records[index] = record
        self.raw[index] = None

    def text(self) -> str:
        """The file's new text."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        parts = [self.head]
        for record, raw in zip(self.records, self.raw, strict=True):
            if raw is not None:
                parts.append(raw)
                continue
            out.seek(0)
            out.truncate()
            writer.writerow([record.get(column, "") for column in self.columns])
            parts.append(out.getvalue())
        return "".join(parts)


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------


def write_review(root: Path, submission: Submission) -> WriteResult:
    """Add the accepted claims, the article and new events under ``root``, atomically; see the module doc."""
    result = WriteResult(problems=check_submission(submission))
    if result.problems:
        return result
    root = root.resolve()
    unsafe = _unsafe_work_dir(root)
    if unsafe:
        result.problems = [Problem(REVIEW, "", "", unsafe)]
        return result
    with _locked(root):
        recover(root)
        where = SourcePaths.under(root)
        sources, found = load_sources(where)
        if sources is None:
            message = f"the data already has {len(found)} problem(s); fix them before adding an article"
            result.problems = [Problem(REVIEW, "", "", message), *found]
            return result
        plan = _plan_changes(where, submission, sources.events, sources.claims, sources.manifest, result)
        if plan is None:
            return result
        staged, moves = _stage(root, where, plan)
        loaded, found = load_sources(staged)
        if loaded is None:
            shutil.rmtree(moves.parent, ignore_errors=True)
            result.problems = _as_live(found, staged, where)
            return result
        _commit(root, moves)
    result.written = True
    return result


@dataclass
class _Plan:
    """New contents for each file a write changes."""

    seed: str
    seed_text: str | None  # None when the article is already a seed
    claims: CsvDoc
    events: CsvDoc
    manifest: CsvDoc


def _plan_changes(
    where: SourcePaths,
    submission: Submission,
    events: pd.DataFrame,
    claims: pd.DataFrame,
    manifest: pd.DataFrame,
    result: WriteResult,
) -> _Plan | None:
    """Work out every row to add or change; fill ``result`` (duplicates, ids, problems)."""
    article = submission.article
    known_seed = next((str(s) for s, row in manifest.iterrows() if row["sha256"].lower() == article.sha256), "")
    seed = known_seed or _new_seed_name(where.seeds_dir, article.sha256)
    new_events = {e.event: e for e in submission.new_events}
    dates = {str(e): row["date"].date().isoformat() for e, row in events.iterrows()}
    problems = [
        Problem(REVIEW, f"new event {e}", "event", "already in data/events.csv: pick it instead of adding it")
        for e in new_events
        if e in dates
    ]
    dates.update({e: ev.date for e, ev in new_events.items()})
    accepted = [row for row in submission.rows if row.action == "accept"]
    problems += [
        Problem(REVIEW, f"candidate {row.candidate}", "event", f"unknown event '{row.event}': add it as a new event")
        for row in accepted
        if row.event not in dates
    ]
    if problems:
        result.problems = problems
        return None
    existing = duplicate_of(accepted, claims)
    keep, seen = [], {}
    for row in accepted:
        key = (row.event, row.party, row.region, row.stance)
        if row.candidate in existing:
            result.duplicates.append(f"{row.candidate}: already in data/claims.csv as {existing[row.candidate]}")
        elif key in seen:
            result.duplicates.append(f"{row.candidate}: same event, party, region and stance as {seen[key]}")
        else:
            seen[key] = row.candidate
            keep.append(row)
    if not keep:
        result.problems = [Problem(REVIEW, "", "", "nothing to write: every accepted candidate is already a claim")]
        return None
    claim_doc, event_doc, manifest_doc = (CsvDoc.read(p) for p in (where.claims, where.events, where.manifest))
    # The sourcing column sits right after the stance (data/claims.csv's layout); an older file gains it.
    claim_doc.add_column(SOURCING_COLUMN, after="stance")
    number = max((int(m.group(1)) for c in claims.index if (m := CLAIM_ID.match(str(c)))), default=0)
    for row in keep:
        number += 1
        claim = {
            "claim": f"c{number:03d}", "event": row.event, "date": dates[row.event], "party": row.party,
            "speaker": row.speaker, "stance": row.stance, "sourcing": row.sourcing, "region": row.region,
            "quote": row.quote, "seed": seed, "note": row.note,
        }  # fmt: skip
        claim_doc.append({c: claim.get(c, "") for c in claim_doc.columns})
        result.claims.append(claim["claim"])
    used = list(dict.fromkeys(row.event for row in keep))
    _add_events(event_doc, used, new_events, seed, result)
    _add_manifest_row(manifest_doc, submission, seed, used, dates)
    result.seed = seed
    return _Plan(seed, None if known_seed else article.text, claim_doc, event_doc, manifest_doc)


def _new_seed_name(seeds_dir: Path, sha256: str) -> str:
    numbers = [int(m.group(1)) for p in seeds_dir.glob("*.txt") if (m := SEED_NAME.match(p.name))]
    return f"{max(numbers, default=-1) + 1:03d}_{sha256[:16]}.txt"


def _add_events(doc: CsvDoc, used: list[str], new: dict[str, NewEvent], seed: str, result: WriteResult) -> None:
    """New events the claims use; the article added to the seeds of existing ones."""
    for index, record in enumerate(doc.records):
        if record["event"] in used and seed not in split_list(record["seeds"]):
            doc.replace(index, {**record, "seeds": ";".join([*split_list(record["seeds"]), seed])})
    for event_id in used:
        if event_id in new:
            event = new[event_id]
            row = {
                "event": event.event, "date": event.date, "date_basis": event.date_basis,
                "date_source": event.date_source, "title": event.title, "summary": event.summary, "seeds": seed,
            }  # fmt: skip
            doc.append({c: row[c] for c in EVENT_COLUMNS})
            result.events.append(event_id)


def _add_manifest_row(doc: CsvDoc, submission: Submission, seed: str, used: list[str], dates: dict[str, str]) -> None:
    """The article's manifest row: new, or its events extended when the article is already a seed."""
    for index, record in enumerate(doc.records):
        if record["seed"] == seed:
            events = list(dict.fromkeys([*split_list(record["events"]), *used]))
            events.sort(key=lambda e: dates[e])
            doc.replace(
                index, {**record, "events": ";".join(events), "event_dates": ";".join(dates[e] for e in events)}
            )
            return
    events = sorted(used, key=lambda e: dates[e])
    article = submission.article
    row = {
        "seed": seed,
        "sha256": article.sha256,
        "title": submission.title or article.title,
        "outlet": submission.outlet or "(not given)",
        "events": ";".join(events),
        "event_dates": ";".join(dates[e] for e in events),
        "date_basis": submission.date_basis or "Set at review; each event's date_basis in data/events.csv says how.",
    }
    doc.append({c: row[c] for c in MANIFEST_COLUMNS})


def _stage(root: Path, where: SourcePaths, plan: _Plan) -> tuple[SourcePaths, Path]:
    """Write the changed files into a fresh staging folder; return its SourcePaths and the plan file's path."""
    stage = root / WORK_DIR / f"staging-{uuid.uuid4().hex[:12]}"
    seeds, data = stage / "seeds", stage / "data"
    seeds.mkdir(parents=True)
    data.mkdir()
    for seed in where.seeds_dir.glob("*.txt"):
        _link_or_copy(seed, seeds / seed.name)
    # Only these four change; every other source (geometry, parties...) is read where it lives.
    staged = dataclasses.replace(
        where,
        seeds_dir=seeds,
        manifest=seeds / where.manifest.name,
        claims=data / where.claims.name,
        events=data / where.events.name,
    )
    moves: list[tuple[Path, Path]] = []
    if plan.seed_text is not None:
        _write(seeds / plan.seed, plan.seed_text)
        moves.append((seeds / plan.seed, where.seeds_dir / plan.seed))
    # Order: the article first, claims last, so until the claims move the old claims stand as they were.
    for doc, target, live in (
        (plan.events, staged.events, where.events),
        (plan.manifest, staged.manifest, where.manifest),
        (plan.claims, staged.claims, where.claims),
    ):
        _write(target, doc.text())
        moves.append((target, live))
    body = {"moves": [[str(src.relative_to(root)), str(dst.resolve().relative_to(root))] for src, dst in moves]}
    staged_plan = stage / f"{PLAN_FILE}.part"
    _write(staged_plan, json.dumps(body, indent=1))
    # The plan is renamed into place only after validation (see _commit): until then it is not a plan.
    return staged, staged_plan


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _write(path: Path, text: str) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def _commit(root: Path, staged_plan: Path) -> None:
    """Make the plan official, then carry it out."""
    staged_plan.replace(staged_plan.with_name(PLAN_FILE))
    _fsync_dir(staged_plan.parent)
    _carry_out(root, staged_plan.parent)


def _inside(root: Path, relative: object) -> bool:
    """True when ``relative`` is a relative path that stays inside ``root`` once symbolic links are followed."""
    if not isinstance(relative, str) or not relative or Path(relative).is_absolute():
        return False
    return (root / relative).resolve().is_relative_to(root)


def _plan_moves(root: Path, stage: Path) -> list[tuple[str, str]] | None:
    """The plan's moves, or None when the plan is unreadable or any move leaves the data root.

    Each source must lie in this staging folder and each target inside the
    root (outside .ingest/): a crafted plan.json cannot move a file from or to
    anywhere else.
    """
    try:
        plan = json.loads((stage / PLAN_FILE).read_text(encoding="utf-8"))
        moves = [(str(a), str(b)) for a, b in plan["moves"]] if isinstance(plan["moves"], list) else None
    except (OSError, UnicodeDecodeError, ValueError, RecursionError, TypeError, KeyError):
        return None
    work = (root / WORK_DIR).resolve()
    for source, target in moves or []:
        if not (_inside(root, source) and _inside(root, target)):
            return None
        if not (root / source).resolve().is_relative_to(stage.resolve()) or (root / target).resolve().is_relative_to(
            work
        ):
            return None
    return moves


def _carry_out(root: Path, stage: Path) -> None:
    moves = _plan_moves(root, stage)
    if moves is None:
        raise UnsafePlanError(f"{stage.name}/{PLAN_FILE} names a path outside the data folder or is unreadable")
    targets = set()
    for source, target in moves:
        if (root / source).exists():
            (root / source).replace(root / target)  # atomic on one file system
            targets.add((root / target).parent)
    for folder in targets:
        _fsync_dir(folder)
    shutil.rmtree(stage, ignore_errors=True)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


class UnsafePlanError(Exception):
    """A staged plan names a path outside the data folder: it is left alone, never carried out."""


def _unsafe_work_dir(root: Path) -> str | None:
    """Why the staging folder cannot be used (a symbolic link, or not a folder), or None."""
    work = root / WORK_DIR
    if work.is_symlink():
        return f"{WORK_DIR}/ is a symbolic link: staging, the lock and recovery stay inside the data folder"
    if work.exists() and not work.is_dir():
        return f"{WORK_DIR} is not a folder"
    if (work / LOCK_FILE).is_symlink():
        return f"{WORK_DIR}/{LOCK_FILE} is a symbolic link: the lock stays inside the data folder"
    return None


def recover(root: Path) -> list[str]:
    """Finish writes that were interrupted after validation; discard those that were not validated.

    Refuses a symlinked work folder or staging folder, and a plan that names
    any path outside the data root: those are reported and left as they are.
    """
    done: list[str] = []
    root = root.resolve()
    work = root / WORK_DIR
    unsafe = _unsafe_work_dir(root)
    if unsafe:
        return [f"refused: {unsafe}"]
    if not work.is_dir():
        return done
    for stage in sorted(work.glob("staging-*")):
        if stage.is_symlink() or not stage.is_dir():
            done.append(f"refused: {stage.name} is not a staging folder (a symbolic link or a file); left as it is")
            continue
        if (stage / PLAN_FILE).is_file():
            try:
                _carry_out(root, stage)
            except UnsafePlanError as err:
                done.append(f"refused: {err}; left as it is")
                continue
            done.append(f"finished an interrupted write ({stage.name})")
        else:
            shutil.rmtree(stage, ignore_errors=True)
            done.append(f"discarded an unfinished staging folder ({stage.name})")
    return done


@contextlib.contextmanager
def _locked(root: Path) -> Iterator[None]:
    """One writer at a time (two browser tabs, or the app and the command line)."""
    work = root / WORK_DIR
    work.mkdir(exist_ok=True)
    # O_NOFOLLOW: a lock file replaced by a symbolic link is refused (ELOOP), never opened for writing.
    descriptor = os.open(work / LOCK_FILE, os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    with os.fdopen(descriptor, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _as_live(problems: list[Problem], staged: SourcePaths, live: SourcePaths) -> list[Problem]:
    """Problems found in the staged copy, named after the files they would have changed."""
    names = {
        display_name(staged.claims): display_name(live.claims),
        display_name(staged.events): display_name(live.events),
        display_name(staged.manifest): display_name(live.manifest),
    }
    folder = display_name(staged.seeds_dir)
    renamed = []
    for problem in problems:
        file = names.get(problem.file, problem.file)
        message = problem.message.replace(folder, display_name(live.seeds_dir))
        renamed.append(Problem(file, problem.where, problem.field, message))
    return [Problem(REVIEW, "", "", "the edited claims did not pass the data checks; nothing was written"), *renamed]
