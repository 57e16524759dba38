"""The committee's PDF: the reference figures, read back from the file."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
from PIL import Image as PILImage
from pypdf import PdfReader

from core import report_pdf
from core.conclusions import (
    comparacion_anual,
    comparacion_mes_anterior,
    conclusions,
    evolucion_movimientos,
    evolucion_recuperacion,
    evolucion_rodamiento,
)
from core.errors import ExportError
from core.evolution import Dashboard, build_dashboard
from core.history import HistoryStore
from core.model import MonthResult
from core.model import Table as ResultTable
from core.pipeline import MonthSources, process_month
from core.report_pdf import write_report
from core.resources import sample_month
from core.settings import Settings, load_settings
from core.tables import top_barrios
from tests.core.conftest import (
    TRICKY_BARRIO,
    build_offer_table,
    build_reference_month,
)

ISSUED = dt.date(2025, 8, 15)


@pytest.fixture(scope="module")
def settings() -> Settings:
    return load_settings()


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> Path:
    """The reference month's report, built once for the module."""
    path = tmp_path_factory.mktemp("informe") / "informe.pdf"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(report_pdf, "CHART_DPI", 60)  # quicker; text is the same
        write_report(_full_month(), path, settings, fecha_emision=ISSUED)
    return path


def _full_month() -> MonthResult:
    month = build_reference_month()
    month.tablas["oferta_institucional"] = build_offer_table()
    return month


@pytest.fixture(scope="module")
def pages(report_file: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(report_file).pages]


@pytest.fixture(scope="module")
def text(pages: list[str]) -> str:
    """The whole report's text, with line breaks and runs of spaces as one."""
    return " ".join(" ".join(pages).split())


def _small_month() -> MonthResult:
    """The reference month with a single table: quick to render."""
    month = build_reference_month()
    month.tablas = {"morosos_por_comuna": month.tablas["morosos_por_comuna"]}
    return month


@pytest.mark.parametrize(
    "expected",
    [
        "67.325",  # usuarios activos
        "9.986",
        "$ 14.912.156.524",  # cartera morosa, half up to the peso
        "$ 1.493.306",  # deuda promedio
        "14,8 %",
        "julio de 2025",
        "31/07/2025",  # fecha de corte
        "15/08/2025",  # fecha de emisión
        "AGUAS DE BARRANCABERMEJA S.A. E.S.P.",
        "$ 13.393.549.503",  # morosos estrato 01
        "89,8 %",
        "37,5 %",  # usuarios estrato 01
        "$ 15.588.352.267",  # cartera total
        "$ 1.234.568",  # saldo a favor
    ],
)
def test_report_shows_the_reference_figures(text: str, expected: str) -> None:
    assert expected in text


def test_every_page_is_numbered_with_the_total(pages: list[str]) -> None:
    total = len(pages)

    assert total > 5
    for number, page in enumerate(pages, start=1):
        assert f"Página {number} de {total}" in page


def test_footer_names_entity_and_period(pages: list[str]) -> None:
    footer = "AGUAS DE BARRANCABERMEJA S.A. E.S.P. · Caracterización de usuarios"
    assert all(footer in page and "julio de 2025" in page for page in pages)


def test_definitions_carry_the_rules_in_force(text: str) -> None:
    for expected in (
        "ANULADO, CANCELADO, INACTIVO, RETIRADO",
        "31 días de mora o más",
        "0-30 días: Prevención",
        "121+ días: Gestión jurídica",
        "1-3, 4-60, 61+",
        "61 meses o más",
        "suman exactamente 100,0",
    ):
        assert expected in text


def test_tables_have_titles_and_total_rows(text: str) -> None:
    assert "Tabla 1. Usuarios activos por comuna" in text
    assert "Usuarios activos por uso" in text
    assert "Usuarios morosos y deuda por estrato" in text
    assert "TOTAL 67.325 100,0 %" in text


def test_offer_names_each_segment_with_its_days(text: str) -> None:
    assert "Prevención (0-30 días)" in text
    assert "Gestión jurídica (121+ días)" in text


