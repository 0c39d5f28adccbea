"""Text from links, data files and uploads, made safe for Streamlit's Markdown surfaces.

Streamlit renders Markdown in ``st.markdown``, ``st.caption``, notices
(``st.warning``/``info``/``error``/``success``), headers, widget labels and
the options of ``st.radio`` and ``st.pills``: a value there can become a link,
an image that makes every viewer's browser fetch an outside address, a
heading, a coloured span or a formula. Every such value goes through
:func:`md` first (the one owner of this rule); HTML goes through
``render.cards.esc`` instead.
"""

from __future__ import annotations

import re

# Every ASCII punctuation character becomes a numeric character reference ("[" -> "&#91;"). CommonMark
# reads a character reference as literal text, never as syntax: no link, image, emphasis, heading, list,
# table, HTML, directive (":red[...]", ":material/x:") or formula ("$...$") can start from it. Letters,
# digits, spaces and non-ASCII text are left as they are.
_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")
# GitHub's autolinks ("https://...", "www.", "a@b.c") are found in the text after parsing, where references
# are already characters: an invisible word joiner (U+2060) inside each pattern keeps them text.
_AUTOLINK = re.compile(r"(?i)(?<=[a-z])(?=://)|(?<=www)(?=\.)|(?=@)")
WORD_JOINER = "\u2060"
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")


def md(value: object) -> str:
    """``value`` as Markdown source that shows exactly its text, on one line.

    Line breaks become spaces, so a value cannot open a new block (a heading,
    a list, a code fence) under the text around it; a URL or e-mail address
    gets an invisible word joiner, so it is not made a link.
    """
    text = _AUTOLINK.sub(WORD_JOINER, _LINE_BREAKS.sub(" ", str(value)))
    return _PUNCTUATION.sub(lambda m: f"&#{ord(m.group())};", text)
