# `make benchmark` runs the main job on the bundled corpus; `make test` runs the test suite.
# Both create the virtualenvs they need on a fresh machine (Python 3.11+ and make are all it takes).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
UV     := $(BIN)/uv
LS_VENV := .venv-ls
LABEL_STUDIO_VERSION := 1.23.2

.PHONY: benchmark test gold venv label-studio browser lock clean vectors

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv
	$(UV) pip install --quiet --python $(BIN)/python -r requirements.lock
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

# Label Studio has pins that clash with the data stack: it lives in a virtualenv of its own.
label-studio: $(LS_VENV)/.installed

$(LS_VENV)/.installed: $(VENV)/.installed
	$(PYTHON) -m venv $(LS_VENV)
	$(UV) pip install --quiet --python $(LS_VENV)/bin/python label-studio==$(LABEL_STUDIO_VERSION)
	touch $@

# Debian's Chromium and fonts, for the tests that look at pages as a person would (root on Debian).
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core fonts-noto-color-emoji >/dev/null; }

# The main job: corpus statistics, release 0.2.0 rebuilt from its kept gold and release 0.3.0 built from the
# committed gold on top of it (its CHANGELOG.md is the diff 0.2.0 -> 0.3.0), every registered system trained on
# 0.3.0's train split and run on its test split, the leaderboard printed and written to out/leaderboard/.
GOLD := corpus/gold/gold.jsonl
RELEASE_VERSION := 0.3.0
PREVIOUS_GOLD := corpus/gold/0.2.0
PREVIOUS_VERSION := 0.2.0
OUT := out

benchmark: venv
	$(BIN)/aqwal corpus stats
	$(BIN)/aqwal dataset build --gold $(PREVIOUS_GOLD)/gold.jsonl --out $(OUT)/release-$(PREVIOUS_VERSION) \
	  --version $(PREVIOUS_VERSION) --overwrite --agreement $(PREVIOUS_GOLD)/agreement.json --annotators annotation/annotators.tsv
	$(BIN)/aqwal dataset build --gold $(GOLD) --out $(OUT)/release --version $(RELEASE_VERSION) --overwrite \
	  --previous $(OUT)/release-$(PREVIOUS_VERSION) --agreement corpus/gold/agreement.json \
	  --annotators annotation/annotators.tsv --limitations corpus/gold/limitations.md
	$(BIN)/aqwal systems baselines --gold $(OUT)/release --split test --out $(OUT)/runs
	$(BIN)/aqwal leaderboard $(OUT)/runs/*.jsonl --gold $(OUT)/release --split test --out $(OUT)/leaderboard
	@echo "release: $(OUT)/release   predictions: $(OUT)/runs   leaderboard: $(OUT)/leaderboard/leaderboard.{md,html,png}"

test: venv label-studio browser
	$(BIN)/python -m pytest

# Rebuild the gold from the committed annotation snapshots (the arguments are in corpus/gold/recipe.txt), and
# the agreement figures the card shows: every pair of independent passes over one document among the snapshots
# of the recipe's second stage (release 0.2's passes), the adjudications left out.
gold: venv
	$(BIN)/aqwal annotate adjudicate $$(grep -v '^#' corpus/gold/recipe.txt) --out $(GOLD)
	$(BIN)/aqwal agreement $$(awk '/^--stage/ { n++ } n == 2 && /^annotation\/snapshots\//' corpus/gold/recipe.txt) \
	  --exclude llm-adjudicator --card corpus/gold/agreement.json

# Rebuild the word cluster table the trained systems use (benchmark/systems/data/clusters.tsv.gz, committed):
# the SaudiNewsNet articles of ../shared/data de-duplicated by the ingestion, word2vec vectors, k-means.
# Deterministic (fixed seeds, one thread); about 8 minutes on 2 cores.  `make benchmark` does not need it.
UNLABELLED := $(OUT)/unlabelled
vectors: venv
	$(BIN)/aqwal corpus ingest --sources saudinewsnet --out $(UNLABELLED)
	PYTHONHASHSEED=0 $(BIN)/aqwal systems vectors --corpus $(UNLABELLED)/documents.jsonl \
	  --out benchmark/systems/data/clusters.tsv.gz

# Regenerate the pinned versions after editing pyproject.toml's dependencies.
lock: venv
	$(UV) pip compile pyproject.toml --extra dev --python-version 3.11 --quiet -o requirements.lock

clean:
	rm -rf $(VENV) $(LS_VENV)
