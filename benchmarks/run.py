"""Measure the product's speed against a plain pandas + openpyxl script.

One command (`make benchmark`) generates three months (67k and 670k accounts
as .xlsx, 2M as CSV; kept in benchmarks/datos/ for later runs), then times
in the same run, each as its own process from start to exit:

- the product: `caracterizacion informe` reading, validating, applying the
  rules and writing every table to JSON and Excel;
- the baseline: benchmarks/baseline_pandas.py computing the same tables
  from the same files and writing them to Excel;
- the floor: benchmarks/floor.py merely unzipping the sheets and running
  them through expat with no handlers (for a CSV: decoding and splitting);
- the app (offscreen): first window, tab switches, the list of all morosos
  of the largest month, and the committee PDF of the sample month.

It prints medians over several runs, the ratios and each process's peak
memory, checks that the product, the baseline and the generator agree on
the headline figures, and says which targets are met. Exit status: 0 when
every target is met, 1 when one is missed, 2 when the figures disagree or a
run fails.

Usage: python benchmarks/run.py [--rapido] [--repeticiones N] [--sin-app]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.months import SIZES, Month  # noqa: E402

logger = logging.getLogger("benchmarks.run")

DATA = ROOT / "benchmarks" / "datos"
SAMPLE = ROOT / "resources" / "sample"
SAMPLE_FILES = ("guia_usuarios_2025-07.xlsx", "cartera_2025-07.xlsx",
                "encuesta_2025.xlsx")
HEADLINES = ("usuarios_activos", "usuarios_morosos", "cartera_morosa")
# Runs per month: (product and floor, baseline).
RUNS = {"67k": (5, 3), "670k": (3, 1), "2M": (1, 1)}
QUICK_RUNS = {"67k": (3, 1)}
WINDOW_RUNS, PDF_RUNS = 5, 3

# The targets of issue 9.
SPEEDUP_MIN = 5.0  # the office's month: baseline / product
FLOOR_RATIO_MAX = 2.5  # the office's month: product / floor
LARGE_SECONDS_MAX = 15.0  # 670k accounts
LARGE_MEMORY_MB_MAX = 2048.0
WINDOW_SECONDS_MAX = 2.0
TAB_SECONDS_MAX = 0.1
LIST_SECONDS_MAX = 0.2  # sorting or scrolling the morosos list
PDF_SECONDS_MAX = 10.0


@dataclass
class Run:
    """One process: wall seconds from start to exit, CPU seconds, peak RSS."""

    seconds: float
    cpu: float
    peak_mb: float
    returncode: int
    stdout: str
    stderr: str


@dataclass
class Series:
    runs: list[Run] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(r.peak_mb for r in self.runs)

    @property
    def spread(self) -> tuple[float, float]:
        seconds = [r.seconds for r in self.runs]
        return min(seconds), max(seconds)


@dataclass
class MonthResult:
    month: Month
    product: Series
    baseline: Series
    floor: Series
    figures: dict[str, dict[str, str]]
    calamine: Series | None = None  # .xlsx: python-calamine alone


def child_env(folder: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "CARACTERIZACION_DATOS": str(folder),
        "QT_QPA_PLATFORM": "offscreen",
        "MPLBACKEND": "Agg",
        "PYTHONPATH": str(ROOT),
    })
    return env


def timed(command: list[str], env: dict[str, str]) -> Run:
    """Run a process to its end; time it and read its resource usage."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        env = {**env, "BENCH_T0": repr(time.time())}
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, env=env,
                                   cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(
            seconds=seconds,
            cpu=usage.ru_utime + usage.ru_stime,
            peak_mb=usage.ru_maxrss / 1024,
            returncode=process.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
        )


def checked(run: Run, what: str) -> Run:
    if run.returncode != 0:
        sys.stderr.write(run.stderr[-3000:])
        raise SystemExit(f"falló {what} (código {run.returncode})")
    return run


# --- one month ----------------------------------------------------------------


def prepare_month(name: str, folder: Path) -> Month:
    """Generate the month in its own process (none, if it is up to date)."""
    command = [sys.executable, str(ROOT / "benchmarks" / "generate.py"), name,
               str(folder)]
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return Month(name, folder)


def product_command(month: Month, out: Path) -> list[str]:
    return [sys.executable, "-m", "core.cli", "informe",
            "--usuarios", str(month.guia), "--cartera", str(month.cartera),
            "--json", str(out / "tablas.json"), "--excel", str(out / "tablas.xlsx")]


def baseline_command(month: Month, out: Path) -> list[str]:
    return [sys.executable, str(ROOT / "benchmarks" / "baseline_pandas.py"),
            str(month.guia), str(month.cartera), str(out / "base.xlsx")]


