"""The "Add an article" page: upload or paste, review the candidates, write the accepted ones.

Mount it as a page of the app (``st.Page(render_add_article, title="Add an article")``).
All logic lives in :mod:`dashboard.ingest`, :mod:`dashboard.ingest.extract` and
:mod:`dashboard.ingest.review`; this module only draws widgets. Text from articles
reaches the page through Streamlit's tables (which do not render HTML) or
through :func:`dashboard.render.cards.esc`.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.app.editor import require_editor
from dashboard.app.text import md
from dashboard.claims import WHOLE_COUNTRY
from dashboard.ingest import analyse_bytes, default_root
from dashboard.ingest.articles import MAX_ARTICLE_BYTES, Article
from dashboard.ingest.extract import SOURCING, Extraction, Rules, load_rules, sentence_hints, split_sentences
from dashboard.ingest.review import (
    ACTIONS,
    NewEvent,
    ReviewRow,
    Submission,
    WriteResult,
    duplicate_of,
    new_event_from,
    review_row_from,
    review_rows,
    sentence_row,
    write_review,
)
from dashboard.problems import Problem
from dashboard.render.cards import esc, problems_html
from dashboard.sources import SourcePaths, Sources, load_sources

RESULTS_KEY = "ingest_results"
PASTED_NAME = "pasted article"
EVENT_FIELDS = ["event", "date", "date_basis", "date_source", "title", "summary"]
TABLE_COLUMNS = [
    "action", "confidence", "party", "region", "stance", "sourcing", "speaker", "event", "quote", "note", "reason",
    "duplicate_of", "id",
]  # fmt: skip
SENTENCE_LABEL = 140  # characters of a sentence shown in the picker
SOURCING_HELP = "; ".join(f"{name}: {meaning}" for name, meaning in SOURCING.items())


@dataclass(frozen=True)
class Analysed:
    """One input after extraction: the article and its candidates, or the problems that stopped it."""

    name: str
    article: Article | None
    extraction: Extraction | None
    problems: list[Problem]


def render_add_article(root: Path | None = None) -> None:
    """Draw the page. ``root`` is the data folder written to (default: $PEACE_MAP_ROOT or the repository)."""
    root = root or default_root()
    st.header("Add an article")
    st.caption(
        "Upload a news article (plain text, or a web page saved as HTML) or paste it below. The extractor "
        "proposes region-level positions, each with the sentence that supports it; accept, correct or reject "
        f"each one, then write the accepted ones to the map. Files up to {MAX_ARTICLE_BYTES // 1_000_000} MB, "
        "English only."
    )
    if not require_editor():  # the app is read-only for viewers: only editors read and write articles
        return
    rules, problems = load_rules(root)
    if rules is None:
        st.error("The extractor's cue lists have problems; fix them first.")
        st.html(problems_html(problems))
        return
    uploads = st.file_uploader(
        "Article files",
        type=["txt", "html", "htm"],
        accept_multiple_files=True,
        key="ingest_files",
        max_upload_size=math.ceil(MAX_ARTICLE_BYTES / 1_000_000),  # the exact limit is checked on reading
    )
    pasted = st.text_area("…or paste an article (plain text or the page's HTML)", key="ingest_paste", height=180)
    if st.button("Find positions", key="ingest_run", type="primary"):
        inputs = [(f.name, f.getvalue()) for f in uploads or []]
        if pasted.strip():
            inputs.append((PASTED_NAME, pasted.encode("utf-8")))
        st.session_state[RESULTS_KEY] = _analyse_all(inputs, rules)
    results: list[Analysed] = st.session_state.get(RESULTS_KEY, [])
    if not results:
        st.info("Nothing read yet: add a file or paste an article, then press **Find positions**.")
        return
    sources, source_problems = load_sources(SourcePaths.under(root))
    if sources is None:
        st.error("The data files have problems, so nothing can be written until they are fixed.")
        st.html(problems_html(source_problems))
    for number, item in enumerate(results):
        _render_one(number, item, rules, sources, root)


def _analyse_all(inputs: list[tuple[str, bytes]], rules: Rules) -> list[Analysed]:
    """Extract every input, showing progress (a folder of articles takes a while)."""
    results = []
    if not inputs:
        return results
    progress = st.progress(0.0, text="Reading…")
    for number, (name, data) in enumerate(inputs, start=1):
        progress.progress((number - 1) / len(inputs), text=f"Reading {md(name)} ({number} of {len(inputs)})")
        article, extraction, problems = analyse_bytes(data, name, rules)
        results.append(Analysed(name, article, extraction, problems))
    progress.progress(1.0, text=f"Read {len(inputs)} article(s)")
    return results


def _render_one(number: int, item: Analysed, rules: Rules, sources: Sources | None, root: Path) -> None:
    st.html(f"<h3>{esc(item.name)}</h3>")
    if item.article is None or item.extraction is None:
        st.error("This article cannot be used; nothing was written.")
        st.html(problems_html(item.problems))
        return
    key = f"ingest_{number}_{hashlib.sha256(item.article.text.encode()).hexdigest()[:8]}"
    extraction = item.extraction
    article = item.article
    dated = f" The page is dated {article.date}." if article.date else ""
    guesses = sum(c.guess for c in extraction.candidates)
    read = len(extraction.candidates) - guesses
    guessed = (
        f" Also {guesses} guess(es) of the learned pass, pairs no rule read: each starts as *reject*, "
        "accept it by hand."
        if guesses
        else ""
    )
    st.caption(f"{read} candidate(s) from {extraction.sentences} sentences.{guessed}{dated}")
    for limit in extraction.limits:
        st.warning(f"Not read in full: {limit}.")  # the extractor's own words and figures, no article text
    if not extraction.candidates:
        st.info(
            "Regions are named, but the extractor found no position on them. Pick a sentence below to add one yourself."
        )
    title = st.text_input("Title (for the manifest)", value=article.title, key=f"{key}_title")
    outlet = st.text_input("Outlet", value=article.site, key=f"{key}_outlet")
    st.markdown(
        "**New events** (leave empty if every position belongs to an event already on the timeline; "
        "the date is pre-filled from the page when it gives one)"
    )
    new_events = st.data_editor(
        _event_form(article),
        num_rows="dynamic",
        key=f"{key}_events",
        hide_index=True,
        width="stretch",
        column_config={
            "event": st.column_config.TextColumn("event id", help="lower-case words joined by hyphens"),
            "date": st.column_config.TextColumn("date", help="YYYY-MM-DD"),
            "date_basis": st.column_config.TextColumn("how the date is known"),
            "date_source": st.column_config.TextColumn("public source (if not the article)"),
        },
    )
    events = _new_events(new_events)
    event_options = [*(sources.events.index if sources is not None else []), *(e.event for e in events if e.event)]
    rows: list[ReviewRow] = []
    if extraction.candidates:
        table = _candidate_table(item, rules, sources)
        st.markdown("**Candidates**: set *action*, correct any field, and give each accepted row its event")
        edited = st.data_editor(
            table,
            key=f"{key}_table",
            hide_index=True,
            width="stretch",
            disabled=["confidence", "reason", "duplicate_of", "id"],
            column_config=_column_config(rules, sources, event_options),
        )
        rows = _rows(edited)
    rows += _sentence_claims(key, article, rules, sources, event_options)
    if st.button("Write accepted claims", key=f"{key}_write"):
        submission = Submission(article, rows, events, title, outlet)
        _show_result(write_review(root, submission))


def _sentence_claims(
    key: str, article: Article, rules: Rules, sources: Sources | None, events: list[str]
) -> list[ReviewRow]:
    """Claims the reviewer makes from any sentence (one the extractor missed): pick it, set four fields, add.

    The sentence is the quote, verbatim. Party, regions, stance and sourcing are pre-filled
    from what the sentence names; the claims added so far are listed and written with the rest.
    """
    store = f"{key}_manual"
    added: list[ReviewRow] = st.session_state.setdefault(store, [])
    sentences = split_sentences(article.text)
    st.markdown("**Add a claim from any sentence** (the sentence becomes the quote)")
    if not sentences:
        return list(added)
    number = st.selectbox(
        "Sentence",
        options=range(len(sentences)),
        format_func=lambda i: f"{i + 1}. {_clip(sentences[i].text)}",
        key=f"{key}_sentence",
    )
    hints = sentence_hints(sentences, number, rules)
    regions = [*sorted(rules.region_names, key=rules.region_names.__getitem__), WHOLE_COUNTRY]
    names = {**rules.region_names, WHOLE_COUNTRY: "Ukraine as a whole"}
    stances = list(sources.stances.index) if sources is not None else []
    parties = list(rules.party_names)
    suffix = f"{key}_{number}"  # new defaults for each sentence picked
    left, middle, right = st.columns(3)
    party = left.selectbox(
        "Party",
        parties,
        index=parties.index(hints.parties[0]) if hints.parties else 0,
        format_func=rules.party_names.__getitem__,
        key=f"{suffix}_party",
    )
    chosen = middle.multiselect(
        "Regions",
        regions,
        default=[r for r in hints.regions if r in regions],
        format_func=lambda code: f"{names.get(code, code)} ({code})",
        key=f"{suffix}_regions",
    )
    stance = right.selectbox(
        "Stance",
        stances,
        index=stances.index(hints.stance) if hints.stance in stances else 0,
        key=f"{suffix}_stance",
    )
    left, middle, right = st.columns(3)
    sourcing = left.selectbox(
        "Sourcing",
        list(SOURCING),
        index=list(SOURCING).index(hints.sourcing),
        key=f"{suffix}_sourcing",
        help=SOURCING_HELP,
    )
    speaker = middle.text_input("Speaker", value=hints.speaker, key=f"{suffix}_speaker")
    event = right.selectbox("Event", events, index=None, key=f"{suffix}_event", placeholder="pick an event")
    if st.button("Add as claim", key=f"{key}_add", disabled=not (chosen and stance)):
        quote = sentences[number].text
        for region in chosen:
            row = sentence_row(number + 1, quote, party, region, stance, sourcing, speaker=speaker, event=event or "")
            added[:] = [r for r in added if r.candidate != row.candidate] + [row]
    if added:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "party": r.party,
                        "region": r.region,
                        "stance": r.stance,
                        "sourcing": r.sourcing,
                        "event": r.event,
                        "quote": r.quote,
                    }
                    for r in added
                ]
            ),
            hide_index=True,
            width="stretch",
        )
        if st.button("Clear the added claims", key=f"{key}_clear"):
            added.clear()
            st.rerun()
    return list(added)


def _clip(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SENTENCE_LABEL else flat[: SENTENCE_LABEL - 1] + "…"


def _event_form(article: Article) -> pd.DataFrame:
    """The new-event form: one row pre-filled with the page's date when it gives one, else empty."""
    frame = pd.DataFrame({name: pd.Series(dtype="str") for name in EVENT_FIELDS})
    if article.date:
        frame.loc[0] = {**dict.fromkeys(EVENT_FIELDS, ""), "date": article.date, "date_basis": "the page's date"}
    return frame


