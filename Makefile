# The book's commands. Set-up and build: `make book`. Tests: `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
JB     := $(BIN)/jupyter-book
STRICT := -W -n --keep-going

.PHONY: book i18n-status test test-fast lab validate learner bench bench-kit publish clean pins check-setup pdf

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --no-deps -r requirements.txt
	touch $(STAMP)

venv: $(STAMP)

## book: set up the environment (first run) and build both editions strictly: English, then the
## Chinese edition's messages (catalogues in book/locale/ updated; the build stops on any message
## without a current translation), then Chinese (parkecon/machinery/editions.py)
book: $(STAMP)
	$(BIN)/python -m parkecon validate
	$(BIN)/python -m parkecon build
	@echo "The book is at $(CURDIR)/_build/html/index.html (Chinese: $(CURDIR)/_build/html/zh/index.html)"

## i18n-status: per page, the Chinese edition's messages that are untranslated or outdated
i18n-status: $(STAMP)
	$(BIN)/python -m parkecon i18n-status

## pdf: the print edition, one PDF per edition in _build/pdf/ (English and Chinese; needs TeX: the
## Debian packages it names), then both sites again, each linking its own edition's PDF and
## carrying a copy (_build/html/pdf/, _build/html/zh/pdf/)
pdf: $(STAMP)
	$(BIN)/python -m parkecon validate
	$(BIN)/python tools/pdf.py
	$(BIN)/python -m parkecon build
	@echo "The PDFs are in $(CURDIR)/_build/pdf/ and in the sites, $(CURDIR)/_build/html/pdf/ and $(CURDIR)/_build/html/zh/pdf/"

## test: the whole test suite (builds the book as part of it)
test: $(STAMP)
	$(BIN)/python -m pytest

## test-fast: the tests that neither build the book, drive a browser nor execute notebooks (seconds)
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not build and not browser and not kernel" -q

## lab: JupyterLab on the MyST sources (right-click a .md file: Open With > Jupytext Notebook);
## jupyterlab-myst (pinned) renders their Markdown cells, see book/how-to-use.md for what stays raw
lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

validate: $(STAMP)
	$(BIN)/python -m parkecon validate

pins:
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^parkecon' > /tmp/pins.txt && echo "see /tmp/pins.txt"

clean:
	rm -rf _build

## learner: the workshop kits and zips, in _build/learner/ and, Chinese, _build/learner/zh/ (written by each
## edition's build, from its executed chapters; parkecon/machinery/kitlang.py for the Chinese text)
learner: book
	@echo "The kit is at $(CURDIR)/_build/learner/parkecon-workshop.zip (Chinese: $(CURDIR)/_build/learner/zh/parkecon-workshop-zh.zip)"

## check-setup: the attendees' set-up check
check-setup: $(STAMP)
	$(BIN)/python check_setup.py

## bench: speed and size, measured on a temporary copy; writes _build/bench.json and _build/bench.md
## (includes the workshop kit: size, install time, unzip to first notebook executed; alone: make bench-kit)
bench: $(STAMP)
	$(BIN)/python tools/bench.py

bench-kit: $(STAMP)
	$(BIN)/python tools/bench.py --kit-only

## publish: strict build, then push _build/html to the gh-pages branch
publish: book
	$(BIN)/ghp-import --no-jekyll --push --force _build/html
