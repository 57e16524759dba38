# Two commands for a fresh Debian/Ubuntu machine with Python 3.11+:
#   make run    opens the app on the bundled sample month
#   make test   runs the whole test suite
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.instalado
OFFSCREEN := QT_QPA_PLATFORM=offscreen MPLBACKEND=Agg

.PHONY: run app test informe muestra clean

$(STAMP): pyproject.toml requirements.lock tools/install-system-deps.sh
	@python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Se necesita Python 3.11 o posterior (python3 --version)."; exit 1; }
	bash tools/install-system-deps.sh
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c requirements.lock -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/caracterizacion-app --demo

# The app for real months: opens on the start screen.
app: $(STAMP)
	$(VENV)/bin/caracterizacion-app

test: $(STAMP)
	$(OFFSCREEN) $(PY) -m pytest -q

# The sample month's report from the command line, into salida/.
informe: $(STAMP)
	mkdir -p salida
	$(VENV)/bin/caracterizacion informe \
	  --usuarios resources/sample/guia_usuarios_2025-07.xlsx \
	  --cartera resources/sample/cartera_2025-07.xlsx \
	  --encuesta resources/sample/encuesta_2025.xlsx \
	  --json salida/tablas.json --excel salida/tablas.xlsx --pdf salida/informe.pdf

# Regenerate the sample month (fixed seed: the same files every time).
muestra: $(STAMP)
	$(PY) tools/generate_sample.py resources/sample

clean:
	rm -rf $(VENV) salida .pytest_cache