def _candidate_table(item: Analysed, rules: Rules, sources: Sources | None) -> pd.DataFrame:
    candidates = item.extraction.candidates if item.extraction else []
    rows = review_rows(candidates, sources.events if sources is not None else None)
    duplicates = duplicate_of(rows, sources.claims) if sources is not None else {}
    by_id = {c.id: c for c in candidates}
    records = [
        {
            "action": "reject" if row.candidate in duplicates else row.action,
            "confidence": by_id[row.candidate].confidence,
            "party": row.party,
            "region": row.region,
            "stance": row.stance,
            "sourcing": row.sourcing,
            "speaker": row.speaker,
            "event": row.event,
            "quote": row.quote,
            "note": row.note,
            "reason": by_id[row.candidate].reason,
            "duplicate_of": duplicates.get(row.candidate, ""),
            "id": row.candidate,
        }
        for row in rows
    ]
    return pd.DataFrame(records, columns=TABLE_COLUMNS)


def _column_config(rules: Rules, sources: Sources | None, events: list[str]) -> dict:
    regions = [*sorted(rules.region_names, key=rules.region_names.__getitem__), WHOLE_COUNTRY]
    names = {**rules.region_names, WHOLE_COUNTRY: "Ukraine as a whole"}
    stances = list(sources.stances.index) if sources is not None else []
    config = {
        "action": st.column_config.SelectboxColumn("action", options=list(ACTIONS), required=True),
        "confidence": st.column_config.NumberColumn("confidence", format="%.2f"),
        "party": st.column_config.SelectboxColumn("party", options=list(rules.party_names), required=True),
        "region": st.column_config.SelectboxColumn(
            "region", options=regions, format_func=lambda code: f"{names.get(code, code)} ({code})"
        ),
        "event": st.column_config.SelectboxColumn("event", options=events, help="pick an event or add one above"),
        "quote": st.column_config.TextColumn("evidence (verbatim)", width="large"),
        "reason": st.column_config.TextColumn("why proposed", width="medium"),
        "duplicate_of": st.column_config.TextColumn("already a claim"),
        "sourcing": st.column_config.SelectboxColumn(
            "sourcing", options=list(SOURCING), required=True, help=SOURCING_HELP
        ),
    }
    if stances:  # without the stance list (broken data) the column stays free text
        config["stance"] = st.column_config.SelectboxColumn("stance", options=stances)
    return config


def _new_events(frame: pd.DataFrame) -> list[NewEvent]:
    new = [new_event_from(row) for _, row in frame.fillna("").iterrows()]
    return [event for event in new if event is not None]


def _rows(frame: pd.DataFrame) -> list[ReviewRow]:
    return [review_row_from(row) for _, row in frame.fillna("").iterrows()]


def _show_result(result: WriteResult) -> None:
    if result.duplicates:
        st.warning(f"{len(result.duplicates)} duplicate(s) of existing claims were not added.")
        st.html("<ul>" + "".join(f"<li>{esc(line)}</li>" for line in result.duplicates) + "</ul>")
    if result.written:
        added = ", ".join(result.claims)
        events = f" and event(s) {', '.join(result.events)}" if result.events else ""
        # Ids only: generated here, or event ids the staged data passed (identifiers.ID_PATTERN) before writing.
        st.success(f"Wrote {len(result.claims)} claim(s) ({added}){events}; the article is seeds/{result.seed}.")
        st.html("<p>Open the map to see them: the data reloads by itself.</p>")
    else:
        st.error("Nothing was written.")
        st.html(problems_html(result.problems))
