# Two entry points for a fresh machine:
#   make dashboard   set up, then open the dashboard at http://127.0.0.1:8501
#   make test        set up (including Debian's Chromium), lint, run every test
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
SITE ?= site

.PHONY: dashboard test lint bench browser publish

$(VENV)/.installed: requirements.txt requirements-dev.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# python -m dashboard.app (dashboard/app/serve.py) loads the data before `streamlit run` takes the first page (a quick first map);
# --server.address keeps Streamlit from asking an outside host for this machine's IP.
dashboard: $(VENV)/.installed
	$(PY) -m dashboard.app --server.address 127.0.0.1 --server.port $(PORT)

browser:
	scripts/install-chromium.sh

lint: $(VENV)/.installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

test: $(VENV)/.installed browser lint
	$(PY) -m pytest

bench: $(VENV)/.installed
	$(PY) -m bench

# A static site for readers: no Python behind it; serve $(SITE)/ from any static host.
publish: $(VENV)/.installed
	$(PY) -m dashboard.publish $(SITE)
