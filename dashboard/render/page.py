"""What the app's page and the static site share: the page's styles and the timeline's labels.

Both front ends import these, so the published site looks like the dashboard
and names each date as its slider does. Plain strings: no Streamlit here
(``app/page.py`` puts the styles into the Streamlit page, ``publish/`` into the site's stylesheet).
"""

from __future__ import annotations

import pandas as pd

from dashboard.summary import fmt_date

# The line under the title, on the app and the static site. Not every position is a party's own word
# (second-hand and inferred ones are drawn faint), so it says "as the articles give it", not "stated".
DEK = (
    "Each party's position on each region at the chosen date, as five news articles (2024–2025) give it: "
    "in the party's own words, or drawn faint where it is another party's account or a reading of the text. "
    "Every shaded region links to the sentence that supports it"
)

# Sizes in rem so presentation mode scales everything with one root font size.
PAGE_CSS = """
<style>
html { font-size: 17px; }
.block-container { padding-top: 2.2rem; }
.pm-legend ul, .pm-events { list-style: none; padding-left: 0; margin: 0 0 8px; }
.pm-legend li { display: flex; gap: 8px; align-items: flex-start; margin: 4px 0; font-size: .85rem; line-height: 1.3; }
.pm-swatch { flex: 0 0 1.3rem; height: 1rem; border: 1.5px solid #555; margin-top: 2px; }
.pm-swatch-front { border-style: dashed; }
.pm-swatch-indirect { display: inline-block; width: 1.3rem; height: .85rem; margin-right: 6px; vertical-align: -2px;
  border: 2px dotted #555; background: rgba(120, 120, 120, .18); }
.pm-corrections { padding-left: 1.2rem; font-size: .9rem; }
.pm-corrections dl { margin: 2px 0 10px; }
.pm-corrections dt { font-weight: 600; float: left; width: 3rem; }
.pm-corrections dd { margin-left: 3.2rem; }
.pm-line { flex: 0 0 2.6rem; height: 5px; margin-top: .5rem; }
.pm-small { font-size: .78rem; color: #555; }
.pm-legend h4 { margin: 6px 0 4px; font-size: .95rem; }
.pm-events li { margin: 0 0 10px; padding: 4px 8px; border-left: 4px solid #ddd; }
.pm-events li.pm-current { border-left-color: #b2182b; background: #fff5f0; }
.pm-summary p { margin: 0 0 8px; font-size: .95rem; }
.pm-dot { display: inline-block; width: .7rem; height: .7rem; border-radius: .35rem; margin-right: 6px; }
.pm-caption { font-size: 1.05rem; margin: .3rem 0 0; }
.pm-caption small { color: #444; }
.pm-events-box { max-height: 420px; overflow-y: auto; }
.pm-events-box:focus-visible, .pm-positions-box summary:focus-visible {
  outline: 2px solid #b2182b; outline-offset: 2px; }
/* Streamlit draws captions at 60% opacity: below AA contrast (about 3.9:1) on white. */
[data-testid="stCaptionContainer"] { color: #555; opacity: 1 !important; }
table.pm-positions { border-collapse: collapse; width: 100%; font-size: .85rem; }
table.pm-positions caption { text-align: left; font-weight: 600; padding: 4px 0; }
table.pm-positions th, table.pm-positions td { border-top: 1px solid #ddd; padding: 4px 6px; text-align: left;
  vertical-align: top; }
table.pm-positions ul { margin: 0; padding-left: 1rem; }
</style>
"""

# Screen-sharing: no sidebar or Streamlit chrome, large type, strong contrast.
PRESENT_CSS = """
<style>
html { font-size: 24px; }
section[data-testid="stSidebar"], header[data-testid="stHeader"], [data-testid="stToolbar"],
[data-testid="collapsedControl"], [data-testid="stSidebarCollapsedControl"] { display: none !important; }
.block-container { padding: .6rem 1.4rem 0 !important; max-width: 100% !important; }
h1 { font-size: 1.5rem !important; padding: 0 !important; }
.pm-small { color: #222; }
.pm-caption { font-size: 1.1rem; font-weight: 500; color: #111; }
</style>
"""


def event_label(events: pd.DataFrame, event: str) -> str:
    """Slider label: date and short title."""
    return f"{fmt_date(events.at[event, 'date'])} · {events.at[event, 'title']}"
