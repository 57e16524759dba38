"""Shared fixtures of the core tests: a month's result built by hand, and the
bundled sample's six months read once per session."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from pathlib import Path

import pandas as pd
import pytest

from core.formatting import largest_remainder
from core.model import Check, LoadedFile, MonthResult, QualityItem, Summary, Table
from tests.core.sample_months import SampleHistory, read_sample_history

# A barrio name that is markup to reportlab and must read back as written.
TRICKY_BARRIO = "Barrio A & B <Norte>"

USERS = ["texto", "texto", "conteo", "porcentaje"]
DEBT = ["texto", "texto", "conteo", "pesos", "porcentaje"]


def _users_table(id_: str, titulo: str, rows: list[list[object]]) -> Table:
    return Table(
        id=id_,
        titulo=titulo,
        columnas=["codigo", "descripcion", "usuarios", "porcentaje"],
        tipos=list(USERS),
        filas=rows,
        total=["TOTAL", "", 67325, D("100.0")],
    )


def _debt_table(id_: str, titulo: str, rows: list[list[object]]) -> Table:
    return Table(
        id=id_,
        titulo=titulo,
        columnas=["codigo", "descripcion", "usuarios", "deuda", "porcentaje_deuda"],
        tipos=list(DEBT),
        filas=rows,
        total=["TOTAL", "", 9986, D("14912156524.06"), D("100.0")],
    )


def _reference_tables() -> dict[str, Table]:
    """The July 2025 reference report's tables (tablas-referencia.json)."""
    uso = _users_table("usuarios_por_uso", "Usuarios activos por uso", [
        ["01", "RESIDENCIAL", 63155, D("93.8")],
        ["03", "COMERCIAL", 3716, D("5.5")],
        ["08", "OFICIAL", 454, D("0.7")],
    ])
    estrato = _users_table("usuarios_por_estrato", "Usuarios activos por estrato", [
        ["01", "BAJO-BAJO", 25235, D("37.5")],
        ["02", "BAJO", 19916, D("29.6")],
        ["03", "MEDIO-BAJO", 8066, D("12.0")],
        ["04", "MEDIO", 9331, D("13.9")],
        ["05", "MEDIO-ALTO", 607, D("0.9")],
        ["10", "ALMACEN-LOCAL-TIENDA", 3447, D("5.1")],
        ["11", "OTROS COMERCIALES", 210, D("0.3")],
        ["12", "LAVADERO-ESTACION DE SERVICIO", 59, D("0.1")],
        ["90", "OFICIAL", 232, D("0.3")],
        ["91", "OFICIAL", 222, D("0.3")],
    ])
    morosos_estrato = _debt_table(
        "morosos_por_estrato", "Usuarios morosos y deuda por estrato", [
            ["01", "BAJO-BAJO", 7347, D("13393549503.29"), D("89.8")],
            ["02", "BAJO", 1490, D("574777480.80"), D("3.9")],
            ["03", "MEDIO-BAJO", 311, D("77923431.00"), D("0.5")],
            ["04", "MEDIO", 349, D("196618329.00"), D("1.3")],
            ["05", "MEDIO-ALTO", 14, D("34309268.00"), D("0.2")],
            ["09", "TEMPORAL", 1, D("611344.00"), D("0.0")],
            ["10", "ALMACEN-LOCAL-TIENDA", 396, D("503803783.98"), D("3.4")],
            ["11", "OTROS COMERCIALES", 20, D("59289023.00"), D("0.4")],
            ["12", "LAVADERO-ESTACION DE SERVICIO", 11, D("22527296.00"), D("0.2")],
            ["90", "OFICIAL", 2, D("437876.00"), D("0.0")],
            ["91", "OFICIAL", 45, D("48309189.00"), D("0.3")],
        ],
    )
    morosos_uso = _debt_table("morosos_por_uso", "Usuarios morosos y deuda por uso", [
        ["01", "RESIDENCIAL", 9511, D("14277178012.09"), D("95.8")],
        ["03", "COMERCIAL", 427, D("585620102.98"), D("3.9")],
        ["08", "OFICIAL", 47, D("48747065.00"), D("0.3")],
        ["13", "TEMPORAL", 1, D("611344.00"), D("0.0")],
    ])
    return {
        t.id: t for t in (uso, estrato, morosos_estrato, morosos_uso)
    }


