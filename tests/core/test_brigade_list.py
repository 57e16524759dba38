"""The printed lists read back with pypdf: rows, masking, sums, every page.

The hand month (tests/core/test_debtor_lists.py) gives the exact figures;
a bigger made-up comuna spans several pages; the sample month's comuna 7
goes through the command line once.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from core.brigade_list import write_list_pdf
from core.cli import main
from core.debtor_lists import brigade_list, segment_list
from core.errors import NotPrintableError
from core.pipeline import compute_month
from core.resources import sample_month
from tests.core import frames
from tests.core.test_debtor_lists import TRICKY, hand_month

FOOTER = "Uso interno. Contiene datos personales (Ley 1581 de 2012)"
REFERENCE = json.loads(
    (Path(__file__).parents[1] / "data" / "referencia.json").read_text("utf-8")
)


def _pages(path: Path) -> list[str]:
    """Each page's text, with the line breaks of wrapped cells as spaces."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


@pytest.fixture(scope="module")
def month():
    return hand_month()


@pytest.fixture(scope="module")
def masked_pdf(month, tmp_path_factory):
    path = tmp_path_factory.mktemp("brigada") / "brigada.pdf"
    write_list_pdf(brigade_list(month, "7"), path, fecha_emision=dt.date(2025, 8, 4))
    return _pages(path)


@pytest.fixture(scope="module")
def complete_pdf(month, tmp_path_factory):
    path = tmp_path_factory.mktemp("brigada") / "completa.pdf"
    write_list_pdf(brigade_list(month, "7", completo=True), path)
    return " ".join(_pages(path))


def test_every_account_of_the_list_is_printed(masked_pdf):
    text = " ".join(masked_pdf)
    for cuenta in ("0000101", "0000102", "0000108", "0000103", "0000104",
                   "0000105"):
        assert cuenta in text
    assert "0000106" not in text  # comuna 3
    assert "0000107" not in text  # not moroso


def test_masked_list_never_holds_a_full_name(masked_pdf):
    text = " ".join(masked_pdf)
    for full in ("RODRÍGUEZ PEÑA MARÍA", TRICKY, "MUÑOZ ÁLVAREZ JOSÉ",
                 "CASTRO LUZ", "PÉREZ LUIS", "PEÑA", "MARÍA", "HIJOS"):
        assert full not in text
    for masked in ("RODRÍGUEZ P*** M***", "GÓMEZ & H*** <***", "MUÑOZ Á*** J***"):
        assert masked in text


def test_complete_list_prints_names_exactly(complete_pdf):
    for full in ("RODRÍGUEZ PEÑA MARÍA", TRICKY, "MUÑOZ ÁLVAREZ JOSÉ"):
        assert full in complete_pdf
    assert "Versión completa" in complete_pdf


def test_subtotals_and_total_are_the_sums_of_the_rows(masked_pdf):
    text = " ".join(masked_pdf)
    # Rows: La Tora 250.000 + 100.001 + 10.000; Ñapanga 1.000.000 + 50.000.
    assert "Subtotal La Tora: 3 cuentas $ 360.001" in text
    assert "Subtotal Ñapanga: 2 cuentas $ 1.050.000" in text
    assert "Subtotal SIN BARRIO: 1 cuenta $ 300.000" in text
    assert "Total comuna 7: 6 cuentas $ 1.710.001" in text
    for row in ("$ 250.000", "$ 100.001", "$ 10.000", "$ 1.000.000", "$ 50.000"):
        assert row in text


def test_rows_are_in_brigade_order(masked_pdf):
    text = " ".join(masked_pdf)
    positions = [text.index(c) for c in ("0000102", "0000101", "0000108",
                                         "0000103", "0000104", "0000105")]
    assert positions == sorted(positions)


def test_page_carries_list_facts_and_footer(masked_pdf):
    page = masked_pdf[0]
    assert "Lista de brigada · Comuna 7" in page
    assert "Periodo: julio de 2025" in page
    assert re.search(r"Lista BRG-2025-07-C7-[0-9A-F]{6}", page)
    assert "Versión enmascarada" in page
    assert "Emitida el 04/08/2025" in page
    assert FOOTER in page
    assert "Página 1 de 1" in page
    assert "Gestión jurídica (121+ días): Cobro jurídico selectivo" in page


# --- several pages ----------------------------------------------------------------


def _long_comuna(n: int = 75):
    """n morosos of comuna 5 in three barrios, with long names and addresses."""
    barrios = ["Los Álamos", "El Prado", "Villa Ñora"]
    guia, cartera = [], []
    for i in range(1, n + 1):
        cuenta = str(5000 + i)
        guia.append({
            "cuenta": cuenta, "cuenta_texto": cuenta.zfill(8), "estrato": "02",
            "comuna": "5", "barrio": barrios[i % 3],
            "nombre": f"APELLIDOLARGO{i} SEGUNDOAPELLIDO PRIMERNOMBRE SEGUNDONOMBRE",
            "direccion": f"CARRERA {i} # {i}-{i} BLOQUE {i} APARTAMENTO {i}0{i}",
        })
        cartera.append({"cuenta": cuenta, "deuda": 1000 * i + 0.5, "dias": 31 + i})
    return compute_month(frames.guia(guia), frames.cartera(cartera), periodo="2025-07")


