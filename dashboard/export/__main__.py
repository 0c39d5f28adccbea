"""``python -m dashboard.export``: the command line of :mod:`dashboard.export`."""

from dashboard.export import main

if __name__ == "__main__":
    raise SystemExit(main())
