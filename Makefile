# Vidhuk: `make run` serves the app with embedded defaults; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
.DEFAULT_GOAL := install
PORT ?= 5000
HOST ?= 127.0.0.1
MO := app/translations/uk/LC_MESSAGES/messages.mo app/translations/en/LC_MESSAGES/messages.mo

.PHONY: run test test-sqlite test-postgres install install-dev catalogs extract lint bench clean system-run system-test

# Debian packages beside the Python ones (fonts and HarfBuzz for PDF letters, Chromium for the
# browser tests): installed when run as root with apt, else each missing one is named.
system-run:
	@sh deploy/system-packages.sh run

system-test:
	@sh deploy/system-packages.sh test

# `install`: what the app runs on (requirements.txt); `install-dev` adds the tests' and tools'
# packages (requirements-dev.txt: pytest, Playwright, ruff, locust, moto, aiosmtpd, …).
install: $(STAMP) $(MO)

install-dev: $(DEV_STAMP) $(MO)

$(STAMP): requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(DEV_STAMP): requirements-dev.txt $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

app/translations/%/LC_MESSAGES/messages.mo: app/translations/%/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy --statistics -d app/translations -l $* 2>&1 | grep -v "^compiling" || true
	@test -f $@

catalogs: $(MO)

# Refresh the catalogs from the sources (translators then fill app/translations/*/messages.po).
extract: $(STAMP)
	$(BIN)/pybabel extract --no-location --omit-header -F babel.cfg -k _l -k lazy_gettext -o app/translations/messages.pot .
	$(BIN)/pybabel update --quiet -i app/translations/messages.pot -d app/translations --no-fuzzy-matching

run: system-run install
	$(FLASK) db upgrade
	$(FLASK) demo load --if-empty
	$(FLASK) demo logins
	$(FLASK) serve --host $(HOST) --port $(PORT)

test: system-test install-dev
	@echo "=== Test suite on SQLite ==="
	$(BIN)/python -m pytest -q
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "=== Test suite on PostgreSQL ($$TEST_DATABASE_URL) ==="; \
		VIDHUK_TEST_BACKEND=postgres $(BIN)/python -m pytest -q; \
	else \
		echo "=== PostgreSQL run skipped: set TEST_DATABASE_URL to run the suite on PostgreSQL ==="; \
	fi

lint: install-dev
	$(BIN)/ruff check app tests bench letter_templates
	$(BIN)/ruff format --check app tests bench letter_templates

clean:
	rm -rf $(VENV) $(MO)
