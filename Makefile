# Two commands for a fresh Debian/Ubuntu machine with Python 3.11+:
#   make run    opens the app on the bundled sample month
#   make test   runs the whole test suite (it builds the bundle first)
#   make bundle builds the frozen app (dist/Caracterizacion/) and self-tests it
#   make benchmark measures the speed against a pandas + openpyxl script
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.instalado
OFFSCREEN := QT_QPA_PLATFORM=offscreen MPLBACKEND=Agg
# The bundle is built from its own venv: the runtime dependencies and
# PyInstaller only (PyInstaller takes whatever it finds).
BUNDLE_VENV ?= .venv-bundle
BUNDLE_PY := $(BUNDLE_VENV)/bin/python
BUNDLE_STAMP := $(BUNDLE_VENV)/.instalado
FROZEN := dist/Caracterizacion/Caracterizacion
BUNDLE_SOURCES := pyproject.toml $(shell find core gui resources packaging \
  -type f ! -path '*/__pycache__/*' ! -name '*.pyc' ! -name '* *')
CHECK_PYTHON := python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
  { echo "Se necesita Python 3.11 o posterior (python3 --version)."; exit 1; }

.PHONY: run app test bundle informe muestra benchmark clean

$(STAMP): pyproject.toml requirements.lock tools/install-system-deps.sh
	@$(CHECK_PYTHON)
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

$(BUNDLE_STAMP): packaging/requirements-bundle.txt packaging/constraints-bundle.txt
	@$(CHECK_PYTHON)
	bash tools/install-system-deps.sh
	test -x $(BUNDLE_PY) || python3 -m venv $(BUNDLE_VENV)
	$(BUNDLE_PY) -m pip install -q --upgrade pip
	$(BUNDLE_PY) -m pip install -q -c packaging/constraints-bundle.txt \
	  -r packaging/requirements-bundle.txt
	touch $(BUNDLE_STAMP)

# Rebuilt only when a source, a resource or the spec changed.
$(FROZEN): $(BUNDLE_STAMP) $(BUNDLE_SOURCES)
	$(BUNDLE_PY) -m PyInstaller --noconfirm --clean --log-level WARN \
	  --distpath dist --workpath build/pyinstaller packaging/caracterizacion.spec
	touch $(FROZEN)

# The frozen app loads the sample month offscreen, writes the PDF, exits 0.
bundle: $(FROZEN)
	$(FROZEN) --autoprueba

# tests/test_bundle.py runs the frozen app from an accented install folder.
test: $(STAMP) $(FROZEN)
	CARACTERIZACION_PAQUETE=$(CURDIR)/$(FROZEN) $(OFFSCREEN) $(PY) -m pytest -q

# The sample month's report from the command line, into salida/.
informe: $(STAMP)
	mkdir -p salida
	$(VENV)/bin/caracterizacion informe \
	  --usuarios resources/sample/guia_usuarios_2025-07.xlsx \
	  --cartera resources/sample/cartera_2025-07.xlsx \
	  --encuesta resources/sample/encuesta_2025.xlsx \
	  --json salida/tablas.json --excel salida/tablas.xlsx --pdf salida/informe.pdf

# Speed of the product against a plain pandas + openpyxl script, the expat
# floor and the app's timings (README, «Velocidad medida»). The first run
# generates the months into benchmarks/datos/; not part of `make test`.
benchmark: $(STAMP)
	$(OFFSCREEN) $(PY) benchmarks/run.py

# Regenerate the sample month (fixed seed: the same files every time).
muestra: $(STAMP)
	$(PY) tools/generate_sample.py resources/sample

clean:
	rm -rf $(VENV) $(BUNDLE_VENV) salida .pytest_cache dist build