@pytest.fixture(scope="module")
def long_month():
    return _long_comuna()


@pytest.mark.parametrize("papel", ["carta", "oficio"])
def test_multi_page_list_repeats_header_and_numbers_every_page(
    long_month, tmp_path, papel
):
    path = tmp_path / f"larga-{papel}.pdf"
    pages = write_list_pdf(brigade_list(long_month, "5"), path, papel=papel)
    texts = _pages(path)
    assert pages == len(texts) >= 3
    for number, text in enumerate(texts, start=1):
        assert "Matrícula Nombre Dirección Barrio" in text
        assert f"Página {number} de {pages}" in text
        assert "Lista de brigada · Comuna 5" in text
        assert "Fecha de corte" in text
        assert FOOTER in text
    every = " ".join(texts)
    for i in range(1, 76):
        assert str(5000 + i).zfill(8) in every


def test_paper_sizes_are_landscape(long_month, tmp_path):
    sizes = {}
    for papel in ("carta", "oficio"):
        path = tmp_path / f"{papel}.pdf"
        write_list_pdf(brigade_list(long_month, "5"), path, papel=papel)
        box = PdfReader(path).pages[0].mediabox
        sizes[papel] = (round(float(box.width)), round(float(box.height)))
    assert sizes == {"carta": (792, 612), "oficio": (935, 612)}


def test_long_texts_wrap_inside_their_cells(long_month, tmp_path):
    path = tmp_path / "completa.pdf"
    write_list_pdf(brigade_list(long_month, "5", completo=True), path)
    text = " ".join(_pages(path))
    assert "CARRERA 75 # 75-75 BLOQUE 75 APARTAMENTO 75075" in text
    assert "APELLIDOLARGO75 SEGUNDOAPELLIDO PRIMERNOMBRE SEGUNDONOMBRE" in text


def test_page_break_per_barrio(long_month, tmp_path):
    path = tmp_path / "saltos.pdf"
    write_list_pdf(brigade_list(long_month, "5"), path, salto_por_barrio=True)
    texts = _pages(path)
    starts = [i for i, t in enumerate(texts) if "· comuna 5 · 25 cuentas" in t]
    assert len(starts) == 3
    for i in starts[1:]:
        assert "Subtotal" in texts[i - 1]  # the barrio before ended on its page
        band = texts[i].index("· comuna 5 · 25 cuentas")
        assert "Subtotal" not in texts[i][:band]


def test_legal_list_prints_rank_share_and_alerts(month, tmp_path):
    path = tmp_path / "juridica.pdf"
    write_list_pdf(segment_list(month, "121+"), path)
    text = " ".join(_pages(path))
    assert "La primera cuenta (de 3) suma el 74,1 %" in text
    assert "Riesgo de prescripción" in text
    assert "Oficial: no suspender sin revisión" in text
    assert "% acumulado" in text
    assert "Total: 3 cuentas $ 1.350.000" in text


def test_prevention_list_is_never_printed(month, tmp_path):
    path = tmp_path / "prevencion.pdf"
    with pytest.raises(NotPrintableError):
        write_list_pdf(segment_list(month, "0-30"), path)
    assert not path.exists()


# --- the sample month through the command line ----------------------------------


@pytest.fixture(scope="module")
def sample_comuna_7(tmp_path_factory):
    """Comuna 7's brigade list of the sample month, as PDF pages and Excel rows."""
    folder = tmp_path_factory.mktemp("muestra")
    files = sample_month()
    pdf, excel = folder / "brigada-c7.pdf", folder / "brigada-c7.xlsx"
    status = main([
        "brigada", "--usuarios", str(files["usuarios"]),
        "--cartera", str(files["cartera"]), "--comuna", "7", "--pdf", str(pdf),
        "--excel", str(excel),
    ])
    assert status == 0
    sheet = load_workbook(excel, read_only=True)["Lista"]
    column = [row[0] if row else None for row in sheet.iter_rows(values_only=True)]
    start = column.index("Matrícula") + 1
    accounts = column[start:column.index(None, start)]
    return _pages(pdf), accounts


def test_sample_comuna_7_total_matches_the_reference(sample_comuna_7):
    pages, _ = sample_comuna_7
    count, debt = REFERENCE["morosos_por_comuna"]["7"]
    assert count == 2326
    shown = f"$ {int(debt.split('.')[0]):,}".replace(",", ".")  # $ 2.802.172.516
    assert f"Total comuna 7: 2.326 cuentas {shown}" in pages[-1]


def test_sample_comuna_7_prints_each_moroso_on_numbered_pages(sample_comuna_7):
    pages, accounts = sample_comuna_7
    assert len(accounts) == len(set(accounts)) == 2326
    words: set[str] = set()
    for number, text in enumerate(pages, start=1):
        assert f"Página {number} de {len(pages)}" in text
        assert "Matrícula Nombre Dirección Barrio" in text
        words.update(text.split())
    assert set(accounts) <= words
