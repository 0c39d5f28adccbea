"""``python -m dashboard.app``: load the data, build every view, then serve the app (what ``make dashboard`` runs)."""

from dashboard.app.serve import main

if __name__ == "__main__":
    raise SystemExit(main())
