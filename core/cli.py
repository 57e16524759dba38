"""The `caracterizacion` command line (DESIGN.md section 5)."""

from __future__ import annotations

import argparse
import logging
import sys
import time
import tomllib
from collections.abc import Sequence
from pathlib import Path

from core import __version__
from core.applog import configure_logging
from core.errors import CaracterizacionError, ConfigError
from core.formatting import fmt_int, fmt_pct, fmt_pesos
from core.model import MonthResult
from core.pipeline import MonthSources, process_month
from core.settings import load_settings

logger = logging.getLogger(__name__)

EXIT_OK, EXIT_INTERNAL, EXIT_INPUT = 0, 1, 2
ROLES = ("usuarios", "cartera", "encuesta")
IGNORED_QUALITY = {"filas_leidas", "total_archivo"}


class SpanishParser(argparse.ArgumentParser):
    """argparse with its own messages in Spanish and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        message = message.replace("the following arguments are required", "faltan")
        message = message.replace("unrecognized arguments", "opciones desconocidas")
        message = message.replace("invalid choice", "opción no válida")
        self.exit(EXIT_INPUT, f"{self.prog}: error: {message}\n")


def _input_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("entrada")
    group.add_argument("--usuarios", required=True, type=Path, metavar="GUIA",
                       help="guía de usuarios del mes")
    group.add_argument("--cartera", required=True, type=Path, metavar="CARTERA",
                       help="conciliación de cartera del mes")
    group.add_argument("--encuesta", type=Path, metavar="ENCUESTA",
                       help="encuesta de percepción (opcional)")
    group.add_argument("--periodo", metavar="AAAA-MM",
                       help="periodo, si los archivos no lo dicen")
    group.add_argument("--config", type=Path, metavar="AJUSTES.toml",
                       help="ajustes que reemplazan los de fábrica")
    group.add_argument("--mapa-columnas", type=Path, metavar="MAPA.toml",
                       help="qué columna es cada campo, por archivo")


def build_parser() -> argparse.ArgumentParser:
    parser = SpanishParser(
        prog="caracterizacion",
        description="Caracterización de usuarios y cartera a partir de los "
        "archivos del mes.",
    )
    parser.add_argument("--version", action="version", version=__version__)
    commands = parser.add_subparsers(dest="comando", required=True,
                                     parser_class=SpanishParser)
    informe = commands.add_parser(
        "informe", help="calcula todas las tablas y escribe JSON, Excel y PDF"
    )
    _input_options(informe)
    informe.add_argument("--pdf", type=Path, metavar="INFORME.pdf")
    informe.add_argument("--excel", type=Path, metavar="TABLAS.xlsx")
    informe.add_argument("--json", type=Path, metavar="TABLAS.json")
    return parser


def _column_maps(path: Path | None) -> dict[str, dict[str, str]]:
    if path is None:
        return {}
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(path, "no existe") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, str(exc)) from None
    unknown = set(data) - set(ROLES)
    if unknown:
        raise ConfigError(path, f"secciones desconocidas: {', '.join(sorted(unknown))}")
    return {role: {str(k): str(v) for k, v in table.items()}
            for role, table in data.items()}


def _sources(args: argparse.Namespace) -> MonthSources:
    return MonthSources(
        usuarios=args.usuarios,
        cartera=args.cartera,
        encuesta=args.encuesta,
        periodo=args.periodo,
        mapas=_column_maps(args.mapa_columnas),
    )


def _warnings(result: MonthResult) -> None:
    items = [i for i in result.calidad if i.codigo not in IGNORED_QUALITY]
    failed = [c for c in result.conciliacion if not c.cuadra]
    if items:
        print(f"Avisos de calidad de datos ({len(items)}):", file=sys.stderr)
        for item in items:
            print(f"  - {item.mensaje}", file=sys.stderr)
    for check in failed:
        print(f"  ! No cuadra: {check.descripcion}", file=sys.stderr)


def _run_informe(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    result = process_month(_sources(args), settings)
    s = result.resumen
    print(
        f"Periodo {result.periodo}: {fmt_int(s.usuarios_activos)} usuarios activos, "
        f"{fmt_int(s.usuarios_morosos)} morosos ({fmt_pct(s.porcentaje_morosos)}), "
        f"cartera morosa {fmt_pesos(s.cartera_morosa)}."
    )
    if args.json:
        from core.export_json import write_json

        write_json(result, args.json)
        print(f"JSON: {args.json}")
    if args.excel:
        from core.export_excel import write_excel

        write_excel(result, args.excel)
        print(f"Excel: {args.excel}")
    if args.pdf:
        from core.report_pdf import write_report

        write_report(result, args.pdf, settings)
        print(f"PDF: {args.pdf}")
    _warnings(result)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    log_path = configure_logging()
    args = build_parser().parse_args(argv)
    started = time.perf_counter()
    try:
        status = _run_informe(args)
    except CaracterizacionError as exc:
        logger.warning("entrada no utilizable: %s", type(exc).__name__)
        print(f"Error: {exc.mensaje()}", file=sys.stderr)
        return EXIT_INPUT
    except Exception:
        logger.exception("error interno")
        print(
            "Error interno. Los detalles quedaron en el registro: "
            f"{log_path}",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    logger.info("comando %s terminado en %.1f s", args.comando,
                time.perf_counter() - started)
    return status


if __name__ == "__main__":
    sys.exit(main())
