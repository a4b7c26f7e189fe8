# Switchboard. `make run` starts everything on a fresh machine; `make test` runs the suite.
# Pass arguments through ARGS: make test ARGS="-k visitors", make bench ARGS=overview.
SHELL := /bin/bash
PY := .venv/bin/python
export UV_PYTHON_DOWNLOADS := never

.PHONY: run test setup lint bench seed sandbox clean messages

setup:
	@bash scripts/bootstrap.sh

run: setup
	@bash scripts/run.sh

test: setup
	@bash scripts/test.sh $(ARGS)

lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

sandbox: setup
	$(PY) -m sandbox serve --port 8001

seed: setup
	$(PY) -m sandbox seed --size demo --content $(or $(SANDBOX_SEED),demo)

bench: setup
	@bash scripts/bench.sh $(ARGS)

# Extracts the translatable strings of Python files and templates into locale/<lang>/django.po
# (needs GNU gettext's xgettext), then compiles them. Translate, then `make setup` compiles.
messages: setup
	$(PY) manage.py makemessages --all --no-obsolete --no-location --extension html,txt,py \
		--ignore .venv --ignore var --ignore static --ignore tests --ignore bench --ignore sandbox
	$(PY) scripts/compile_messages.py

clean:
	rm -rf var/ .venv/
