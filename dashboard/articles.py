"""Reading a new article: plain text, or HTML pasted from a web page.

``read_article`` never raises on bad input: it returns the article or the
problems that stop it (empty, binary, too big, not UTF-8, not English), each
as a :class:`~dashboard.problems.Problem` naming the file. Nothing is written.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
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
SKIPPED_TAGS = {"script", "style", "noscript", "template", "svg", "nav", "footer", "aside", "form", "button", "iframe"}
BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "article", "section",
    "header", "main", "figcaption", "tr", "td", "th", "pre", "dd", "dt", "hr", "title",
}  # fmt: skip


@dataclass(frozen=True)
class Article:
    """An article ready for extraction: its name, its text (what is saved to seeds/) and a title."""

    name: str
    text: str
    title: str
    kind: str  # "text" or "html"

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
    kind, title = "text", ""
    if looks_like_html(text):
        kind = "html"
        text, title = html_to_text(text)
    text = text.replace("\r\n", "\n") if kind == "html" else text
    problem = _check_text(text)
    if problem:
        return None, [Problem(name, "", "", problem)]
    return Article(name, text, title or first_line(text), kind), []


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


class _TextCollector(HTMLParser):
    """Collects the readable text of a page: paragraphs and headings, without scripts and menus."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.skipping = 0
        self.in_title = False
        self.title = ""
        self.h1 = ""
        self.in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_TAGS:
            self.skipping += 1
        if tag in BLOCK_TAGS:
            self._flush()
        self.in_title = tag == "title" or self.in_title
        self.in_h1 = tag == "h1" or self.in_h1

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS and self.skipping:
            self.skipping -= 1
        if tag == "title":
            self.in_title = False
            self.current = []  # the page title is kept apart, not as article text
            return
        if tag == "h1" and self.in_h1:
            self.in_h1 = False
            self.h1 = self.h1 or " ".join("".join(self.current).split())
        if tag in BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
        elif not self.skipping:
            self.current.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []

    def close(self) -> None:
        super().close()
        self._flush()


def html_to_text(markup: str) -> tuple[str, str]:
    """The readable text of an HTML page (one paragraph per line, blank lines between) and its title."""
    collector = _TextCollector()
    collector.feed(markup)
    collector.close()
    title = collector.h1 or " ".join(collector.title.split())
    return "\n\n".join(collector.blocks) + ("\n" if collector.blocks else ""), title