def _comuna_tables() -> dict[str, Table]:
    # Morosos and debt are the reference report's; users per comuna are not
    # published there and are made up (they add up to 67.325).
    comunas = [
        ("1", 10250, D("15.2"), 1232, D("1933660500.74"), D("13.0"), D("12.0")),
        ("2", 6230, D("9.2"), 401, D("367786803.00"), D("2.5"), D("6.4")),
        ("3", 12105, D("18.0"), 2053, D("3001262690.80"), D("20.1"), D("17.0")),
        ("4", 9870, D("14.7"), 1213, D("1680338625.38"), D("11.3"), D("12.3")),
        ("5", 9640, D("14.3"), 1394, D("2359554362.30"), D("15.8"), D("14.5")),
        ("6", 8930, D("13.3"), 1367, D("2767381025.45"), D("18.5"), D("15.3")),
        ("7", 10300, D("15.3"), 2326, D("2802172516.38"), D("18.8"), D("22.6")),
    ]
    users = Table(
        id="usuarios_por_comuna",
        titulo="Usuarios activos por comuna",
        columnas=["comuna", "usuarios", "porcentaje"],
        tipos=["texto", "conteo", "porcentaje"],
        filas=[[c[0], c[1], c[2]] for c in comunas],
        total=["TOTAL", 67325, D("100.0")],
    )
    morosos = Table(
        id="morosos_por_comuna",
        titulo="Usuarios morosos, deuda y tasa de morosidad por comuna",
        columnas=["comuna", "usuarios", "deuda", "porcentaje_deuda", "tasa_morosidad"],
        tipos=["texto", "conteo", "pesos", "porcentaje", "porcentaje"],
        filas=[[c[0], c[3], c[4], c[5], c[6]] for c in comunas],
        total=["TOTAL", 9986, D("14912156524.06"), D("100.0"), D("14.8")],
        nota="Tasa de morosidad: morosos de la comuna / usuarios activos de la comuna.",
    )
    return {users.id: users, morosos.id: morosos}


def _barrio_table() -> Table:
    """25 made-up barrios (two «La Tora», one with markup characters)."""
    names = [TRICKY_BARRIO, "La Tora", "La Tora", "Ñapanga", "Galán Gómez"]
    names += [f"Barrio {i}" for i in range(5, 25)]
    comunas = ["3", "3", "5", "7", "2"] + [str(1 + i % 7) for i in range(5, 25)]
    users = [600 - 20 * i for i in range(25)]
    debts = [D(950_000_000 - 30_000_000 * i) + D("0.25") for i in range(24)]
    debts.append(D("14912156524.06") - sum(debts))
    users[-1] = 9986 - sum(users[:-1])
    shares = largest_remainder(debts)
    rows = [
        [c, n, u, d, s] for c, n, u, d, s in zip(comunas, names, users, debts, shares)
    ]
    return Table(
        id="morosos_por_barrio",
        titulo="Usuarios morosos y deuda por barrio",
        columnas=["comuna", "barrio", "usuarios", "deuda", "porcentaje_deuda"],
        tipos=["texto", "texto", "conteo", "pesos", "porcentaje"],
        filas=rows,
        total=["TOTAL", "", 9986, D("14912156524.06"), D("100.0")],
    )


def _age_tables() -> dict[str, Table]:
    # Edades: the reference report's; the 61+ row carries the centavos the
    # report rounded away. Segments: 0-30 is the reference; the split of the
    # morosos among 31-60, 61-120 and 121+ is made up (it adds up).
    edades = Table(
        id="cartera_por_edades",
        titulo="Cartera morosa por edad (meses)",
        columnas=["edad", "usuarios", "deuda", "porcentaje_deuda"],
        tipos=["texto", "conteo", "pesos", "porcentaje"],
        filas=[
            ["1-3", 2266, D("220442640.00"), D("1.5")],
            ["4-60", 3967, D("3280372420.00"), D("22.0")],
            ["61+", 3753, D("11411341464.06"), D("76.5")],
        ],
        total=["TOTAL", 9986, D("14912156524.06"), D("100.0")],
    )
    segmentos = Table(
        id="segmentos_por_atraso",
        titulo="Cuentas con saldo por segmento de atraso (días)",
        columnas=["segmento", "usuarios", "deuda", "porcentaje_deuda"],
        tipos=["texto", "conteo", "pesos", "porcentaje"],
        filas=[
            ["0-30", 10361, D("676195743.00"), D("4.3")],
            ["31-60", 1200, D("98000000.00"), D("0.6")],
            ["61-120", 1066, D("122442640.00"), D("0.8")],
            ["121+", 7720, D("14691713884.06"), D("94.3")],
        ],
        total=["TOTAL", 20347, D("15588352267.06"), D("100.0")],
        nota="Todas las cuentas con deuda mayor que cero.",
    )
    return {edades.id: edades, segmentos.id: segmentos}


