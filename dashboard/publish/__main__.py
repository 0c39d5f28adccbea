"""``python -m dashboard.publish``: the command line of :mod:`dashboard.publish`."""

from dashboard.publish import main

if __name__ == "__main__":
    raise SystemExit(main())
