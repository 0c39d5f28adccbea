"""Reading a new article: plain text, or HTML pasted from a web page (read with trafilatura).

``read_article`` never raises on bad input: it returns the article or the
problems that stop it (empty, binary, too big, not UTF-8, not English), each
as a :class:`~dashboard.problems.Problem` naming the file. Nothing is written.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from dashboard.problems import Problem

MAX_ARTICLE_BYTES = 2_000_000  # a whole saved web page fits; a news article's text is 2 to 60 kB
MAX_TEXT_CHARS = 200_000  # about 30,000 words: longer than any news article, so probably the wrong file
MIN_WORDS = 12  # fewer words than this is not an article (and too little to tell the language)
MIN_LATIN_SHARE = 0.6  # English text is written in Latin letters
MIN_STOPWORD_SHARE = 0.12  # English prose has 30 to 50% of these words; other Latin-script languages far fewer
ARTICLE_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm")

# Common English function words: their share of all words tells English from other languages.
STOPWORDS = frozenset(
    {
        "the", "of", "and", "to", "a", "in", "is", "that", "for", "on", "with", "as", "was", "by", "it", "at",
        "from", "be", "has", "have", "had", "are", "were", "this", "which", "or", "an", "not", "but", "its", "his",
        "her", "their", "they", "he", "she", "will", "would", "said", "after", "over", "also", "who", "been",
        "more", "than", "into", "about",
    }
)  # fmt: skip
# File signatures of formats that are not text (a journalist may drop a PDF or Word file).
SIGNATURES = {
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (a Word, OpenDocument or ePub file is one)",
    b"\xd0\xcf\x11\xe0": "an old Word/Office document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"{\\rtf": "an RTF document",
    b"\xff\xfe": "UTF-16 text: save it as UTF-8",
    b"\xfe\xff": "UTF-16 text: save it as UTF-8",
}
_HTML_START = re.compile(r"^\s*(?:<!doctype html|<html|<head|<body|<article|<div|<p[\s>]|<h[1-6][\s>])", re.IGNORECASE)


@dataclass(frozen=True)
class Article:
    """An article ready for extraction: its name, its text (what is saved to seeds/) and a title."""

    name: str
    text: str
    title: str
    kind: str  # "text" or "html"
    site: str = ""  # the site's name, as the page gives it ('' for plain text)
    date: str = ""  # YYYY-MM-DD the page says it was published ('' for plain text or when it does not say)

    @property
    def sha256(self) -> str:
        """SHA-256 of the UTF-8 text, as the manifest records it once the text is saved."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def read_article(data: bytes, name: str) -> tuple[Article | None, list[Problem]]:
    """Decode, check and (for HTML) flatten an article given as bytes."""
    problem = _check_bytes(data, name)
    if problem:
        return None, [Problem(name, "", "", problem)]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        message = f"not UTF-8 text (bad byte at offset {err.start}): save the article as UTF-8 and try again"
        return None, [Problem(name, "", "", message)]
    if "\x00" in text:
        return None, [Problem(name, "", "", "a binary file, not text")]
    kind, title, site, date = "text", "", "", ""
    if looks_like_html(text):
        kind = "html"
        page = html_to_page(text)
        text, title, site, date = page.text, page.title, page.site, page.date
    text = text.replace("\r\n", "\n") if kind == "html" else text
    problem = _check_text(text)
    if problem:
        return None, [Problem(name, "", "", problem)]
    return Article(name, text, title or first_line(text), kind, site, date), []


def read_article_file(path: Path) -> tuple[Article | None, list[Problem]]:
    """``read_article`` on a file, reading no more than the size limit allows."""
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            return None, [Problem(path.name, "", "", _too_big(size))]
        data = path.read_bytes()
    except OSError as err:
        return None, [Problem(path.name, "", "", f"cannot be read: {err.strerror or err}")]
    return read_article(data, path.name)


def _too_big(size: int) -> str:
    return f"the file is {size:,} bytes; the limit is {MAX_ARTICLE_BYTES:,} bytes (about 2 MB)"