def test_barrios_show_the_top_twenty_and_sum_the_rest(text: str) -> None:
    assert "Se muestran los 20 barrios con mayor deuda, de 25" in text
    assert "Otros 5 barrios" in text
    assert "Barrio 23" not in text  # the smallest debt


def test_markup_characters_in_a_cell_read_back_exactly(text: str) -> None:
    assert TRICKY_BARRIO in text
    assert "<sin catálogo> & revisar" in text


def test_reconciliation_says_whether_each_check_holds(text: str) -> None:
    assert text.count("No cuadra") == 1
    assert text.count("Cuadra") == 2  # case-sensitive: "No cuadra" is apart
    # A check off by centavos shows them, or it would read as equal.
    assert "$ 15.587.117.699,17 $ 15.587.117.699,67 $ 0,50" in text


def test_quality_items_are_listed(text: str) -> None:
    assert "duplicados_guia Cuentas repetidas en la guía 3" in text
    assert "cartera_sin_guia" in text and "$ 611.344" in text


def test_fonts_are_embedded_truetype(report_file: Path) -> None:
    _assert_fonts_embedded(report_file)


def _assert_fonts_embedded(path: Path) -> None:
    fonts = {}
    for page in PdfReader(path).pages:
        for name, ref in page["/Resources"]["/Font"].items():
            fonts[name] = ref.get_object()

    assert fonts
    for font in fonts.values():
        descriptor = _descriptor(font)
        assert descriptor is not None, font["/BaseFont"]
        assert "/FontFile2" in descriptor, font["/BaseFont"]


def _descriptor(font: Any) -> Any:
    if "/FontDescriptor" in font:
        return font["/FontDescriptor"].get_object()
    for child in font.get("/DescendantFonts", []):
        return _descriptor(child.get_object())
    return None


def test_missing_values_show_a_dash(tmp_path: Path, settings: Settings) -> None:
    month = _small_month()
    month.tablas["morosos_por_comuna"].filas[1][4] = None
    month.calidad = []
    path = tmp_path / "informe.pdf"

    write_report(month, path, settings, fecha_emision=ISSUED)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages).split())

    assert "2 401 $ 367.786.803 2,5 % —" in text
    assert "No se encontraron problemas en los datos." in text


