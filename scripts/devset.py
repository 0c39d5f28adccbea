"""Rebuild the development set's article texts into a local cache (never committed).

    python scripts/devset.py                    # fetch every article missing from .cache/devset/
    python scripts/devset.py --from-dir DIR     # import texts saved by hand as DIR/<id>.txt or .html
    python scripts/devset.py --status           # only say which articles are cached and whether they match

The gold in data/extract_eval/gold.csv was annotated on one exact text per article, whose SHA-256
articles.csv records. A cached text with another hash (a fuller page, a page edited since) is kept
but reported; the scorer leaves it out unless told otherwise. Fetching needs the network: the page
is downloaded with ``requests`` and its main text taken with trafilatura when that is installed,
else with the project's own HTML reader.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.ingest.articles import html_to_text, looks_like_html  # noqa: E402
from dashboard.ingest.devset import ARTICLES_CSV, CACHE_DIR, DevArticle, read_articles, text_sha256  # noqa: E402

TIMEOUT_S = 20  # one slow site must not stall the whole rebuild
USER_AGENT = "peace-proposals-map devset rebuild (research; one request per article)"


def page_text(markup: str) -> str:
    """The main text of a web page: trafilatura's reading when installed, else the project's HTML reader."""
    try:
        import trafilatura  # optional: a maintained article extractor does better on real pages
    except ImportError:
        return html_to_text(markup)[0]
    return trafilatura.extract(markup, include_comments=False, include_tables=False) or html_to_text(markup)[0]


def fetch(url: str) -> str:
    """Download a page and return its main text (raises OSError or requests' errors on failure)."""
    import requests  # deferred: only fetching needs it

    response = requests.get(url, timeout=TIMEOUT_S, headers={"User-Agent": USER_AGENT})
    response.raise_for_status()
    return page_text(response.text)


def import_saved(article: DevArticle, folder: Path) -> str | None:
    """The text of ``<id>.txt`` or ``<id>.html`` in ``folder``, or None when neither exists."""
    for suffix in (".txt", ".html", ".htm"):
        path = folder / f"{article.id}{suffix}"
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            return page_text(text) if suffix != ".txt" or looks_like_html(text) else text
    return None


def status(article: DevArticle, cache: Path) -> str:
    """'missing', 'matches' or 'differs' for one article's cached text."""
    path = cache / f"{article.id}.txt"
    if not path.is_file():
        return "missing"
    return "matches" if text_sha256(path.read_text(encoding="utf-8")) == article.sha256 else "differs"


def rebuild(articles: list[DevArticle], cache: Path, from_dir: Path | None, fetch_missing: bool) -> dict[str, str]:
    """Fill the cache for every article not already there; returns each article's status afterwards."""
    cache.mkdir(parents=True, exist_ok=True)
    result = {}
    for article in articles:
        if status(article, cache) == "missing":
            text = import_saved(article, from_dir) if from_dir else None
            if text is None and fetch_missing:
                try:
                    text = fetch(article.url)
                except Exception as err:  # any network or HTTP failure: report it and go on
                    print(f"{article.id}: could not fetch {article.url}: {err}", file=sys.stderr)
            if text is not None:
                (cache / f"{article.id}.txt").write_text(text, encoding="utf-8")
        result[article.id] = status(article, cache)
    return result


def main(argv: list[str] | None = None) -> int:
    """Rebuild or inspect the cache; print one line per article that is not cached as annotated."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from-dir", type=Path, help="a folder of texts saved by hand as <id>.txt or <id>.html")
    parser.add_argument("--status", action="store_true", help="report only; fetch and import nothing")
    parser.add_argument("--no-fetch", action="store_true", help="import from --from-dir only; no network")
    parser.add_argument("--cache", type=Path, default=CACHE_DIR, help="cache folder (default .cache/devset)")
    parser.add_argument("--manifest", type=Path, default=ARTICLES_CSV, help="the articles.csv to read")
    args = parser.parse_args(argv)
    articles = read_articles(args.manifest)
    if args.status:
        states = {a.id: status(a, args.cache) for a in articles}
    else:
        states = rebuild(articles, args.cache, args.from_dir, fetch_missing=not args.no_fetch)
    for article_id, state in states.items():
        if state != "matches":
            print(f"{article_id}: {state}")
    counts = {s: sum(1 for v in states.values() if v == s) for s in ("matches", "differs", "missing")}
    print(f"{counts['matches']} cached as annotated, {counts['differs']} differ, {counts['missing']} missing")
    return 0 if counts["missing"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
