# The two commands: `make up` runs the whole stack, `make test` runs every test. Both set up what is missing first.
PY := .venv/bin/python
PYTEST_ARGS ?=

.PHONY: up test setup lint typecheck unit integration e2e web-test lock bench clean

up: setup
	$(PY) -m infra.up

test: setup lint typecheck web-test
	$(PY) -m pytest -m "unit or integration or e2e" $(PYTEST_ARGS)

setup:
	bash infra/setup.sh

lint:
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck:
	$(PY) -m mypy

web-test:
	npm --prefix web test --silent

unit:
	$(PY) -m pytest -m unit $(PYTEST_ARGS)

integration:
	$(PY) -m pytest -m integration $(PYTEST_ARGS)

# Regenerate constraints.txt from the current venv after changing dependencies in pyproject.toml.
lock:
	$(PY) -m pip freeze --exclude-editable | grep -v '^-e ' > constraints.txt

# Interview latency and capacity, then API latency; each writes its tables into BENCHMARKS.md.
bench: setup
	$(PY) -m bench.agent --write
	$(PY) -m bench.turns --write
	$(PY) -m bench.voice --write
	$(PY) -m bench.api --write
	$(PY) -m bench.streams --write
	$(PY) -m bench.audio_path --write
	$(PY) -m bench.grammar --write
	$(PY) -m bench.scoring --write
	$(PY) -m bench.calibration --write
	$(PY) -m bench.plans --write

clean:
	rm -rf var web/dist
