# Build the book and run its tests. `make help` lists the targets.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Extra `jupyter lab` options for `make lab`, e.g. LAB_ARGS="--port 9000"
LAB_ARGS ?=
# Parallel mutmut workers for `make mutation`
MUTATION_JOBS ?= 2

.DEFAULT_GOAL := help
.PHONY: help venv catalogues catalogues-library catalogues-data book book-regions site pdf screenshots lab test test-fast lint mutation bench clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-14s %s\n", $$1, $$2}'

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null || { echo "error: Python 3.11 is needed ('$(PYTHON)' is not it); run make PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

venv: $(STAMP) ## Create .venv with the pinned requirements and the helpers package

book: $(STAMP) ## Execute every chapter (papermill) and compile the English and Dutch sites into _build/html, _build/nl/html
	$(BIN)/python -m helpers build
	$(BIN)/python -m helpers build --language nl

catalogues: $(STAMP) ## Extract the pages' messages from the staged English book into locales/nl/LC_MESSAGES (sphinx-intl)
	$(BIN)/python -m helpers build
	$(BIN)/python -m regbook.catalogues

pdf: $(STAMP) ## Build both editions and print each as one PDF, _build/book.pdf and _build/nl/book.pdf (needs Debian's chromium)
	@command -v chromium >/dev/null || command -v chromium-browser >/dev/null || { echo "error: the PDF is printed with Chromium, which is not installed: apt-get install chromium"; exit 1; }
	$(BIN)/python -m helpers build --pdf
	$(BIN)/python -m helpers build --pdf --language nl

screenshots: $(STAMP) ## Build the book and take review screenshots of changed pages (laptop and phone width; needs chromium)
	$(BIN)/python -m helpers build --screenshots

book-regions: $(STAMP) ## Build the book for every region into _build/regions/<id>/html and <id>/nl/html
	$(BIN)/python -m helpers build --all-regions
	$(BIN)/python -m helpers build --all-regions --language nl

site: $(STAMP) ## Assemble the built editions into _build/site (English at the root, nl/, regions/<id>/) to publish
	$(BIN)/python -m regbook.site

# Root (CI, containers) needs --allow-root, and has no browser to open: the printed URL is what to open.
lab: $(STAMP) ## Open the chapters as notebooks in JupyterLab on 127.0.0.1 (prints the URL with its token)
	JUPYTER_PREFER_ENV_PATH=1 $(BIN)/jupyter lab --config=lab/jupyter_server_config.py \
		$(if $(filter 0,$(shell id -u)),--allow-root --no-browser) $(LAB_ARGS)

test: $(STAMP) ## Run the whole test suite (slow and browser tests included)
	$(BIN)/python -m pytest -q -m ""

test-fast: $(STAMP) ## Run the fast tests only (no notebook execution, no site build); plain pytest also skips those that start processes
	$(BIN)/python -m pytest -q -m "not slow and not browser"

lint: $(STAMP) ## Check the code with ruff (lint rules and format, configured in pyproject.toml); `ruff format .` fixes the format
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

mutation: $(STAMP) ## Mutation testing of stats.py and indices.py with their fast tests (slow; not part of test)
	rm -rf mutants && mkdir -p _build/mutation
	REGBOOK_PROPERTY_EXAMPLES=10 nice -n 10 $(BIN)/mutmut run --max-children $(MUTATION_JOBS) >_build/mutation/run.log 2>&1 || { tail -20 _build/mutation/run.log; exit 1; }
	$(BIN)/python tools/mutation_score.py

bench: $(STAMP) ## Benchmark the build against Jupyter Book's cache and the naive loop, and each speed trick switched off (SCENARIOS=cold,nochange,... REGIONS=twente,... TRICKS=all|none|name,... TRICK_ROUNDS=1)
	$(BIN)/python bench/bench_build.py $(if $(SCENARIOS),--scenarios $(SCENARIOS)) $(if $(REGIONS),--regions $(REGIONS)) \
		$(if $(TRICKS),--tricks $(TRICKS)) $(if $(TRICK_ROUNDS),--trick-rounds $(TRICK_ROUNDS))

clean: ## Remove build outputs (keeps .venv)
	rm -rf _build

catalogues-data: $(STAMP) ## Update the Dutch catalogue of the data's running texts (case studies, synthesis, ...), src/helpers/locales/nl/LC_MESSAGES/data.po
	$(BIN)/python tools/update_data_catalogue.py

catalogues-library: $(STAMP) ## Extract the library's messages (babel.cfg) and update its Dutch catalogue, src/helpers/locales/nl
	@mkdir -p _build
	$(BIN)/pybabel -q extract -F babel.cfg --no-wrap --sort-by-file --add-location=file --project regbook -o _build/helpers.pot .
	@if [ -f src/helpers/locales/nl/LC_MESSAGES/helpers.po ]; then \
		$(BIN)/pybabel -q update -i _build/helpers.pot -d src/helpers/locales -D helpers -l nl --no-wrap; \
	else \
		$(BIN)/pybabel -q init -i _build/helpers.pot -d src/helpers/locales -D helpers -l nl --no-wrap; \
	fi
