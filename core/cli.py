"""The `caracterizacion` command line (DESIGN.md section 5)."""

from __future__ import annotations

import argparse
import logging
import re
import sys
import time
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from core import __version__
from core.applog import configure_logging
from core.errors import CaracterizacionError, ConfigError, ExportError
from core.formatting import fmt_count, fmt_int, fmt_month, fmt_pct, fmt_pesos
from core.model import MonthResult
from core.pipeline import MonthSources, process_month
from core.rules import segment_labels
from core.settings import Settings, load_settings

if TYPE_CHECKING:
    from core.debtor_lists import DebtorList
    from core.history import HistoryStore

logger = logging.getLogger(__name__)

EXIT_OK, EXIT_INTERNAL, EXIT_INPUT = 0, 1, 2
ROLES = ("usuarios", "cartera", "encuesta")
ROW_DETAIL = {"valor_ilegible", "sin_cuenta", "fila_sin_cuenta"}
IGNORED_QUALITY = {"filas_leidas", "total_archivo"}
SEGMENTS = ("0-30", "31-60", "61-120", "121+")
MOROSO_SEGMENTS = SEGMENTS[1:]
PAPERS = ("carta", "oficio")
OUTPUT_NAMES = {"pdf": "PDF", "excel": "Excel", "csv": "CSV"}


