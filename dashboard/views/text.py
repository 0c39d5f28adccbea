"""Text from links, data files and uploads, made safe for Streamlit's Markdown surfaces.

Streamlit renders Markdown in ``st.markdown``, ``st.caption``, notices
(``st.warning``/``info``/``error``/``success``), headers, widget labels and
the options of ``st.radio`` and ``st.pills``: a value there can become a link,
an image that makes every viewer's browser fetch an outside address, a
heading, a coloured span or a formula. Every such value goes through
:func:`md` first (the one owner of this rule); HTML goes through
``views.cards.esc`` instead.
"""

from __future__ import annotations

import re

# Every ASCII punctuation character may be backslash-escaped in CommonMark, and an escaped one is only
# text: no link, image, emphasis, heading, list, table, HTML, directive (":red[...]", ":material/x:")
# or formula ("$...$") can start from it. Letters, digits and spaces are left alone.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")


def md(value: object) -> str:
    """``value`` as Markdown source that shows exactly its text, on one line.

    Line breaks become spaces, so a value cannot open a new block (a heading,
    a list, a code fence) under the text around it.
    """
    return _PUNCTUATION.sub(r"\\\1", _LINE_BREAKS.sub(" ", str(value)))
