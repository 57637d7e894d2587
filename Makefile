# ClientCare: `make run` starts the app, `make test` runs the whole suite.
# Both create .venv and install the project into it first (again only when
# pyproject.toml changes).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
TS     := $(wildcard resources/translations/*.ts)
QM     := $(TS:.ts=.qm)

.PHONY: run test test-deep translations lupdate bench bench-1m clean package package-zip smoke

run: $(STAMP) translations
	$(BIN)/python main.py $(ARGS)

test: $(STAMP) translations
	$(BIN)/ruff check app tests bench main.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -p no:cacheprovider -n auto $(PYTEST_ARGS)

# The same suite with the long random walks and the heaviest property tests run several
# times as far (tests/conftest.py depth()): before a release, or after touching the
# start of day, the schedule, the kept Charts or calendar figures, or the search index.
test-deep: $(STAMP) translations
	CLIENTCARE_DEEP_TESTS=1 QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -p no:cacheprovider -n auto $(PYTEST_ARGS)

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

# Benchmarks: `make bench` runs every benchmark at 100,000 clients, `make bench-1m` at
# 1,000,000 (the same scripts with --clients 1000000). The database comes from
# bench/dataset.py, built first when it is not cached in /tmp/clientcare-bench (about a
# minute at 100,000, a quarter of an hour at a million). bench/bench_scale.py writes the
# figures of issue 14 to bench/scale-<clients>.json.
BENCH_NICE ?= nice -n 19
BENCH_PY    = $(BENCH_NICE) $(BIN)/python
BENCH_QT    = QT_QPA_PLATFORM=offscreen $(BENCH_PY)

define bench_at
	$(BENCH_PY) bench/dataset.py --clients $(1)
	$(BENCH_PY) bench/bench_clients.py --clients $(1)
	$(BENCH_PY) bench/bench_schedule.py --clients $(1)
	$(BENCH_PY) bench/bench_metrics.py --clients $(1)
	$(BENCH_QT) bench/bench_pages.py --clients $(1)
	$(BENCH_QT) bench/bench_charts_stall.py --clients $(1)
	$(BENCH_QT) bench/bench_longops_stall.py --clients $(1)
	$(BENCH_QT) bench/bench_startup.py --clients $(1)
	$(BENCH_QT) bench/bench_gui.py --clients $(1)
	$(BENCH_PY) bench/bench_import.py
	$(BENCH_PY) bench/bench_durability.py
	$(BENCH_QT) bench/bench_scale.py --clients $(1) --json bench/scale-$(1).json
endef

bench: $(STAMP)
	$(call bench_at,100000)

bench-1m: $(STAMP)
	$(call bench_at,1000000)

# The packaged program (issue 19, README "Install"): PyInstaller's one-folder build of
# packaging/clientcare.spec in dist/clientcare (the programs clientcare and
# clientcare-cli), then dist/clientcare_<version>_<arch>.deb and the portable zip
# (packaging/build_deb.sh). `make smoke` builds and starts the result (CI does).
PACKAGE_STAMP := $(VENV)/.package-stamp

$(PACKAGE_STAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[package]'
	touch $(PACKAGE_STAMP)

package: $(PACKAGE_STAMP) translations
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist \
		--workpath build/pyinstaller packaging/clientcare.spec
	packaging/build_deb.sh

# the portable zip is made by `make package` with the .deb
package-zip: package

smoke:
	packaging/smoke.sh

clean:
	rm -rf $(VENV) build *.egg-info resources/translations/*.qm
