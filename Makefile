# `make run` starts the app, `make test` runs lint and the test suite; both set up .venv first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
ADDRESS ?= localhost
PORT ?= 8501
EDA_DATASETS := fer2013 ckplus48 jaffe facial_expressions yalefaces ravdess tess emodb emovo urdu \
  turev spanish_rcebrian nemo emospeech_indian

.PHONY: run test lint format eda bench soak screenshots chromium clean

run: $(VENV)/.runtime
	$(BIN)/streamlit run streamlit_app.py --server.address $(ADDRESS) --server.port $(PORT)

test: $(VENV)/.dev chromium lint
	$(BIN)/python -m pytest

# The browser tests drive Debian's chromium package through Playwright; install it if missing
# (they are skipped, saying why, where it cannot be installed).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing the chromium package for the browser tests"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium \
	    || echo "WARNING: could not install chromium: the browser tests will be skipped"; }

# Screenshots of every page for the README, taken by the browser tests.
screenshots: $(VENV)/.dev chromium
	EMOTION_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest tests/test_browser.py

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Regenerate the committed EDA summaries and docs/eda.md from the datasets in ../shared/data.
eda: $(VENV)/.runtime
	{ printf '# Exploratory data analysis\n\nMade by `make eda`, which runs, for each dataset in `../shared/data`:\n'; \
	  for d in $(EDA_DATASETS); do \
	    printf '\n```\npython -m emotion eda --dataset %s\n```\n\n' $$d; \
	    $(BIN)/python -m emotion eda --dataset $$d | sed 's/^## /### /' || exit 1; \
	  done; } > docs/eda.md

# Benchmarks (not timed tests): voice scoring of a 3 s clip, four voice users against one, face
# detection on real photos, face pipeline latency, live page frames per second.
bench: $(VENV)/.runtime
	PYTHONPATH=. $(BIN)/python bench/voice_latency.py
	PYTHONPATH=. $(BIN)/python bench/voice_concurrency.py
	PYTHONPATH=. $(BIN)/python bench/face_detection.py
	PYTHONPATH=. $(BIN)/python bench/detector_concurrency.py
	PYTHONPATH=. $(BIN)/python bench/face_latency.py
	PYTHONPATH=. $(BIN)/python bench/live_fps.py
	PYTHONPATH=. $(BIN)/python bench/idle_tabs.py
	PYTHONPATH=. $(BIN)/python bench/first_paint.py
	PYTHONPATH=. $(BIN)/python bench/refuse_latency.py
	PYTHONPATH=. $(BIN)/python bench/analyze_throughput.py

# Ten minutes of simulated users and a live stream at once: errors, cross-talk, p95, memory.
soak: $(VENV)/.runtime
	PYTHONPATH=. $(BIN)/python bench/soak.py

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), sys.version' \
	  || { echo "Python 3.11 is required (set PYTHON=/path/to/python3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV) \
	  || { echo "venv failed: on Debian/Ubuntu run 'sudo apt-get install python3.11-venv'"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements-scale.txt $(VENV)/.runtime
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