def floor_command(month: Month, *options: str) -> list[str]:
    return [sys.executable, str(ROOT / "benchmarks" / "floor.py"), *options,
            str(month.guia), str(month.cartera)]


def measure_month(month: Month, runs: tuple[int, int], env: dict[str, str],
                  out: Path, warm_up: bool) -> MonthResult:
    """Alternate floor, product and baseline so that load on the machine
    falls on all three alike. A first, untimed run of the product and the
    floor (for the first month) compiles the bytecode and fills the disk
    cache, as on any machine after the first use."""
    product, baseline, floor = Series(), Series(), Series()
    calamine = Series() if month.fmt == "xlsx" else None
    if warm_up:
        checked(timed(floor_command(month), env), "el piso")
        checked(timed(product_command(month, out), env), "el producto")
    for turn in range(runs[0]):
        logger.info("  %s: vuelta %d de %d", month.name, turn + 1, runs[0])
        floor.runs.append(checked(timed(floor_command(month), env), "el piso"))
        product.runs.append(
            checked(timed(product_command(month, out), env), "el producto"))
        if turn < runs[1]:
            baseline.runs.append(checked(
                timed(baseline_command(month, out), env), "la línea base"))
            if calamine is not None:
                calamine.runs.append(checked(timed(
                    floor_command(month, "--calamine"), env), "calamine"))
    figures = {
        "generador": month.expected(),
        "producto": json.loads((out / "tablas.json").read_text("utf-8"))["resumen"],
        "línea base": json.loads(baseline.runs[-1].stdout),
    }
    return MonthResult(month, product, baseline, floor, figures, calamine)


def figures_agree(result: MonthResult) -> bool:
    """The headline figures of the product, the baseline and the generator."""
    seen = {
        source: tuple(_exact(values[name]) for name in HEADLINES)
        for source, values in result.figures.items()
    }
    return len(set(seen.values())) == 1