class SpanishParser(argparse.ArgumentParser):
    """argparse with its own messages in Spanish and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        message = message.replace("the following arguments are required", "faltan")
        message = message.replace("unrecognized arguments", "opciones desconocidas")
        message = message.replace("invalid choice", "opción no válida")
        self.exit(EXIT_INPUT, f"{self.prog}: error: {message}\n")


def _period(text: str) -> str:
    """Accept `AAAA-MM` with a month from 01 to 12."""
    match = re.fullmatch(r"\s*(\d{4})-(\d{2})\s*", text)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise argparse.ArgumentTypeError(
            f"«{text}» no es un periodo AAAA-MM (por ejemplo 2025-07)"
        )
    return f"{match.group(1)}-{match.group(2)}"


def _input_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("entrada")
    group.add_argument("--usuarios", required=True, type=Path, metavar="GUIA",
                       help="guía de usuarios del mes")
    group.add_argument("--cartera", required=True, type=Path, metavar="CARTERA",
                       help="conciliación de cartera del mes")
    group.add_argument("--encuesta", type=Path, metavar="ENCUESTA",
                       help="encuesta de percepción (opcional)")
    group.add_argument("--periodo", metavar="AAAA-MM", type=_period,
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
    _informe_parser(commands)
    _brigada_parser(commands)
    _lista_parser(commands)
    _historial_parser(commands)
    return parser


def _informe_parser(commands: Any) -> None:
    informe = commands.add_parser(
        "informe", help="calcula todas las tablas y escribe JSON, Excel y PDF"
    )
    _input_options(informe)
    informe.add_argument("--pdf", type=Path, metavar="INFORME.pdf")
    informe.add_argument("--excel", type=Path, metavar="TABLAS.xlsx")
    informe.add_argument("--json", type=Path, metavar="TABLAS.json")
    informe.add_argument("--historial", type=Path, metavar="BASE.sqlite",
                         help="historial de meses para la sección Evolución del "
                         "PDF y las hojas del tablero en el Excel (solo se lee, "
                         "nunca se escribe)")
    informe.set_defaults(run=_run_informe)


def _brigada_parser(commands: Any) -> None:
    brigada = commands.add_parser(
        "brigada", help="lista de campo de los morosos de una comuna (PDF o Excel)"
    )
    _input_options(brigada)
    brigada.add_argument("--comuna", required=True, metavar="N",
                         help="comuna de la lista (obligatoria)")
    brigada.add_argument("--barrio", metavar="NOMBRE",
                         help="solo este barrio (sin importar mayúsculas ni tildes)")
    brigada.add_argument("--segmento", choices=MOROSO_SEGMENTS,
                         help="solo este segmento de atraso (días)")
    _list_output_options(brigada, csv=False)
    brigada.add_argument("--salto-por-barrio", action="store_true",
                         help="cada barrio empieza en una página nueva")
    brigada.set_defaults(run=_run_brigada)


def _lista_parser(commands: Any) -> None:
    lista = commands.add_parser(
        "lista", help="lista de acción de un segmento de atraso"
    )
    _input_options(lista)
    lista.add_argument("--segmento", required=True, choices=SEGMENTS,
                       help="segmento de atraso (días)")
    lista.add_argument("--comuna", metavar="N", help="solo esta comuna")
    _list_output_options(lista, csv=True)
    lista.set_defaults(run=_run_lista)


def _historial_parser(commands: Any) -> None:
    historial = commands.add_parser(
        "historial", help="meses guardados y tablero de un mes frente al anterior"
    )
    actions = historial.add_subparsers(dest="accion", required=True,
                                       parser_class=SpanishParser)
    agregar = actions.add_parser("agregar", help="calcula un mes y lo guarda")
    _input_options(agregar)
    agregar.add_argument("--reemplazar", action="store_true",
                         help="reemplaza el mes si ya está en el historial")
    agregar.set_defaults(run=_run_historial_agregar)
    listar = actions.add_parser("listar", help="meses guardados")
    listar.set_defaults(run=_run_historial_listar)
    borrar = actions.add_parser("borrar", help="quita un mes del historial")
    borrar.add_argument("periodo_borrar", metavar="AAAA-MM", type=_period)
    borrar.set_defaults(run=_run_historial_borrar)
    tablero = actions.add_parser(
        "tablero", help="transiciones, recuperación y tendencia del último mes"
    )
    tablero.add_argument("--json", type=Path, metavar="TABLERO.json")
    tablero.set_defaults(run=_run_historial_tablero)
    for action in (agregar, listar, borrar, tablero):
        action.add_argument("--historial", type=Path, metavar="BASE.sqlite",
                            help="base del historial (por defecto, en la carpeta "
                            "de datos del usuario)")


def _list_output_options(parser: argparse.ArgumentParser, csv: bool) -> None:
    group = parser.add_argument_group("salida")
    group.add_argument("--completo", action="store_true",
                       help="nombres completos (por defecto van enmascarados)")
    group.add_argument("--pdf", type=Path, metavar="LISTA.pdf")
    group.add_argument("--excel", type=Path, metavar="LISTA.xlsx")
    if csv:
        group.add_argument("--csv", type=Path, metavar="LISTA.csv")
    group.add_argument("--papel", choices=PAPERS, default="carta",
                       help="tamaño del papel del PDF, horizontal (carta por defecto)")


def _column_maps(path: Path | None) -> dict[str, dict[str, str]]:
    """Read `--mapa-columnas`: one table per file role, field = header.

    A field taking several columns (componentes, edades) gives a list.
    """
    if path is None:
        return {}
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(path, "no existe") from None
    except PermissionError:
        raise ConfigError(path, "no se puede abrir (¿está abierto?)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, f"no se puede leer ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, f"no es TOML válido ({exc})") from None
    unknown = set(data) - set(ROLES)
    if unknown:
        raise ConfigError(
            path,
            f"secciones desconocidas: {', '.join(sorted(unknown))} (se esperan "
            "[usuarios], [cartera] y [encuesta])",
        )
    return {role: _role_map(path, role, table) for role, table in data.items()}


def _role_map(path: Path, role: str, table: Any) -> dict[str, str]:
    from core.columns import mapping_problems

    if not isinstance(table, dict):
        raise ConfigError(path, f"[{role}] debe ser una tabla campo = \"columna\"")
    mapping: dict[str, str] = {}
    for name, header in table.items():
        if isinstance(header, list) and all(isinstance(h, str) for h in header):
            header = "|".join(header)
        if not isinstance(header, str) or not header.strip():
            raise ConfigError(
                path, f"en [{role}], «{name}» debe ser el texto de un encabezado"
            )
        mapping[str(name)] = header
    unknown = mapping_problems(role, mapping)
    if unknown:
        raise ConfigError(
            path, f"en [{role}], campos desconocidos: {', '.join(unknown)}"
        )
    return mapping


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
            if item.codigo in ROW_DETAIL:
                _row_detail(item.filas)
    for check in failed:
        print(
            f"  ! No cuadra: {check.descripcion}: se esperaba "
            f"{fmt_pesos(check.esperado, 2)} y se obtuvo "
            f"{fmt_pesos(check.obtenido, 2)}.",
            file=sys.stderr,
        )


def _row_detail(rows: pd.DataFrame, most: int = 5) -> None:
    """Print the first rows behind an item: where to look in the file."""
    for record in rows.head(most).to_dict("records"):
        where = ", ".join(
            f"{k} {v}" for k, v in record.items() if k in ("archivo", "fila", "columna")
        )
        value = record.get("valor")
        shown = f": «{value}»" if value is not None else ""
        print(f"      {where}{shown}", file=sys.stderr)
    if len(rows) > most:
        print(f"      … y {fmt_int(len(rows) - most)} más.", file=sys.stderr)


def _run_informe(args: argparse.Namespace) -> int:
    if args.historial is not None and not Path(args.historial).exists():
        from core.errors import HistoryError

        raise HistoryError(args.historial, "sin_archivo")
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
    tablero = _report_dashboard(args, result) if args.excel or args.pdf else None
    if args.excel:
        from core.export_excel import write_excel

        write_excel(result, args.excel, tablero=tablero)
        print(f"Excel: {args.excel}")
    if args.pdf:
        from core.report_pdf import write_report

        write_report(result, args.pdf, settings, tablero=tablero)
        print(f"PDF: {args.pdf}")
    _warnings(result)
    return EXIT_OK


def _report_dashboard(args: argparse.Namespace, result: MonthResult) -> Any:
    """Return the month's tablero from `--historial`, read-only, or None.

    The month compared is the one from the files, whether or not the history
    has it; a history without an earlier month leaves the report without its
    Evolución section, and says so.
    """
    if args.historial is None:
        return None
    from core.evolution import build_dashboard
    from core.history import HistoryStore

    with HistoryStore(args.historial, read_only=True) as store:
        earlier = [p for p in store.periods() if p < result.periodo]
        if not earlier:
            print(f"El historial no tiene meses anteriores a "
                  f"{fmt_month(result.periodo)}: el informe va sin la sección "
                  "Evolución.", file=sys.stderr)
            return None
        return build_dashboard(store, actual=result)


def _run_brigada(args: argparse.Namespace) -> int:
    from core.debtor_lists import brigade_list

    settings = load_settings(args.config)
    result = process_month(_sources(args), settings)
    lista = brigade_list(
        result, args.comuna, barrio=args.barrio, segmento=args.segmento,
        completo=args.completo, settings=settings,
    )
    return _write_list(lista, args, settings, result)


def _run_lista(args: argparse.Namespace) -> int:
    from core.debtor_lists import segment_list

    settings = load_settings(args.config)
    _refuse_printing_reminders(args, settings)
    result = process_month(_sources(args), settings)
    lista = segment_list(
        result, args.segmento, comuna=args.comuna, completo=args.completo,
        settings=settings,
    )
    return _write_list(lista, args, settings, result)


def _refuse_printing_reminders(args: argparse.Namespace, settings: Settings) -> None:
    """The Prevención list (first segment) is exported, never printed."""
    from core.errors import NotPrintableError

    first = segment_labels(settings.segmentos_dias)[0]
    if args.pdf and args.segmento == first:
        raise NotPrintableError(settings.segmentos["nombres"][0], first)


def _write_list(
    lista: DebtorList, args: argparse.Namespace, settings: Settings,
    result: MonthResult,
) -> int:
    from core.debtor_lists import summary_sentence
    from core.list_export import export_list

    print(f"{lista.titulo} ({lista.id}): {summary_sentence(lista)}")
    if lista.frase:
        print(lista.frase)
    if lista.sin_contacto:
        print(f"{fmt_int(lista.sin_contacto)} cuentas sin teléfono ni correo "
              "quedaron fuera de la lista.")
    outputs = [("pdf", args.pdf), ("excel", args.excel),
               ("csv", getattr(args, "csv", None))]
    for formato, path in outputs:
        if path is None:
            continue
        written = export_list(
            lista, path, formato, papel=args.papel,  # type: ignore[arg-type]
            salto_por_barrio=getattr(args, "salto_por_barrio", False),
            settings=settings,
        )
        pages = f" ({fmt_int(written.paginas)} páginas)" if written.paginas else ""
        print(f"{OUTPUT_NAMES[formato]}: {path}{pages}")
    if not any(path for _, path in outputs):
        options = "--pdf, --excel o --csv" if hasattr(args, "csv") else (
            "--pdf o --excel")
        print(f"Sin archivo de salida: use {options} para escribir la lista.")
    _warnings(result)
    return EXIT_OK


def _history(
    args: argparse.Namespace, create: bool = False, read_only: bool = False
) -> HistoryStore:
    """Open the history; only `agregar` creates it where there is none."""
    from core.errors import HistoryError
    from core.history import HistoryStore, default_history_path

    path = args.historial or default_history_path()
    if not create and not Path(path).exists():
        raise HistoryError(path, "sin_archivo")
    return HistoryStore(path, read_only=read_only)


def _run_historial_agregar(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    result = process_month(_sources(args), settings)
    with _history(args, create=True) as store:
        count = store.add_month(result, replace=args.reemplazar)
        path = store.path
    verb = "reemplazado" if args.reemplazar else "guardado"
    print(f"Mes {result.periodo} ({fmt_month(result.periodo)}) {verb} en el "
          f"historial con {fmt_count(count, 'cuenta', 'cuentas')}: {path}")
    _warnings(result)
    return EXIT_OK


def _run_historial_listar(args: argparse.Namespace) -> int:
    from core.history import default_history_path

    if not Path(args.historial or default_history_path()).exists():
        print("El historial está vacío: todavía no se ha agregado ningún mes.")
        return EXIT_OK
    with _history(args, read_only=True) as store:
        months = store.months()
        path = store.path
    if not months:
        print(f"El historial está vacío: {path}")
        return EXIT_OK
    print(f"Historial {path}: {fmt_count(len(months), 'mes', 'meses')}")
    for month in months:
        s = month.resumen
        print(
            f"  {month.periodo}  {fmt_int(s['usuarios_activos'])} usuarios activos, "
            f"{fmt_int(s['usuarios_morosos'])} morosos, cartera morosa "
            f"{fmt_pesos(s['cartera_morosa'])} (guardado {month.guardado})"
        )
    return EXIT_OK


def _run_historial_borrar(args: argparse.Namespace) -> int:
    with _history(args) as store:
        store.delete_month(args.periodo_borrar)
    print(f"Mes {args.periodo_borrar} ({fmt_month(args.periodo_borrar)}) borrado "
          "del historial.")
    return EXIT_OK


def _run_historial_tablero(args: argparse.Namespace) -> int:
    from core.conclusions import comparacion_anual, comparacion_mes_anterior
    from core.evolution import build_dashboard, write_dashboard_json

    with _history(args, read_only=True) as store:
        dashboard = build_dashboard(store)
    print(f"Tablero de {fmt_month(dashboard.periodo)} frente a "
          f"{fmt_month(dashboard.periodo_anterior)}:")
    for compare in (comparacion_mes_anterior, comparacion_anual):
        found = compare(dashboard)
        if found is not None:
            print(f"  {found.texto}")
    for row in dashboard.tablas["transiciones_resumen"].filas:
        print(f"  {row[0]}: {fmt_count(row[1], 'cuenta', 'cuentas')}, "
              f"{fmt_pesos(row[2])}")
    recovery = dashboard.tablas["recuperacion"].total or []
    if recovery and recovery[1]:
        print(f"  Recuperado de los morosos del mes anterior: "
              f"{fmt_pesos(recovery[3])} ({fmt_pct(recovery[4])}).")
    if args.json:
        write_dashboard_json(dashboard, args.json)
        print(f"JSON: {args.json}")
    return EXIT_OK


INPUT_OPTIONS = ("usuarios", "cartera", "encuesta", "config", "mapa_columnas",
                 "historial")
OUTPUT_OPTIONS = ("pdf", "excel", "json", "csv")


def _check_outputs(args: argparse.Namespace) -> None:
    """Refuse an output that would overwrite one of the inputs."""
    inputs = {
        Path(p).resolve() for name in INPUT_OPTIONS if (p := getattr(args, name, None))
    }
    for name in OUTPUT_OPTIONS:
        path = getattr(args, name, None)
        if path and Path(path).resolve() in inputs:
            raise ExportError(
                path, "es uno de los archivos de entrada; elija otro nombre de salida"
            )


def main(argv: Sequence[str] | None = None) -> int:
    log_path = configure_logging()
    args = build_parser().parse_args(argv)
    started = time.perf_counter()
    try:
        _check_outputs(args)
        status = int(args.run(args))
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
