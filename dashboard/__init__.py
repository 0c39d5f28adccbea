"""Interactive map of the Russia–Ukraine peace proposals.

Flow: sources (seeds/, data/) -> validated records (claims, events, geo)
-> the state at an event -> geometry (layers) -> rendering (mapview, app).
"""
