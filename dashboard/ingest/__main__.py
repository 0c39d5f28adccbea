"""``python -m dashboard.ingest``: the command line of :mod:`dashboard.ingest`."""

from dashboard.ingest import main

if __name__ == "__main__":
    raise SystemExit(main())
