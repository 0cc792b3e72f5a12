# callfirst — make demo | make test | make quick | make lint | make bench
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell $(PYTHON) -c 'import hashlib,sys;print(hashlib.sha1(open("pyproject.toml","rb").read()).hexdigest()[:12])' 2>/dev/null)

.PHONY: demo test quick lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,lint]'
	rm -f $(VENV)/.installed-*
	touch $@

# The main job on a bundled invitation: find the interview, the call plan, the call (no answer, voicemail),
# then the email that fits it. It runs in a temporary copy of examples/home, so no call log stays behind.
DEMO_NOW := 2026-12-01T08:30:00-06:00
demo: $(STAMP)
	@home=$$(mktemp -d) && trap 'rm -rf "$$home"' EXIT && cp -R examples/home/. "$$home" && \
	export CALLFIRST_HOME="$$home" && set -x && \
	$(BIN)/callfirst scan examples/invite.eml --now $(DEMO_NOW) && \
	$(BIN)/callfirst plan examples/invite.eml --now $(DEMO_NOW) --propose 2026-12-07T14:00 --propose 2026-12-08T10:00 && \
	$(BIN)/callfirst call examples/invite.eml --now $(DEMO_NOW) --outcome voicemail && \
	$(BIN)/callfirst draft examples/invite.eml --now $(DEMO_NOW)

# The suite runs in one process per core (pytest-xdist); the summary at the end gathers what each measured.
test: $(STAMP)
	$(BIN)/python -m pytest -n auto

# The edit-test loop: everything but the tests marked slow (the library corpora, the 10 MB field, ...).
quick: $(STAMP)
	$(BIN)/python -m pytest -n auto -m "not slow"

LINTED := callfirst tests bench
lint: $(STAMP)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/mypy callfirst

# Speed and memory against icalendar's full parse, start-up against gcalcli (installed for the comparison).
# The start-up peer (gcalcli) gets a venv of its own, so it never changes the project's.
PEER := .venv-peer
bench: $(STAMP)
	@[ -x $(PEER)/bin/gcalcli ] || { $(PYTHON) -m venv $(PEER) && $(PEER)/bin/python -m pip install --quiet --disable-pip-version-check gcalcli; } || echo "gcalcli could not be installed; start-up ratio skipped"
	BENCH_PEER=$(PEER)/bin/gcalcli $(BIN)/python bench/bench.py

clean:
	rm -rf $(VENV) $(PEER) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