def _survey_table() -> Table:
    return Table(
        id="encuesta",
        titulo="Indicadores de la encuesta de percepción",
        columnas=["indicador", "respuestas", "porcentaje", "margen_error"],
        tipos=["texto", "conteo", "porcentaje", "decimal"],
        filas=[
            ["Satisfacción general", 384, D("90.0"), D("3.0")],
            ["Cordialidad y amabilidad en la atención", 384, D("97.0"), D("1.7")],
            ["Insatisfacción con el mantenimiento del alcantarillado", 380,
             D("71.0"), D("4.6")],
            ["No conoce o no usa los canales de pago electrónico", 384,
             D("58.3"), D("4.9")],
        ],
        nota="Margen de error en puntos porcentuales, al 95 % de confianza.",
    )


def _checks() -> list[Check]:
    morosa = D("14912156524.06")
    return [
        Check("La suma de «Usuarios morosos y deuda por estrato» es la cartera "
              "morosa", morosa, morosa),
        Check("La suma de los segmentos de atraso es la cartera con saldo",
              D("15588352267.06"), D("15588352267.06")),
        Check("El total neto de las líneas es el «TOTAL GENERAL» del archivo",
              D("15587117699.17"), D("15587117699.67")),
    ]


def _quality() -> list[QualityItem]:
    return [
        QualityItem("duplicados_guia", "Cuentas repetidas en la guía", 3),
        QualityItem("cartera_sin_guia", "Cuentas de la cartera que no están en "
                    "la guía", 1, D("611344.00")),
        QualityItem("saldo_a_favor", "Cuentas con saldo a favor", 12,
                    D("1234567.89")),
        QualityItem("codigo_desconocido", "Estrato «77» sin descripción (<sin "
                    "catálogo> & revisar)", 2),
    ]


def _sources() -> list[LoadedFile]:
    files = [
        ("usuarios", "guia_usuarios_2025-07.xlsx", "GUIA", 67328),
        ("cartera", "cartera_2025-07.xlsx", "CARTERA", 20412),
    ]
    return [
        LoadedFile(
            role=role,  # type: ignore[arg-type]
            path=Path(name),
            sheet=sheet,
            header_row=6,
            frame=pd.DataFrame(),
            rows_read=rows,
        )
        for role, name, sheet, rows in files
    ]


def build_offer_table() -> Table:
    """The segments of the fixture month with the default institutional offer."""
    return Table(
        id="oferta_institucional",
        titulo="Segmentos y oferta institucional",
        columnas=["segmento", "nombre", "necesidad", "oferta", "herramienta",
                  "usuarios", "deuda", "porcentaje_deuda"],
        tipos=["texto"] * 5 + ["conteo", "pesos", "porcentaje"],
        filas=[
            ["0-30", "Prevención", "Incentivo", "Recordatorios", "Fidelización",
             10361, D("676195743.00"), D("4.3")],
            ["31-60", "Normalización", "Flexibilidad", "Convenios", "Trámites",
             1200, D("98000000.00"), D("0.6")],
            ["61-120", "Recuperación", "Acompañamiento", "Brigadas", "Campo",
             1066, D("122442640.00"), D("0.8")],
            ["121+", "Gestión jurídica", "Control", "Cobro", "Trazabilidad",
             7720, D("14691713884.06"), D("94.3")],
        ],
    )


@pytest.fixture
def reference_month() -> MonthResult:
    """July 2025 as the office's reference report gives it, built by hand."""
    return build_reference_month()


def build_reference_month() -> MonthResult:
    """Return a fresh July 2025 result (for module-scoped fixtures too)."""
    tables = {
        **_reference_tables(),
        **_comuna_tables(),
        "morosos_por_barrio": _barrio_table(),
        **_age_tables(),
        "encuesta": _survey_table(),
    }
    summary = Summary(
        usuarios_activos=67325,
        usuarios_morosos=9986,
        porcentaje_morosos=D("14.8"),
        cartera_morosa=D("14912156524.06"),
        deuda_promedio=D("1493306.28"),
        cuentas_con_saldo=20347,
        cartera_total=D("15588352267.06"),
        saldo_a_favor=D("1234567.89"),
    )
    return MonthResult(
        periodo="2025-07",
        fecha_corte=dt.date(2025, 7, 31),
        fuentes=_sources(),
        resumen=summary,
        tablas=tables,
        calidad=_quality(),
        conciliacion=_checks(),
        cuentas=pd.DataFrame(),
        reglas={
            "estados_inactivos": ["ANULADO", "CANCELADO", "INACTIVO", "RETIRADO"],
            "dias_moroso": 31,
            "segmentos_dias": [30, 60, 120],
            "edades_meses": [3, 60],
            "meses_prescripcion": 61,
        },
    )


@pytest.fixture(scope="session")
def sample_history(tmp_path_factory: pytest.TempPathFactory) -> SampleHistory:
    """The sample's six months (2025-02 to 2025-07), processed once, in a history."""
    return read_sample_history(tmp_path_factory.mktemp("historial") / "hist.sqlite")
