"""Reading new articles: plain text, pasted HTML, and every kind of bad input, each with a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.ingest import analyse, analyse_bytes
from dashboard.ingest.articles import MAX_ARTICLE_BYTES, read_article, read_article_file
from dashboard.ingest.extract import load_rules
from dashboard.paths import SEEDS_DIR

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def message(data: bytes, name: str = "in.txt") -> str:
    article, problems = read_article(data, name)
    assert article is None
    (problem,) = problems
    assert problem.file == name
    return problem.message


def test_plain_text_is_kept_exactly() -> None:
    path = FIXTURES / "article.txt"
    article, problems = read_article_file(path)
    assert problems == []
    assert article.kind == "text"
    assert article.text == path.read_text(encoding="utf-8")
    assert article.title == "Talks resume with old demands"


def test_the_seed_articles_read_unchanged() -> None:
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        article, problems = read_article_file(path)
        assert problems == [], path.name
        assert article.text.encode("utf-8") == path.read_bytes()


def test_html_pasted_from_a_page_keeps_paragraphs_and_drops_scripts_menus_and_footer() -> None:
    article, problems = read_article((FIXTURES / "article.html").read_bytes(), "page.html")
    assert problems == []
    assert article.kind == "html"
    assert article.title == "Talks resume & old demands return"
    assert "Lavrov told reporters that Moscow wants the Lugansk region recognised" in article.text
    for hidden in ("tracker", "Donetsk must be ceded", "Home", "Kharkiv news", "Odesa", "color: red"):
        assert hidden not in article.text
    assert "\n\nZelenskiy said Ukraine would never hand over Kherson" in article.text


def test_html_gives_the_same_candidates_as_its_text() -> None:
    rules, _ = load_rules()
    _, from_html, _ = analyse_bytes((FIXTURES / "article.html").read_bytes(), "page.html", rules)
    _, from_text, _ = analyse(FIXTURES / "article.txt", rules)
    key = lambda c: (c.party, c.region, c.stance, c.quote)  # noqa: E731
    assert sorted(map(key, from_html.candidates)) == sorted(map(key, from_text.candidates))


@pytest.mark.parametrize("data", [b"", b"  \n\t\n"])
def test_an_empty_file_is_refused(data: bytes) -> None:
    assert message(data) == "the file is empty"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\x00\x01\x02\x03 binary", "a binary file, not text"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "a PDF document, not text"),
        (b"PK\x03\x04\x14\x00\x06\x00", "a ZIP archive"),
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        ("An article saved as UTF-16.".encode("utf-16"), "UTF-16 text: save it as UTF-8"),
    ],
)
def test_a_binary_file_is_refused_and_named(data: bytes, expected: str) -> None:
    assert message(data).startswith(expected)


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(MAX_ARTICLE_BYTES + 1)  # sparse: no 2 MB written to disk
    article, (problem,) = read_article_file(path)
    assert article is None
    assert f"the limit is {MAX_ARTICLE_BYTES:,} bytes" in problem.message
    assert f"limit is {MAX_ARTICLE_BYTES:,}" in message(b"a" * (MAX_ARTICLE_BYTES + 1))


def test_text_that_is_not_utf8_is_refused() -> None:
    data = "Kyiv rejected the \u201cpeace\u201d plan outright, officials said on Monday in the capital.".encode(
        "cp1252"
    )
    assert message(data).startswith("not UTF-8 text (bad byte at offset 18)")


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [("ukrainian.txt", "not in English: most letters are Cyrillic"), ("german.txt", "does not look like English")],
)
def test_an_article_not_in_english_is_refused(fixture: str, expected: str) -> None:
    article, (problem,) = read_article_file(FIXTURES / fixture)
    assert article is None
    assert problem.message.startswith(expected)


def test_a_few_words_are_not_an_article() -> None:
    assert message(b"Kyiv says no.") == "only 3 words: too short to be an article"


def test_an_article_naming_no_region_is_refused() -> None:
    rules, _ = load_rules()
    article, extraction, (problem,) = analyse(FIXTURES / "no_regions.txt", rules)
    assert article is not None
    assert extraction is None
    assert problem.message.startswith("no region of Ukraine is named in the article")


def test_a_byte_order_mark_is_dropped() -> None:
    article, problems = read_article(b"\xef\xbb\xbf" + (FIXTURES / "article.txt").read_bytes(), "bom.txt")
    assert problems == []
    assert article.text.startswith("Talks resume")


def test_a_saved_page_gives_its_main_text_title_site_and_publication_date() -> None:
    article, problems = read_article((FIXTURES / "dated.html").read_bytes(), "dated.html")
    assert problems == []
    assert (article.kind, article.title, article.site, article.date) == (
        "html",
        "Envoys trade terms",
        "Invented Wire",
        "2025-06-12",
    )
    assert "\n\nPeskov said on Tuesday that Ukrainian troops must pull out" in article.text
    for hidden in ("tracker", "Kherson must be ceded", "Home", "Mykolaiv weather", "caption about Odesa", "Sumy"):
        assert hidden not in article.text
    assert "Chernihiv" not in article.text


def test_plain_text_has_no_page_date_or_site() -> None:
    article, _ = read_article_file(FIXTURES / "article.txt")
    assert (article.site, article.date) == ("", "")


def test_relative_dates_in_a_page_are_read_against_its_publication_date() -> None:
    rules, _ = load_rules()
    _, extraction, problems = analyse_bytes((FIXTURES / "dated.html").read_bytes(), "dated.html", rules)
    assert problems == []
    dates = {(c.party, c.date) for c in extraction.candidates}
    assert dates == {("russia", "2025-06-10"), ("ukraine", "2025-06-05")}  # Tuesday, and a week before Thursday


def test_a_short_html_fragment_without_an_article_gives_its_plain_text() -> None:
    fragment = (
        b"<p>Putin demanded that Ukraine withdraw from Kherson before any talks.</p>"
        b"<p>Zelenskyy refused the demand on the same day, his office said.</p><p>Talks go on.</p>"
    )
    article, problems = read_article(fragment, "fragment.html")
    assert problems == []
    assert article.text.startswith("Putin demanded that Ukraine withdraw from Kherson before any talks.\n\nZelenskyy")
