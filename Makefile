# ClientCare: `make run` starts the app, `make test` runs the whole suite.
# Both create .venv and install the project into it first (again only when
# pyproject.toml changes).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
TS     := $(wildcard resources/translations/*.ts)
QM     := $(TS:.ts=.qm)

.PHONY: run test translations lupdate bench clean

run: $(STAMP) translations
	$(BIN)/python main.py $(ARGS)

test: $(STAMP) translations
	$(BIN)/ruff check app tests bench main.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -p no:cacheprovider -n auto $(PYTEST_ARGS)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,dev]'
	touch $(STAMP)

translations: $(QM)

resources/translations/%.qm: resources/translations/%.ts $(STAMP)
	$(BIN)/pyside6-lrelease -silent $< -qm $@

# For developers: collect the tr() strings of the code into the .ts files.
lupdate: $(STAMP)
	$(BIN)/pyside6-lupdate -no-obsolete $(shell find app -name '*.py' | sort) -ts $(TS)

bench: $(STAMP)
	$(BIN)/python bench/bench_clients.py
	$(BIN)/python bench/bench_schedule.py
	$(BIN)/python bench/bench_metrics.py
	$(BIN)/python bench/bench_import.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/bench_gui.py

clean:
	rm -rf $(VENV) build *.egg-info resources/translations/*.qm