def _check_bytes(data: bytes, name: str) -> str:
    """Why these bytes are not an article, or ''."""
    if len(data) > MAX_ARTICLE_BYTES:
        return _too_big(len(data))
    if not data.strip():
        return "the file is empty"
    for signature, what in SIGNATURES.items():
        if data.startswith(signature):
            return f"{what}, not text: copy the article's text into a .txt file (or paste it) instead"
    head = data[:8192]
    if b"\x00" in head:
        return "a binary file, not text"
    return ""


def _check_text(text: str) -> str:
    """Why this text is not an English article, or ''."""
    if len(text) > MAX_TEXT_CHARS:
        return f"the text is {len(text):,} characters; the limit is {MAX_TEXT_CHARS:,} (about 30,000 words)"
    if not text.strip():
        return "no text in the file (an HTML page with no paragraphs, or only whitespace)"
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    if controls > max(5, len(text) // 200):
        return "a binary file, not text (it is full of control characters)"
    return _check_language(text)


def _check_language(text: str) -> str:
    """Why this text is not English (or too short to tell), or ''."""
    words = re.findall(r"[^\W\d_]+", text)
    if len(words) < MIN_WORDS:
        return f"only {len(words)} words: too short to be an article"
    letters = [ch for ch in text if ch.isalpha()]
    latin = sum(1 for ch in letters if "LATIN" in unicodedata.name(ch, ""))
    if latin / len(letters) < MIN_LATIN_SHARE:
        script = _main_script(letters)
        return f"not in English: most letters are {script}. The extractor reads English articles only"
    share = sum(1 for word in words if word.lower() in STOPWORDS) / len(words)
    if share < MIN_STOPWORD_SHARE:
        return (
            f"does not look like English ({share:.0%} of words are common English words such as 'the', 'of'; "
            f"English text has over {MIN_STOPWORD_SHARE:.0%}). The extractor reads English articles only"
        )
    return ""


def _main_script(letters: list[str]) -> str:
    counts: dict[str, int] = {}
    for ch in letters:
        script = unicodedata.name(ch, "UNKNOWN").split()[0].title()
        counts[script] = counts.get(script, 0) + 1
    return max(counts, key=counts.__getitem__)


def first_line(text: str) -> str:
    """The first non-empty line, as a title (clipped to 200 characters)."""
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:200]
    return ""


def looks_like_html(text: str) -> bool:
    """True for markup pasted from a web page (it starts with a tag, or is full of paragraph tags)."""
    return bool(_HTML_START.match(text)) or len(re.findall(r"</?(?:p|div|br|span|a)\b", text, re.IGNORECASE)) >= 3


@dataclass(frozen=True)
class Page:
    """What a web page holds for the extractor: its main text and the facts the page states about itself."""

    text: str  # one paragraph per line, a blank line between paragraphs
    title: str
    site: str
    date: str  # YYYY-MM-DD from the page's own metadata, '' if it gives none


def html_to_page(markup: str) -> Page:
    """The main text of a page (without menus, captions, comments, scripts), its title, site name and date.

    trafilatura does the reading; the date comes from the page's metadata only (no guess
    from the body text, which names many dates). A page trafilatura finds no article in
    (a short pasted fragment) gives its plain text instead.
    """
    import trafilatura  # imported here: it takes a moment, and plain text never needs it

    document = trafilatura.bare_extraction(
        markup,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_formatting=False,
        deduplicate=False,
        date_extraction_params={"extensive_search": False, "original_date": True, "outputformat": "%Y-%m-%d"},
    )
    text = (document.text if document is not None else "") or trafilatura.html2txt(markup) or ""
    paragraphs = [" ".join(line.split()) for line in text.splitlines()]
    body = "\n\n".join(p for p in paragraphs if p)
    title = " ".join((document.title or "").split()) if document is not None else ""
    site = " ".join((document.sitename or "").split()) if document is not None else ""
    date = (document.date or "") if document is not None else ""
    return Page(body + ("\n" if body else ""), title, site, date if _ISO_DAY.match(date) else "")


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def html_to_text(markup: str) -> tuple[str, str]:
    """The readable text of an HTML page (one paragraph per line, blank lines between) and its title."""
    page = html_to_page(markup)
    return page.text, page.title