def _exact(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


# --- the app ------------------------------------------------------------------


def measure_app(large: Month, office: Month, env: dict[str, str]) -> dict[str, Any]:
    script = [sys.executable, str(ROOT / "benchmarks" / "app_timing.py")]
    sample = [str(SAMPLE / name) for name in SAMPLE_FILES]
    logger.info("  app: primera ventana")
    checked(timed([*script, "ventana"], env), "la primera ventana")
    window = [json.loads(checked(timed([*script, "ventana"], env),
                                 "la primera ventana").stdout)["primera_ventana"]
              for _ in range(WINDOW_RUNS)]
    logger.info("  app: pestañas")
    tabs = _app_json([*script, "pestanas", str(office.guia), str(office.cartera)],
                     env)
    tabs_at_once = _app_json(
        [*script, "pestanas-ya", str(office.guia), str(office.cartera)], env)
    logger.info("  app: lista de todos los morosos del mes de %s", large.name)
    listing = _app_json([*script, "lista", str(large.guia), str(large.cartera)],
                        env)
    logger.info("  app: informe PDF del mes de ejemplo")
    pdf = [_app_json([*script, "pdf", *sample], env)["pdf"]
           for _ in range(PDF_RUNS)]
    return {"primera_ventana": window, "pestanas": tabs,
            "pestanas_ya": tabs_at_once, "lista": listing,
            "lista_mes": large.name, "pdf": pdf}


def _app_json(command: list[str], env: dict[str, str]) -> dict[str, Any]:
    run = checked(timed(command, env), " ".join(command[2:3]))
    return json.loads(run.stdout)


# --- the report ---------------------------------------------------------------


def num(value: float, decimals: int = 1) -> str:
    """A number the Colombian way: `1.234,5`."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def machine() -> list[str]:
    cpu = next((line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory_kb = next(int(line.split()[1])
                     for line in Path("/proc/meminfo").read_text().splitlines()
                     if line.startswith("MemTotal"))
    return [
        f"Equipo: {os.cpu_count()} núcleos ({cpu}), "
        f"{num(memory_kb / 1024 / 1024, 0)} GiB de memoria, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}",
    ]


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"{num(one, 2)} (1 min), {num(five, 2)} (5 min)"


def month_rows(results: list[MonthResult]) -> list[str]:
    header = (f"{'mes':<6}{'archivos':>9}{'cuentas':>11}{'líneas':>9}"
              f"{'producto':>10}{'base':>9}{'piso':>8}{'calamine':>10}"
              f"{'base/prod':>11}{'prod/piso':>11}{'mem prod':>10}"
              f"{'mem base':>10}")
    lines = [header, "-" * len(header)]
    for r in results:
        lines.append(
            f"{r.month.name:<6}{r.month.fmt:>9}{num(r.month.accounts, 0):>11}"
            f"{num(r.month.expected()['lineas_cartera'], 0):>9}"
            f"{num(r.product.median) + ' s':>10}{num(r.baseline.median) + ' s':>9}"
            f"{num(r.floor.median) + ' s':>8}"
            f"{(num(r.calamine.median) + ' s') if r.calamine else '—':>10}"
            f"{num(r.baseline.median / r.product.median) + '×':>11}"
            f"{num(r.product.median / r.floor.median) + '×':>11}"
            f"{num(r.product.peak_mb, 0) + ' MB':>10}"
            f"{num(r.baseline.peak_mb, 0) + ' MB':>10}"
        )
    lines.append("")
    lines.append("Medianas de tiempo de reloj, de que arranca el proceso a que "
                 "termina; entre paréntesis, el tiempo de CPU. «calamine»: solo "
                 "leer las hojas con python-calamine, el lector del producto.")
    for r in results:
        low, high = r.product.spread
        lines.append(
            f"  {r.month.name}: producto {num(r.product.median, 2)} s "
            f"({len(r.product.runs)} corridas, {num(low, 2)}–{num(high, 2)} s; "
            f"CPU {num(r.product.cpu, 2)} s), línea base "
            f"{num(r.baseline.median, 2)} s ({len(r.baseline.runs)}; CPU "
            f"{num(r.baseline.cpu, 2)} s), piso {num(r.floor.median, 2)} s "
            f"(CPU {num(r.floor.cpu, 2)} s)"
            + (f", calamine sola {num(r.calamine.median, 2)} s"
               if r.calamine else "")
        )
    return lines


def app_rows(app: dict[str, Any]) -> list[str]:
    first = {k: v[0] for k, v in app["pestanas"]["pestanas"].items()}
    at_once = {k: v[0] for k, v in app["pestanas_ya"]["pestanas"].items()}
    listing = app["lista"]
    worst_sort = max(listing["ordenar"].items(), key=lambda kv: kv[1])
    worst_scroll = max(listing["desplazar"].items(), key=lambda kv: kv[1])
    return [
        f"  primera ventana: {num(statistics.median(app['primera_ventana']), 2)} s "
        f"(mediana de {len(app['primera_ventana'])})",
        "  cambiar de pestaña (primera visita, con su gráfico, tras un segundo "
        "en Resumen): "
        + ", ".join(f"{k} {num(v * 1000, 0)} ms" for k, v in first.items()),
        "  lo mismo en cuanto aparece el mes, antes de que la aplicación dibuje "
        "las demás pestañas: "
        + ", ".join(f"{k} {num(v * 1000, 0)} ms" for k, v in at_once.items()),
        f"  lista de todos los morosos del mes de {app['lista_mes']} "
        f"({num(listing['filas'], 0)} cuentas): abrir "
        f"{num(listing['abrir'] * 1000, 0)} ms; ordenar, el más lento "
        f"{num(worst_sort[1] * 1000, 0)} ms ({worst_sort[0]}); desplazar, el "
        f"más lento {num(worst_scroll[1] * 1000, 0)} ms ({worst_scroll[0]})",
        f"  informe PDF del mes de ejemplo: {num(statistics.median(app['pdf']), 1)} s "
        f"(mediana de {len(app['pdf'])})",
    ]


def targets(results: list[MonthResult], app: dict[str, Any] | None
            ) -> list[tuple[bool, str]]:
    found = {r.month.name: r for r in results}
    checks: list[tuple[bool, str]] = []
    office = found.get("67k")
    if office:
        speedup = office.baseline.median / office.product.median
        ratio = office.product.median / office.floor.median
        checks += [
            (speedup >= SPEEDUP_MIN,
             f"mes de la oficina: {num(speedup)} veces más rápido que la línea "
             f"base (meta: 5 o más)"),
            (ratio <= FLOOR_RATIO_MAX,
             f"mes de la oficina: {num(ratio, 2)} veces el piso (meta: 2,5 o "
             "menos)"),
        ]
    large = found.get("670k")
    if large:
        checks += [
            (large.product.median <= LARGE_SECONDS_MAX,
             f"670.000 cuentas: {num(large.product.median)} s (meta: 15 s o menos)"),
            (large.product.peak_mb <= LARGE_MEMORY_MB_MAX,
             f"670.000 cuentas: {num(large.product.peak_mb, 0)} MB de memoria "
             "máxima (meta: 2.048 MB o menos)"),
        ]
    huge = found.get("2M")
    if huge:
        checks.append((True, f"2 millones de cuentas: termina en "
                             f"{num(huge.product.median)} s"))
    if app:
        checks += app_targets(app)
    return checks


def app_targets(app: dict[str, Any]) -> list[tuple[bool, str]]:
    window = statistics.median(app["primera_ventana"])
    tab = max(max(v) for v in app["pestanas"]["pestanas"].values())
    listing = app["lista"]
    worst = max([*listing["ordenar"].values(), *listing["desplazar"].values()])
    pdf = statistics.median(app["pdf"])
    return [
        (window <= WINDOW_SECONDS_MAX,
         f"app: primera ventana en {num(window, 2)} s (meta: 2 s o menos)"),
        (tab <= TAB_SECONDS_MAX,
         f"app: cambiar de pestaña, el más lento {num(tab * 1000, 0)} ms (meta: "
         "100 ms o menos)"),
        (worst <= LIST_SECONDS_MAX,
         f"app: lista de todos los morosos ({app['lista_mes']}), ordenar o "
         f"desplazar, lo más lento {num(worst * 1000, 0)} ms (meta: 200 ms o "
         "menos, sin congelarse)"),
        (pdf <= PDF_SECONDS_MAX,
         f"app: informe PDF en {num(pdf)} s (meta: 10 s o menos)"),
    ]


def report(results: list[MonthResult], app: dict[str, Any] | None,
           started_load: str) -> int:
    lines = ["", "Velocidad medida: Caracterización de usuarios", *machine(),
             f"Carga del equipo: {started_load} al empezar; {load_average()} al "
             "terminar", "", *month_rows(results)]
    if app:
        lines += ["", "Aplicación (sin pantalla, offscreen):", *app_rows(app)]
    disagree = [r.month.name for r in results if not figures_agree(r)]
    lines += ["", "Cifras principales (usuarios activos, morosos, cartera morosa):"]
    for r in results:
        values = r.figures["producto"]
        lines.append(
            f"  {r.month.name}: {num(values['usuarios_activos'], 0)}, "
            f"{num(values['usuarios_morosos'], 0)}, $ "
            f"{num(float(values['cartera_morosa']), 2)}: "
            + ("iguales en el producto, la línea base y el generador"
               if r.month.name not in disagree else "NO COINCIDEN: "
               + json.dumps(r.figures, ensure_ascii=False))
        )
    checks = targets(results, app)
    lines += ["", "Metas:"]
    lines += [f"  {'✔' if ok else '✘'} {text}" for ok, text in checks]
    print("\n".join(lines))
    if disagree:
        return 2
    return 0 if all(ok for ok, _ in checks) else 1


def save(results: list[MonthResult], app: dict[str, Any] | None, path: Path
         ) -> None:
    data = {
        "meses": {
            r.month.name: {
                name: [vars(run) | {"stdout": "", "stderr": ""} for run in s.runs]
                for name, s in (("producto", r.product), ("base", r.baseline),
                                ("piso", r.floor), ("calamine", r.calamine))
            if s is not None
            }
            for r in results
        },
        "app": app,
    }
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False), "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rapido", action="store_true",
                        help="solo el mes de la oficina, menos corridas")
    parser.add_argument("--repeticiones", type=int, metavar="N",
                        help="corridas del producto y del piso en cada mes")
    parser.add_argument("--sin-app", action="store_true",
                        help="no medir la aplicación de escritorio")
    parser.add_argument("--datos", type=Path, default=DATA,
                        help="carpeta de los meses generados")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    started_load = load_average()

    plan = dict(QUICK_RUNS if args.rapido else RUNS)
    if args.repeticiones:
        plan = {k: (args.repeticiones, min(b, args.repeticiones))
                for k, (_p, b) in plan.items()}
    months = {}
    for name in plan:
        logger.info("mes de %s cuentas (%s)…", name, SIZES[name][1])
        months[name] = prepare_month(name, args.datos / name)

    results = []
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        env = child_env(Path(tmp) / "datos")
        for name, runs in plan.items():
            out = Path(tmp) / name
            out.mkdir()
            logger.info("midiendo el mes de %s…", name)
            results.append(
                measure_month(months[name], runs, env, out, warm_up=not results))
        app = None
        if not args.sin_app:
            logger.info("midiendo la aplicación…")
            large = months.get("670k", months["67k"])
            app = measure_app(large, months["67k"], env)
    save(results, app, args.datos / "resultados.json")
    return report(results, app, started_load)


if __name__ == "__main__":
    sys.exit(main())
