"""Interactive map of the Russia–Ukraine peace proposals.

Flow (docs/architecture.md): sources (seeds/, data/) -> validated records and
the state at an event, in the flat modules here -> ``render/`` (HTML, folium)
-> ``export/`` (files), ``publish/`` (the static site), ``app/`` (Streamlit).
``ingest/`` turns new articles into reviewed claims.
"""