def test_progress_and_log(
    tmp_path: Path, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    steps: list[tuple[float, str]] = []
    caplog.set_level(logging.INFO, logger="core.report_pdf")

    write_report(_small_month(), tmp_path / "informe.pdf", settings,
                 progress=lambda f, t: steps.append((f, t)))

    fractions = [f for f, _ in steps]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert any("páginas" in r.getMessage() for r in caplog.records)


def test_failed_report_leaves_the_old_file_untouched(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "informe.pdf"
    path.write_bytes(b"informe anterior")

    def broken_build(doc: Any, *_args: Any, **_kwargs: Any) -> None:
        Path(doc.filename).write_bytes(b"%PDF-1.4 a medias")
        raise OSError(28, "No queda espacio en el disco")

    monkeypatch.setattr(report_pdf.sections.ReportDocTemplate, "build", broken_build)
    with pytest.raises(ExportError):
        write_report(_small_month(), path, settings)

    assert path.read_bytes() == b"informe anterior"
    assert [p.name for p in tmp_path.iterdir()] == ["informe.pdf"]


def test_summary_without_morosos_shows_dashes(
    tmp_path: Path, settings: Settings
) -> None:
    month = _small_month()
    month.resumen = dataclasses.replace(
        month.resumen, usuarios_morosos=0, porcentaje_morosos=None,
        cartera_morosa=D(0), deuda_promedio=None,
    )
    path = tmp_path / "informe.pdf"

    write_report(month, path, settings, fecha_emision=ISSUED)

    text = " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages).split())
    assert "Deuda promedio por moroso —" in text


# --- the report's structure and texts -----------------------------------------


@pytest.fixture(scope="module")
def sample_report(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, MonthResult]:
    """The bundled sample month's report, as the command line writes it."""
    files = sample_month()
    sources = MonthSources(files["usuarios"], files["cartera"], files["encuesta"])
    month = process_month(sources)
    path = tmp_path_factory.mktemp("muestra") / "informe.pdf"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(report_pdf, "CHART_DPI", 40)
        write_report(month, path, load_settings(), fecha_emision=ISSUED)
    return path, month


@pytest.fixture(scope="module")
def sample_text(sample_report: tuple[Path, MonthResult]) -> str:
    pages = PdfReader(sample_report[0]).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


@pytest.mark.parametrize(
    "expected",
    ["67.325", "9.986", "$ 14.912.156.524", "14,8 %", "$ 1.493.306", "37,5 %",
     "89,8 %", "$ 585.620.103", "90,0 %", "97,0 %", "71,0 %", "58,3 %"],
)
def test_sample_report_shows_the_reference_figures(
    sample_text: str, expected: str
) -> None:
    assert expected in sample_text


@pytest.mark.parametrize("erratum", ["$ 1.495.700", "95,7 %", "0,004 %"])
def test_sample_report_has_none_of_the_errata(sample_text: str, erratum: str) -> None:
    assert erratum not in sample_text


def test_every_conclusion_is_written_as_computed(
    sample_report: tuple[Path, MonthResult], sample_text: str
) -> None:
    found = conclusions(sample_report[1])

    assert len(found) == 7
    for conclusion in found:
        assert conclusion.texto in sample_text


def test_sections_follow_the_reference_structure(
    sample_report: tuple[Path, MonthResult],
) -> None:
    pages = [
        " ".join(page.extract_text().split())
        for page in PdfReader(sample_report[0]).pages
    ]
    headings = [
        "1. Introducción", "2. Objetivos", "3. Alcance y fuentes", "4. Metodología",
        "5. Resultados por componente", "5.1. Componente geográfico",
        "5.2. Componente demográfico", "5.3. Componente intrínseco",
        "5.4. Componente de comportamiento", "6. Segmentación y oferta institucional",
        "7. Conclusiones", "8. Recomendaciones", "Anexo A. Conciliación",
        "Anexo B. Calidad de los datos", "Anexo C. Catálogos de códigos",
    ]

    assert pages[1].startswith("Contenido")
    body = " ".join(pages[2:])
    positions = [body.index(h) for h in headings]
    assert positions == sorted(positions)
    for heading in headings:
        assert heading in pages[1]  # listed in the table of contents


def test_results_hold_the_new_tables(sample_text: str) -> None:
    for title in (
        "Los 10 barrios con más usuarios morosos",
        "Los 10 barrios con mayor deuda morosa",
        "Indicadores de la encuesta por comuna",
        "Indicadores de la encuesta por estrato",
        "Consumo promedio y mediano (m³) por estrato",
    ):
        assert title in sample_text


def test_scope_names_the_files_rows_and_accounts(sample_text: str) -> None:
    assert "con fecha de corte" in sample_text
    assert "guia_usuarios_2025-07.xlsx" in sample_text
    assert "67.325 usuarios activos y 20.347 cuentas con saldo" in sample_text


def test_signatures_and_catalogs_close_the_report(sample_text: str) -> None:
    assert "Firmas Proyectó Revisó Aprobó" in sample_text
    for firma in load_settings().firmas:
        assert firma.nombre in sample_text and firma.cargo in sample_text
    assert "13 TEMPORAL" in sample_text and "31 ESPECIAL" in sample_text


def test_sample_report_embeds_its_fonts(
    sample_report: tuple[Path, MonthResult],
) -> None:
    _assert_fonts_embedded(sample_report[0])


def test_texts_signatories_and_logo_come_from_the_config(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    PILImage.new("RGB", (120, 60), "navy").save(logo)
    config = tmp_path / "ajustes.toml"
    config.write_text(
        f'[informe]\nlogo = "{logo.as_posix()}"\n'
        '[informe.firmas.aprobo]\nnombre = "Ana Pérez & Cía"\ncargo = "Gerente"\n'
        '[informe.textos]\nintroduccion = "Texto de <prueba> para el comité."\n'
        'recomendaciones = "- Primera recomendación.\\n- Segunda recomendación."\n',
        encoding="utf-8",
    )
    path = tmp_path / "informe.pdf"

    write_report(_small_month(), path, load_settings(config), fecha_emision=ISSUED)

    reader = PdfReader(path)
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Texto de <prueba> para el comité." in text
    assert "• Primera recomendación. • Segunda recomendación." in text
    assert "Ana Pérez & Cía" in text and "Gerente" in text
    assert "/XObject" in reader.pages[0]["/Resources"]


def test_long_names_wrap_inside_the_page(settings: Settings) -> None:
    month = _small_month()
    table = month.tablas["morosos_por_comuna"]
    table.filas[0][0] = "CORREGIMIENTO " + "EL LLANITO Y VEREDAS VECINAS " * 8
    report_pdf.register_fonts()
    styles = report_pdf._styles()

    block = report_pdf._table_block(table, 1, styles)

    flowables = [f for item in block for f in getattr(item, "_content", [item])]
    assert any(isinstance(f, report_pdf.LongTable) for f in flowables)
    for flowable in flowables:
        width, _height = flowable.wrap(report_pdf.CONTENT_WIDTH, 10_000)
        assert width <= report_pdf.CONTENT_WIDTH + 0.5


def test_top_barrios_rank_by_morosos_and_by_debt(
    reference_month: MonthResult,
) -> None:
    # Users are 600, 580, ... and the last barrio takes the remainder, 1.106;
    # debts fall by 30 millions from 950 millions, and the last barrio's
    # remainder ($ 392.156.518,06) ranks 20th.
    barrios = reference_month.tablas["morosos_por_barrio"]

    by_users = top_barrios(barrios, "barrios_mas_morosos")
    by_debt = top_barrios(barrios, "barrios_mas_deuda")

    assert [row[1] for row in by_users.filas[:3]] == [
        "Barrio 24", TRICKY_BARRIO, "La Tora",
    ]
    assert [row[2] for row in by_users.filas[:3]] == [1106, 600, 580]
    names = [TRICKY_BARRIO, "La Tora", "La Tora", "Ñapanga", "Galán Gómez"]
    assert [row[1] for row in by_debt.filas] == [
        *names, *(f"Barrio {i}" for i in range(5, 10)),
    ]
    assert by_debt.filas[0][4] == barrios.filas[0][4]  # share of the whole


def test_a_missing_logo_leaves_the_cover_without_one(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = tmp_path / "ajustes.toml"
    config.write_text('[informe]\nlogo = "no-existe.png"\n', encoding="utf-8")
    path = tmp_path / "informe.pdf"

    write_report(_small_month(), path, load_settings(config), fecha_emision=ISSUED)

    assert "/XObject" not in PdfReader(path).pages[0]["/Resources"]
    assert any("logo" in record.getMessage() for record in caplog.records)


# --- the Evolución section, from the tablero of small months -----------------------


@pytest.fixture(scope="module")
def evolution_report(
    tmp_path_factory: pytest.TempPathFactory, settings: Settings
) -> tuple[list[str], Dashboard]:
    """July's report with the tablero of July 2024, June and July 2025."""
    from tests.core.test_evolution import july, june, year_before

    folder = tmp_path_factory.mktemp("evolucion")
    with HistoryStore(folder / "h.sqlite") as store:
        for saved in (year_before(), june()):
            store.add_month(saved)
        month = july()
        tablero = build_dashboard(store, actual=month)
    path = folder / "informe.pdf"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(report_pdf, "CHART_DPI", 50)
        write_report(month, path, settings, fecha_emision=ISSUED, tablero=tablero)
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(path).pages]
    return pages, tablero


def test_evolution_comes_between_the_offer_and_the_conclusions(
    evolution_report: tuple[list[str], Dashboard],
) -> None:
    pages, _tablero = evolution_report
    headings = [
        "6. Segmentación y oferta institucional", "7. Evolución mensual",
        "7.1. Cifras principales frente a meses anteriores",
        "7.2. Tendencia de la morosidad",
        "7.3. Transiciones entre segmentos de atraso", "7.4. Tasas de rodamiento",
        "7.5. Recuperación de la cartera morosa",
        "7.6. Cohortes de nuevos morosos", "8. Conclusiones", "9. Recomendaciones",
    ]
    body = " ".join(pages[2:])
    positions = [body.index(h) for h in headings]
    assert positions == sorted(positions)
    for heading in headings:
        assert heading in pages[1]  # the table of contents
    assert "7. Conclusiones" not in " ".join(pages)


def test_evolution_shows_the_tables_with_their_figures(
    evolution_report: tuple[list[str], Dashboard],
) -> None:
    text = " ".join(evolution_report[0])
    for expected in (
        "Cifras principales de julio de 2025 frente a junio de 2025 y a julio de 2024",
        "Julio de 2025 Junio de 2025 Variación Variación %",
        "Cartera morosa $ 770.000 $ 950.000 -$ 180.000 -18,9 %",
        "Usuarios morosos 5 4 1 25,0 %",
        "Cartera morosa $ 770.000 $ 200.000 $ 570.000 285,0 %",
        "Tendencia mensual de la morosidad",
        "jul 2024 8 2 $ 200.000 25,0 %",
        "Cuentas por segmento: mes anterior (filas) y este mes (columnas)",
        "Tasas de rodamiento: cuentas que pasaron al segmento siguiente",
        "Recuperación de la deuda de los morosos del mes anterior, por comuna",
        "TOTAL 4 $ 950.000 $ 470.000 49,5 %",
        "Cohortes de nuevos morosos",
    ):
        assert expected in text


def test_evolution_sentences_are_written_as_computed(
    evolution_report: tuple[list[str], Dashboard],
) -> None:
    pages, tablero = evolution_report
    text = " ".join(pages).replace("\u00a0", " ")
    sentences = [
        comparacion_mes_anterior(tablero), comparacion_anual(tablero),
        evolucion_movimientos(tablero), evolucion_rodamiento(tablero),
        evolucion_recuperacion(tablero),
    ]
    for sentence in sentences:
        assert sentence is not None and sentence.texto in text
    conclusions_page = " ".join(p for p in pages if "8. Conclusiones" in p)
    assert ("2. Frente a junio de 2025, los morosos aumentaron en 1 (25,0 %) y la "
            "cartera morosa disminuyó en $ 180.000 (18,9 %)"
            ) in conclusions_page.replace("\u00a0", " ")


def test_a_tablero_of_another_month_is_refused(
    tmp_path: Path, settings: Settings, evolution_report: tuple[list[str], Dashboard]
) -> None:
    other = dataclasses.replace(_small_month(), periodo="2025-06")
    with pytest.raises(ValueError, match="2025-07"):
        write_report(other, tmp_path / "x.pdf", settings,
                     tablero=evolution_report[1])
    assert not (tmp_path / "x.pdf").exists()


def test_wide_tablero_tables_are_cut_by_whole_columns() -> None:
    comunas = [str(c) for c in range(1, 8)] + ["EL LLANITO"]
    table = ResultTable(
        id="tendencia_comunas_deuda", titulo="Cartera morosa por comuna, por mes",
        columnas=["periodo", *comunas], tipos=["texto", *["pesos"] * 8],
        filas=[["2025-07", *[D("3001262690.80")] * 8]],
    )
    parts = report_pdf._column_parts(table, report_pdf._styles())

    assert len(parts) >= 2
    assert all(part.columnas[0] == "periodo" for part in parts)
    assert [c for part in parts for c in part.columnas[1:]] == comunas
    sizes = [len(part.columnas) for part in parts]
    assert max(sizes) - min(sizes) <= 1  # as even as possible
    for part in parts:
        header = report_pdf._header(part, report_pdf._styles())
        widths = report_pdf._column_widths(part, header, fill=False)
        assert sum(widths) <= report_pdf.CONTENT_WIDTH
