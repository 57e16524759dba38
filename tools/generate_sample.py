"""Generate the bundled sample: July 2025 and the five months before it.

Every name, document, address and phone number is invented. Read under the
product's rules (DESIGN.md section 3) July's three files (guía de usuarios,
cartera and encuesta) reproduce the July 2025 reference report: every count
exactly, the cartera morosa to the centavo, and each table's amounts within
six centavos (the report's own tables disagree by that much). Layout and
messiness follow the sample spec: title rows, a two-row header repeated
every 60 lines, subtotal rows, codes with and without leading zeros,
amounts as Colombian text, accounts split over several lines.

February to June 2025 (a guía and a cartera each; the survey is annual) are
derived from July's accounts by sample_history.py, with the same layout and
messiness and their own period and cutoff in the title rows. They use random
generators of their own, so July's files do not change.

The random seeds are fixed and the zip entries carry fixed timestamps, so
every run writes byte-identical files.

Usage: python tools/generate_sample.py resources/sample [--procesos N]
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import io
import itertools
import logging
import math
import multiprocessing
import multiprocessing.connection
import os
import re
import sys
import time
import unicodedata
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

if __package__:  # imported as tools.generate_sample (the benchmark does)
    from tools import sample_history as history
else:  # run as a script: tools/ is on sys.path
    import sample_history as history

logger = logging.getLogger(__name__)

SEED = 20250731
CUTOFF = dt.date(2025, 7, 31)
COMPANY = "AGUAS DE BARRANCABERMEJA S.A. E.S.P."
GUIA_FILE = "guia_usuarios_2025-07.xlsx"
CARTERA_FILE = "cartera_2025-07.xlsx"
ENCUESTA_FILE = "encuesta_2025.xlsx"
# The commercial system exports a month four days after its cutoff.
EXPORT_DELAY = dt.timedelta(days=4, hours=7, minutes=45, seconds=12)

# --- Reference figures -------------------------------------------------------

ESTRATOS = ("01", "02", "03", "04", "05", "10", "11", "12", "90", "91")
COMUNAS = (1, 2, 3, 4, 5, 6, 7)

# Active users by comuna (rows) and estrato (columns, in ESTRATOS order).
USERS = {
    1: (2538, 2975, 1336, 1574, 78, 1150, 79, 21, 73, 76),
    2: (387, 1135, 2040, 3433, 237, 293, 30, 5, 21, 19),
    3: (5455, 4144, 1064, 671, 18, 458, 19, 8, 33, 30),
    4: (3126, 2544, 1372, 2540, 239, 394, 24, 7, 28, 26),
    5: (3775, 3226, 1243, 418, 14, 446, 22, 6, 26, 24),
    6: (3802, 2888, 741, 468, 13, 319, 20, 5, 23, 21),
    7: (6152, 3004, 270, 227, 8, 387, 16, 7, 28, 26),
}
# Morosos in the guía by comuna and estrato; the orphan (estrato 09) is apart.
MOROSOS = {
    1: (728, 223, 54, 63, 2, 133, 8, 4, 1, 16),
    2: (96, 74, 72, 119, 5, 29, 2, 1, 0, 3),
    3: (1599, 318, 44, 28, 1, 54, 2, 1, 0, 6),
    4: (832, 177, 52, 95, 6, 42, 2, 1, 0, 5),
    5: (1039, 232, 48, 16, 0, 50, 2, 1, 1, 5),
    6: (1064, 212, 29, 18, 0, 37, 2, 1, 0, 4),
    7: (1989, 254, 12, 10, 0, 51, 2, 2, 0, 6),
}
TOTAL_USERS = 67_325
TOTAL_CENTAVOS = 1_491_215_652_406

# Debt of the morosos in centavos. The report's tables add up to ...,07
# (estrato), ...,05 (comuna) and ...,00 (edad) against a total of ...,06, so
# one figure of each table moves by at most six centavos to hit the total.
ESTRATO_CENTAVOS = {
    "01": 1_339_354_950_328,  # report: ...503,29
    "02": 57_477_748_080,
    "03": 7_792_343_100,
    "04": 19_661_832_900,
    "05": 3_430_926_800,
    "09": 61_134_400,
    "10": 50_380_378_398,
    "11": 5_928_902_300,
    "12": 2_252_729_600,
    "90": 43_787_600,
    "91": 4_830_918_900,
}
COMUNA_CENTAVOS = {
    1: 193_366_050_074,
    2: 36_778_680_300,
    3: 300_126_269_080,
    4: 168_033_862_538,
    5: 235_955_436_230,
    6: 276_738_102_545,
    7: 280_217_251_639,  # report: ...516,38
}
EDADES = ("1-3", "4-60", "61+")
EDAD_COUNTS = (2266, 3967, 3753)
EDAD_CENTAVOS = (22_044_264_000, 328_037_242_000, 1_141_134_146_406)

CURRENT_ACCOUNTS = 10_361
CURRENT_PESOS = 676_195_743
SALDO_A_FAVOR_ACCOUNTS = 60
DUPLICATE_ROWS = 3
SUSPENDED_SHARE = 0.07
MAX_DEBT_PESOS = 100_000_000


@dataclass(frozen=True)
class Orphan:
    """The one moroso in the cartera that is not in the guía."""

    estrato: str = "09"
    uso: str = "13"
    comuna: int = 4
    estado: str = "RETIRADO"
    pesos: int = 611_344
    dias: int = 522
    barrio: str = "LOS PINOS"


ORPHAN = Orphan()

# --- Catalogs ----------------------------------------------------------------

USO_BY_ESTRATO = {
    **dict.fromkeys(("01", "02", "03", "04", "05"), "01"),
    **dict.fromkeys(("10", "11", "12"), "03"),
    **dict.fromkeys(("90", "91"), "08"),
    "09": "13",
}
USO_DESC = {"01": "RESIDENCIAL", "03": "COMERCIAL", "08": "OFICIAL", "13": "TEMPORAL"}
ESTRATO_DESC = {
    "01": "BAJO-BAJO",
    "02": "BAJO",
    "03": "MEDIO-BAJO",
    "04": "MEDIO",
    "05": "MEDIO-ALTO",
    "09": "TEMPORAL",
    "10": "ALMACEN-LOCAL-TIENDA",
    "11": "COMERCIAL - OFICINAS/SERVICIOS",
    "12": "LAVADERO-ESTACION DE SERVICIO",
    "90": "OFICIAL",
    "91": "OFICIAL",
}
# Average consumption (m3 a month) and tariff (pesos per m3, plus a fixed
# charge) by estrato: enough to make bills and debts look alike.
CONSUMPTION_M3 = {
    "01": 13,
    "02": 16,
    "03": 19,
    "04": 23,
    "05": 28,
    "09": 20,
    "10": 32,
    "11": 45,
    "12": 140,
    "90": 95,
    "91": 70,
}
TARIFF_PER_M3 = {
    "01": 1350,
    "02": 1700,
    "03": 2500,
    "04": 2900,
    "05": 4200,
    "09": 3500,
    "10": 3900,
    "11": 3900,
    "12": 3900,
    "90": 2900,
    "91": 2900,
}
FIXED_CHARGE = {"01": 5200, "02": 6500, "03": 9800, "04": 11_000, "05": 15_500}

# --- Barrios -----------------------------------------------------------------

BARRIOS_TEXT = {
    1: "Arenal; Buenos Aires; Buenos Aires II; Cardales; Colombia; David Núñez "
    "Cala; El Cruce; El Dorado; El Recreo; Gonzalo Jiménez de Quesada; Invasión "
    "San Luis; Isla del Zapato; La Campana; La Victoria; La Victoria II; Las "
    "Margaritas; Las Playas; Palmira; San Francisco; Sector Comercial y Muelle; "
    "Tres Unidos; Urb. Nuevo Palmira",
    2: "Aguas Claras; Ciudad Bolívar; Galán Gómez; Olaya Herrera; Parnaso; "
    "Pueblo Nuevo; Torcoroma; Uribe Uribe; Villa Luz",
    3: "Algarrobos; Alto de los Ángeles; Altos de la Virgen J.V.C.; Altos del "
    "Rosario; Asent. Caminos de San Silvestre; Belén; Brisas del 20 de Enero; "
    "Campo Hermoso; Ciudadela Pipatón; Colinas del Norte; Colinas del Sur "
    "J.V.C.; Cortijillo; Cristo Rey; Eduardo Rolón (Coviba); Internacional; 22 "
    "de Marzo; Jerusalén; Jorge Eliécer Gaitán; La Castellana; La Floresta; La "
    "Gran Vía; La Libertad; La Paz; La Paz II; Los Ficus J.V.C.; Luis Eleazar; "
    "Novalito J.V.C.; Primero de Abril J.V.C.; San Judas Tadeo; Santa Isabel; "
    "Urb. Brisas de la Libertad; Urb. Miradores del Cacique; Veinte de Enero; "
    "Villa María Irida; Villa Nueva; Villas de Santa Isabel J.V.C.; La Tora; "
    "Las Camelias",
    4: "Altos del Cincuentenario; Altos del Cañaveral; Antonia Santos; "
    "Autoconstrucción VII Etapa Cincuentenario; Bellavista; Bosques de la Cira; "
    "Bosques de la Cira II; Buenavista; Buenavista II; Cincuentenario; "
    "Cincuentenario VI Etapa Sector El Madrigal; Ciudadela del Cincuentenario; "
    "El Bosque; El Castillo; El Palmar; El Refugio; J.V.C. Asent. Nuevo Milenio "
    "Sur; J.V.C. Villa del Cincuentenario; José Antonio Galán; La Liga; La "
    "Península; Las Brisas; Las Nieves; Limonar; Los Almendros; Los Lagos; Los "
    "Naranjos; J.V.C. Los Nogales; Los Pinos; Marsella; J.V.C. Miradores de la "
    "Ceiba; Prados del Cincuentenario; Planada del Cerro; Santa Bárbara; "
    "Tamarindos Club; J.V.C. Urbanización 2000; J.V.C. Urb. Villa Sandra; Villa "
    "de Leyva; J.V.C. Villa Olímpica; Villa Rosa; Yarima; Los Mandarinos",
    5: "Alcázar; Asent. Colinas del Seminario; Asent. La Nueva Esperanza; "
    "Asent. Las Torres; Asent. Nuevo Milenio; Barrancabermeja; Campo Alegre; "
    "Chapinero; Chapinero II; El Chicó; El Porvenir; El Triunfo; J.V.C. "
    "Ramaral; J.V.C. Tierradentro II; La Candelaria; La Esperanza; La "
    "Independencia; Las Mercedes; La Tora; Las Américas; Las Camelias; Las "
    "Malvinas Bajas; Los Rosales; Malvinas Alta; Primero de Mayo; San Pedro "
    "Claver; San José de Provivienda; San José Obrero; Santa Ana; Santander; "
    "Simón Bolívar; Tierra Adentro; Urb. Los Lagos; Versalles; Villa Rosita",
    6: "Antonio Nariño; Benjamín Herrera; Boston; Brisas de San Martín; Brisas "
    "de Versalles J.V.C.; Brisas del Oriente; Corintos; Danubio; J.V.C. Veinte "
    "de Agosto; Kennedy; Las Granjas; Los Álamos; Los Comuneros; Oro Negro; "
    "Puerta del Sol; Rafael Rangel; San Pedro; Urb. Las Granjas; Veinte de "
    "Agosto; Veinte de Julio; Villa del Coral; Villa Fauda; J.V.C. Los Reyes; "
    "J.V.C. 6 de Enero",
    7: "16 de Marzo; 9 de Abril; Altos del Campestre; Asent. Las Palmas; "
    "Asent. Villa Aura; Campestre; Colinas del Campestre; Divino Niño; El "
    "Campín; El Paraíso; Las Flores; Los Fundadores; María Eugenia; Minas del "
    "Paraíso; Urb. Minas del Paraíso VI Etapa; Nuevo Horizonte; Pablo Acuña; "
    "Prados del Campestre; Urb. Los Corales; Vereda La Independencia; "
    "Villarelis Uno; Villarelis Dos; Villarelis Tres",
}
BARRIOS = {c: tuple(t.split("; ")) for c, t in BARRIOS_TEXT.items()}
INFORMAL_MARKS = ("Asent.", "J.V.C.", "Invasión")
HIGH_ESTRATO_ANCHORS = {
    2: ("Parnaso", "Galán Gómez", "Uribe Uribe"),
    4: ("El Castillo", "Bosques de la Cira", "Tamarindos Club", "Villa Rosa"),
}
COMMERCIAL_ANCHORS = {1: ("Sector Comercial y Muelle", "Colombia", "Buenos Aires")}
CICLOS = {
    1: (1, 2, 3),
    2: (4, 5),
    3: (6, 7, 8),
    4: (9, 10, 11),
    5: (12, 13, 14),
    6: (15, 16, 17),
    7: (18, 19, 20),
}

# --- People ------------------------------------------------------------------

FIRST_NAMES_TEXT = (
    "MARIA LUZ ANA CARMEN ROSA MARTHA GLORIA SANDRA CLAUDIA BLANCA DIANA "
    "YOLANDA OLGA NANCY ELIZABETH ANGELA PATRICIA ADRIANA MARLENY LEIDY "
    "YURLEY DANIELA VALENTINA ALEJANDRA PAOLA MILENA ESPERANZA STELLA LUCIA "
    "NUBIA EDILMA JUAN JOSE LUIS CARLOS JORGE JAIME PEDRO MIGUEL ALVARO "
    "HERNANDO EDGAR OSCAR WILLIAM JAVIER FABIO RAFAEL RICARDO JHON FREDY "
    "ANDRES DIEGO CAMILO YEISON JESUS ALBERTO ENRIQUE ORLANDO GUSTAVO RUBEN "
    "ELKIN WILSON NELSON HUGO"
)
SURNAMES_TEXT = (
    "RODRIGUEZ GOMEZ GONZALEZ MARTINEZ GARCIA LOPEZ HERNANDEZ SANCHEZ RAMIREZ "
    "PEREZ DIAZ MUÑOZ ROJAS MORENO JIMENEZ VARGAS CASTRO ORTIZ RUBIO SUAREZ "
    "TORRES RAMOS FLOREZ ACOSTA BENAVIDES CARDENAS ARIAS MEDINA OSORIO "
    "QUINTERO PINEDA PATIÑO NIÑO BARRERA DUARTE SERRANO ARDILA PINZON BLANCO "
    "CALA REY MANTILLA BAUTISTA NAVARRO VILLAMIZAR DELGADO LEON CARREÑO PEÑA "
    "ORDUZ AMAYA IBAÑEZ BRICEÑO CASTAÑEDA NUÑEZ ORDOÑEZ CABALLERO PORRAS "
    "SOLANO MEJIA ARANGO GALVIS SALAZAR CONTRERAS"
)
FIRST_NAMES = tuple(FIRST_NAMES_TEXT.split())
SURNAMES = tuple(SURNAMES_TEXT.split())
BUSINESS_WORDS = (
    "EL PUERTO",
    "LA SIRENA",
    "DEL MAGDALENA",
    "EL PETROLERO",
    "SAN SILVESTRE",
    "LA CIENAGA",
    "DEL RIO",
    "LOS ANDES",
    "SANTANDER",
    "LA 50",
    "EL CENTRO",
    "LA ESQUINA",
    "DON PEPE",
    "LA ECONOMIA",
    "EL TRIUNFO",
    "LA REFINERIA",
    "EL MUELLE",
    "SAN ROQUE",
    "LA BENDICION",
    "DOÑA ROSA",
    "LA FE",
)
BUSINESS_KINDS = (
    "INVERSIONES {w} S.A.S.",
    "COMERCIALIZADORA {w} LTDA",
    "{s} & CIA S.A.S.",
    "DISTRIBUCIONES {w} S.A.S.",
    "FERRETERIA {w}",
    "DROGUERIA {w}",
    "SUPERMERCADO {w}",
    "PANADERIA {w}",
    "RESTAURANTE {w}",
    "HOTEL {w}",
    "MISCELANEA {w}",
    "{s} {s2} & ASOCIADOS",
)
CARWASH_KINDS = (
    "LAVADERO {w}",
    "ESTACION DE SERVICIO {w} S.A.S.",
    "SERVITECA {w}",
    "LAVAUTOS {w}",
)
OFFICIAL_KINDS = (
    "INSTITUCION EDUCATIVA {b}",
    "SEDE EDUCATIVA {b}",
    "PUESTO DE SALUD {b}",
    "INSPECCION DE POLICIA COMUNA {c}",
    "SALON COMUNAL {b}",
    "CENTRO DE DESARROLLO INFANTIL {b}",
    "BIBLIOTECA PUBLICA {b}",
    "POLIDEPORTIVO {b}",
    "SEDE ADMINISTRATIVA DISTRITAL COMUNA {c}",
)
EMAIL_DOMAINS = ("gmail.com", "hotmail.com", "yahoo.es", "outlook.com", "hotmail.es")
STREET_KINDS = ("CL", "CLL", "CALLE", "CR", "KR", "CRA", "CARRERA", "DG", "TV", "AV")
STREET_CUMULATIVE = (0.22, 0.3, 0.36, 0.56, 0.64, 0.72, 0.76, 0.86, 0.96)
MOBILE_PREFIXES = (
    "300",
    "301",
    "302",
    "304",
    "310",
    "311",
    "312",
    "313",
    "314",
    "315",
    "316",
    "317",
    "318",
    "320",
    "321",
    "322",
    "323",
    "350",
)
NIT_WEIGHTS = (3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71)

# --- File layouts ------------------------------------------------------------

GUIA_HEADERS = (
    "MATRICULA",
    "CICLO",
    "RUTA",
    "CONSEC.",
    "COD. CATASTRAL",
    "NOMBRE DEL SUSCRIPTOR",
    "TIPO ID",
    "IDENTIFICACION",
    "DIRECCION",
    "BARRIO",
    "COMUNA",
    "USO",
    "DESC. USO",
    "ESTRATO",
    "DESC. ESTRATO",
    "ESTADO",
    "SERVICIOS",
    "MEDIDOR",
    "DIAM.",
    "UNIDADES",
    "CONS. PROM. (M3)",
    "FECHA ALTA",
    "TELEFONO",
    "CORREO ELECTRONICO",
)
AGE_COLUMNS = ("0 - 30", "31 - 60", "61 - 90", "91 - 180", "181 - 360", "MAS DE 360")
AGE_LIMITS = (30, 60, 90, 180, 360)
CONCEPT_COLUMNS = (
    "CAPITAL ACUEDUCTO",
    "CAPITAL ALCANTARILLADO",
    "INTERESES MORA",
    "OTROS CONCEPTOS",
)
MOVEMENT_COLUMNS = ("SALDO ANTERIOR", "FACTURACION MES", "RECAUDO MES", "NOTAS/AJUSTES")
CARTERA_HEADERS = (
    "MATRICULA",
    "NOMBRE",
    "DIRECCION",
    "BARRIO",
    "COMUNA",
    "CICLO",
    "USO",
    "ESTRATO",
    "ESTADO SERV.",
    "FACT. VENC.",
    "DIAS MORA",
    "FEC. VENC. MAS ANTIGUA",
    *MOVEMENT_COLUMNS,
    *AGE_COLUMNS,
    *CONCEPT_COLUMNS,
    "SALDO TOTAL",
)
AMOUNT_COLUMNS = (*MOVEMENT_COLUMNS, *AGE_COLUMNS, *CONCEPT_COLUMNS, "SALDO TOTAL")
CARTERA_GROUPS = (
    ("EDADES DE CARTERA (DIAS)", AGE_COLUMNS),
    ("CONCEPTOS", CONCEPT_COLUMNS),
)
HEADER_EVERY = 60

P1 = (
    "1. En general, ¿qué tan satisfecho(a) está con los servicios de "
    "acueducto y alcantarillado?"
)
P2 = "2. ¿Cómo califica la cordialidad y amabilidad del personal que lo atendió?"
P3 = "3. ¿Cómo califica el tiempo de espera para ser atendido?"
P4 = (
    "4. ¿Cómo califica el mantenimiento de las redes de alcantarillado de su "
    "sector (limpieza de sumideros, rebosamientos)?"
)
P5 = (
    "5. ¿En los últimos 6 meses ha tenido rebosamientos o taponamientos del "
    "alcantarillado?"
)
P6 = (
    "6. ¿Conoce los canales de pago electrónico de la empresa (PSE / botón de "
    "pago, corresponsales, apps)?"
)
P7 = "7. ¿Ha pagado su factura por algún canal electrónico?"
P8 = "8. ¿Por qué medio paga habitualmente su factura?"
P9 = "9. ¿Recibe su factura con suficiente anticipación a la fecha límite de pago?"
QUESTIONS = (P1, P2, P3, P4, P5, P6, P7, P8, P9)
ENCUESTA_HEADERS = (
    "Marca temporal",
    "N° encuesta",
    "Canal de aplicación",
    "Matrícula (opcional)",
    "Comuna",
    "Barrio",
    "Estrato",
    "Tipo de usuario",
    "Tipo de persona",
    "Sexo",
    "Rango de edad",
    "Nivel educativo",
    "Grupo poblacional",
    *QUESTIONS,
    "Observaciones",
)
SATISFACTION = (
    "Muy insatisfecho",
    "Insatisfecho",
    "Ni satisfecho ni insatisfecho",
    "Satisfecho",
    "Muy satisfecho",
)
RATING = ("Muy mala", "Mala", "Regular", "Buena", "Excelente")
SURVEY_RESPONDENTS = 400
# Answers per scale position (worst to best). Valid answers and shares:
# P1 351/390 = 90,0 %, P2 388/400 = 97,0 %, P4 279/393 = 71,0 % (two worst).
LIKERT_COUNTS = {
    P1: (6, 11, 22, 175, 176),
    P2: (1, 3, 8, 148, 240),
    P3: (19, 40, 80, 159, 100),
    P4: (131, 148, 72, 33, 9),
}
# Among the 396 who answer both P6 and P7, 198 say No to P6 and 33 more say
# "No, nunca" to P7: 231 / 396 = 58,3 %.
P6_NO = 198
P7_NEVER_AMONG_KNOWERS = 33
OBSERVATIONS = (
    "Llega muy tarde la factura",
    "Buena atención en la oficina",
    "El alcantarillado se rebosa cuando llueve",
    "Los sumideros de la cuadra están tapados",
    "Quisiera pagar por internet pero no sé cómo",
    "Mejorar la presión del agua en las tardes",
    "El agua llega turbia algunos días",
    "Muy amables los funcionarios",
    "Demoran mucho en atender los daños",
    "Que pongan más puntos de pago",
    "La factura viene con cobros que no entiendo",
    "Hace falta mantenimiento de las redes en el sector",
    "Excelente servicio",
    "Sin observaciones",
    "Pido revisión del medidor, el consumo subió mucho",
    "Olores fuertes del alcantarillado en la esquina",
)


# --- Small helpers -----------------------------------------------------------


def plain_upper(text: str) -> str:
    """Upper-case text without accents, keeping Ñ (as the legacy system)."""
    text = text.upper().replace("Ñ", "\0")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("\0", "Ñ")


def pick(rng: np.random.Generator, options: Sequence, p: Sequence[float] | None = None):
    """Return one element of `options`, uniformly or with probabilities p."""
    u = rng.random()
    if p is None:
        return options[int(u * len(options))]
    index = bisect.bisect(list(itertools.accumulate(p)), u * sum(p))
    return options[min(index, len(options) - 1)]


def colombian_number(centavos: int) -> str:
    """Format centavos as Colombian text: `1.234.567` or `-1.234.567,89`."""
    sign = "-" if centavos < 0 else ""
    pesos, cents = divmod(abs(int(centavos)), 100)
    text = f"{pesos:,}".replace(",", ".")
    if cents:
        text += f",{cents:02d}"
    return sign + text


def excel_amount(centavos: int) -> int | float:
    """Return an amount as Excel should hold it: whole pesos as int."""
    if centavos % 100 == 0:
        return int(centavos) // 100
    return round(int(centavos) / 100, 2)


def nit_check_digit(number: str) -> int:
    """Return the DIAN check digit of a NIT."""
    total = sum(int(d) * w for d, w in zip(reversed(number), NIT_WEIGHTS))
    rest = total % 11
    return rest if rest < 2 else 11 - rest


def with_dots(digits: str) -> str:
    return f"{int(digits):,}".replace(",", ".")


def mojibake(text: str) -> str:
    """Return text as a UTF-8 file read as Windows-1252 would show it."""
    return text.encode("utf-8").decode("cp1252", errors="replace")


def edad_months(dias: int) -> int:
    return (dias - 1) // 30 if dias >= 1 else 0


def facturas_vencidas(dias: int) -> int:
    return edad_months(dias) + 1 if dias >= 1 else 0


def largest_remainder_counts(weights: Sequence[float], total: int) -> list[int]:
    """Split `total` proportionally to `weights` into integers."""
    exact = np.asarray(weights, dtype=float) * total / float(np.sum(weights))
    counts = np.floor(exact).astype(int)
    order = np.argsort(-(exact - counts), kind="stable")
    counts[order[: total - counts.sum()]] += 1
    return counts.tolist()


# --- Guía: who the users are -------------------------------------------------


def is_informal(barrio: str) -> bool:
    return any(mark in barrio for mark in INFORMAL_MARKS)


def barrio_base_weights(rng: np.random.Generator) -> dict[int, np.ndarray]:
    """Draw each comuna's lognormal barrio weights (informal ones × 0,3)."""
    weights = {}
    for comuna, names in BARRIOS.items():
        w = rng.lognormal(0.0, 0.8, size=len(names))
        w *= np.array([0.3 if is_informal(n) else 1.0 for n in names])
        weights[comuna] = w
    return weights


def cell_barrio_probs(comuna: int, estrato: str, base: np.ndarray) -> np.ndarray:
    """Return barrio probabilities for one comuna × estrato cell."""
    names = BARRIOS[comuna]
    w = base.copy()
    if estrato not in ("01", "02"):
        w *= np.array([0.0 if is_informal(n) else 1.0 for n in names])

    anchors: tuple[str, ...] = ()
    share = 0.0
    if estrato in ("04", "05") and comuna in HIGH_ESTRATO_ANCHORS:
        anchors, share = HIGH_ESTRATO_ANCHORS[comuna], 0.75
    elif USO_BY_ESTRATO[estrato] == "03" and comuna in COMMERCIAL_ANCHORS:
        anchors, share = COMMERCIAL_ANCHORS[comuna], 0.6
    if anchors:
        is_anchor = np.array([n in anchors for n in names])
        w = np.where(
            is_anchor,
            share * w / w[is_anchor].sum(),
            (1 - share) * w / w[~is_anchor].sum(),
        )
    return w / w.sum()


def expand_cells(rng: np.random.Generator) -> pd.DataFrame:
    """Return one row per user with comuna, estrato and barrio."""
    base = barrio_base_weights(rng)
    parts = []
    for comuna, counts in USERS.items():
        for estrato, n in zip(ESTRATOS, counts):
            probs = cell_barrio_probs(comuna, estrato, base[comuna])
            idx = rng.choice(len(probs), size=n, p=probs)
            parts.append(
                pd.DataFrame({"comuna": comuna, "estrato": estrato, "barrio_idx": idx})
            )

    guia = pd.concat(parts, ignore_index=True)
    guia["barrio"] = [BARRIOS[c][i] for c, i in zip(guia["comuna"], guia["barrio_idx"])]
    guia["uso"] = guia["estrato"].map(USO_BY_ESTRATO)
    guia["informal"] = guia["barrio"].map(is_informal)
    return guia


def barrio_ciclo(comuna: int, barrio_idx: int) -> int:
    """Return the billing cycle that reads a barrio (contiguous chunks)."""
    ciclos = CICLOS[comuna]
    chunk = math.ceil(len(BARRIOS[comuna]) / len(ciclos))
    return ciclos[barrio_idx // chunk]


def assign_routes(guia: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Add ciclo, ruta and consec, and sort the guía in reading order."""
    guia["ciclo"] = [
        barrio_ciclo(c, i) for c, i in zip(guia["comuna"], guia["barrio_idx"])
    ]
    guia["_order"] = rng.random(len(guia))
    guia = guia.sort_values(["ciclo", "barrio_idx", "_order"], ignore_index=True)

    position = guia.groupby("ciclo").cumcount()
    size = guia.groupby("ciclo")["ciclo"].transform("size")
    routes = np.ceil(size / 320).astype(int)
    guia["ruta_n"] = (position * routes // size + 1).astype(int)
    steps = rng.integers(1, 5, size=len(guia))
    guia["consec"] = (
        pd.Series(steps).groupby([guia["ciclo"], guia["ruta_n"]]).cumsum().to_numpy()
    )
    return guia.drop(columns="_order")


def unique_matriculas(rng: np.random.Generator, n: int) -> np.ndarray:
    """Return n distinct account numbers (printed zero-padded to 7 digits)."""
    return rng.choice(np.arange(1_000, 1_400_000), size=n, replace=False)


# --- Guía: people and property -----------------------------------------------


def draw_person_names(rng: np.random.Generator, n: int) -> list[str]:
    """Invented names: two surnames and one or two first names."""
    s1, s2 = rng.integers(len(SURNAMES), size=(2, n))
    f1, f2 = rng.integers(len(FIRST_NAMES), size=(2, n))
    second = rng.random(n) < 0.5
    return [
        f"{SURNAMES[a]} {SURNAMES[b]} {FIRST_NAMES[c]}"
        + (f" {FIRST_NAMES[d]}" if s else "")
        for a, b, c, d, s in zip(s1, s2, f1, f2, second)
    ]


def business_name(rng: np.random.Generator, estrato: str) -> str:
    kinds = CARWASH_KINDS if estrato == "12" else BUSINESS_KINDS
    template = pick(rng, kinds)
    return template.format(
        w=pick(rng, BUSINESS_WORDS), s=pick(rng, SURNAMES), s2=pick(rng, SURNAMES)
    )


def official_name(rng: np.random.Generator, comuna: int, barrio: str) -> str:
    return pick(rng, OFFICIAL_KINDS).format(b=plain_upper(barrio), c=comuna)


def document_number(tipo: str, uso: str, number: int, u: float) -> str:
    """Return an invented document of the given type from a random number."""
    if tipo == "NIT":
        prefix = "890" if uso == "08" else ("900", "901", "800")[int(u * 3)]
        body = f"{prefix}{number % 10**6:06d}"
        return f"{body}-{nit_check_digit(body)}"
    if tipo == "CC":
        old_ids, new_ids = ("13", "28", "37", "63", "91"), ("1096", "1005", "1098")
        prefix = old_ids[int(u * 5 / 0.6)] if u < 0.6 else new_ids[int((u - 0.6) * 7.5)]
        return f"{prefix}{number % 10**6:06d}"
    if tipo == "TI":
        return f"10{number % 10**8:08d}"
    if tipo == "PPT":
        return str(4_000_000 + number % 3_000_000)
    if tipo == "PA":
        return str(100_000_000 + number % 10**8)
    return str(300_000 + number % 1_700_000)  # CE


def messy_document(number: str, u: float) -> str | None:
    """Dots in about 5 %, zero or blank in about 1 %."""
    if u < 0.005:
        return None
    if u < 0.01:
        return "0"
    if u < 0.06:
        head, _, check = number.partition("-")
        return with_dots(head) + (f"-{check}" if check else "")
    return number


def messy_name(name: str, u: float) -> str:
    """Mojibake for some names with Ñ; double spaces sometimes."""
    if "Ñ" in name and u < 0.035:
        return mojibake(name)
    if u > 0.97:
        return name.replace(" ", "  ", 1)
    return name


def person_fields(guia: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Add nombre, tipo_id and documento (NIT means persona jurídica)."""
    n = len(guia)
    uso = guia["uso"].to_numpy()
    share = np.select([uso == "03", uso == "08"], [0.30, 1.0], 0.007)
    juridica = rng.random(n) < share
    natural_types = np.array(["CC", "CE", "TI", "PA", "PPT", ""], dtype=object)
    tipos = natural_types[
        rng.choice(6, size=n, p=(0.93, 0.02, 0.005, 0.005, 0.02, 0.02))
    ]
    tipos[juridica] = "NIT"

    names = draw_person_names(rng, n)
    for i in np.flatnonzero(juridica):
        row = guia.iloc[i]
        names[i] = (
            official_name(rng, row["comuna"], row["barrio"])
            if row["uso"] == "08"
            else business_name(rng, row["estrato"])
        )

    numbers = rng.integers(0, 10**9, size=n).tolist()
    u = rng.random((n, 3)).tolist()
    guia["tipo_id"] = [t or None for t in tipos]
    guia["documento"] = [
        messy_document(document_number(t or "CC", us, num, r[0]), r[1])
        for t, us, num, r in zip(tipos, uso, numbers, u)
    ]
    guia["nombre"] = [messy_name(name, r[2]) for name, r in zip(names, u)]
    return guia


def letter(u: float, share: float) -> str:
    """A street-number letter for a share of addresses (`u` is uniform)."""
    return "ABCDEFGH"[int(u / share * 8)] if u < share else ""


def street_address(u: Sequence[float], informal: bool, uso: str) -> str:
    """Return an invented address in one of the local writing styles."""
    if informal and u[0] < 0.6:
        lot = ("CS", "LT", "CASA")[int(u[1] * 3)]
        block = str(1 + int(u[2] * 39)) if u[3] < 0.7 else "ABCDEFG"[int(u[2] * 7)]
        return f"MZ {block} {lot} {1 + int(u[4] * 29)}"

    kind = STREET_KINDS[bisect.bisect(STREET_CUMULATIVE, u[1])]
    a = f"{1 + int(u[2] * 75)}{letter(u[3], 0.15)}"
    b = f"{1 + int(u[4] * 80)}{letter(u[5], 0.2)}"
    c = 1 + int(u[6] * 119)
    text = (
        f"{kind} {a} {b} {c}",
        f"{kind} {a} # {b}-{c:02d}",
        f"{kind} {a} {b}-{c:02d}",
        f"{kind} {a} No. {b}-{c:02d}",
    )[int(u[7] * 4)]
    if uso == "03" and u[8] < 0.2:
        text += f" LC {1 + int(u[8] * 55)}"
    elif u[8] > 0.97:
        text += f" APTO {1 + int(u[9] * 5)}0{1 + int(u[0] * 4)}"
    return text.replace(" ", "  ", 1) if u[9] > 0.98 else text


def phone(u: float, number: int) -> str | None:
    """About 30 % blank or 0; mobiles and Barrancabermeja landlines."""
    if u < 0.2:
        return None
    if u < 0.3:
        return "0"
    if u < 0.86:
        prefix = MOBILE_PREFIXES[number % len(MOBILE_PREFIXES)]
        return f"{prefix}{number % 10**7:07d}"
    return f"6076{number % 10**6:06d}"


def email(name: str, u: float) -> str | None:
    if u >= 0.2:
        return None
    words = [w for w in plain_upper(name).replace("Ñ", "N").split() if w.isalpha()]
    user = ".".join(w.lower() for w in words[:2]) or "usuario"
    if u < 0.12:
        user += str(1 + int(u * 800))
    return f"{user}@{EMAIL_DOMAINS[int(u * 100) % len(EMAIL_DOMAINS)]}"


def diameter(uso: str, estrato: str, units: int, u: float) -> str:
    if estrato == "12" or units > 12:
        return '1"' if u < 0.6 else '2"'
    if uso == "01":
        return '1/2"' if u < 0.97 else '3/4"'
    if uso == "03":
        return ('1/2"', '3/4"', '1"', '2"')[bisect.bisect((0.6, 0.9, 0.98), u)]
    return ('3/4"', '1"', '2"')[bisect.bisect((0.4, 0.8), u)]


def meter(u: float, number: int, informal: bool) -> str | None:
    if u < (0.15 if informal else 0.055):
        return None
    return f"{'ABCEK'[number % 5]}{5 + number % 20:02d}-{number % 10**6:06d}"


def catastral(u: float, comuna: int, barrio_idx: int, number: int) -> str | None:
    if u < 0.12:
        return None
    manzana, predio = 1 + number % 998, 1 + number // 1000 % 59
    return f"6808101{comuna:02d}{barrio_idx + 1:04d}{manzana:04d}{predio:04d}000000000"


def units_and_consumption(guia: pd.DataFrame, rng: np.random.Generator) -> None:
    """Multiusuario for about 1.5 %; consumption by estrato (m3 a month)."""
    n = len(guia)
    residential = (guia["uso"] == "01") & (guia["estrato"] != "01")
    multi = residential.to_numpy() & (rng.random(n) < 0.027)
    units = np.where(multi, rng.integers(2, 49, size=n), 1)
    mean = guia["estrato"].map(CONSUMPTION_M3).to_numpy()
    guia["unidades"] = units
    guia["consumo"] = np.rint(mean * units * rng.lognormal(-0.08, 0.4, n)).astype(int)


def fechas_alta(guia: pd.DataFrame, rng: np.random.Generator) -> list[dt.date]:
    """Older barrios were connected from 1975, settlements from 2005."""
    first = np.where(guia["informal"], 12_784, 1_826)  # days since 1970
    last = (dt.date(2025, 7, 15) - dt.date(1970, 1, 1)).days
    days = first + ((last - first) * rng.beta(1.6, 1.1, len(guia))).astype(int)
    epoch = dt.date(1970, 1, 1)
    return [epoch + dt.timedelta(days=int(d)) for d in days]


def property_fields(guia: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Add address, contact data, meter, consumption, dates and services."""
    n = len(guia)
    units_and_consumption(guia, rng)
    u = rng.random((n, 16)).tolist()
    numbers = rng.integers(0, 10**9, size=(n, 3)).tolist()
    rows = zip(
        u,
        numbers,
        guia["informal"],
        guia["uso"],
        guia["estrato"],
        guia["unidades"],
        guia["comuna"],
        guia["barrio_idx"],
        guia["nombre"],
    )

    cols: dict[str, list] = {
        k: []
        for k in (
            "direccion",
            "telefono",
            "correo",
            "medidor",
            "diametro",
            "catastral",
            "servicios",
        )
    }
    for r, num, informal, uso, estrato, units, comuna, barrio_idx, name in rows:
        cols["direccion"].append(street_address(r[:10], informal, uso))
        cols["telefono"].append(phone(r[10], num[0]))
        cols["correo"].append(email(name, r[11]))
        cols["medidor"].append(meter(r[12], num[1], informal))
        cols["diametro"].append(diameter(uso, estrato, units, r[13]))
        cols["catastral"].append(catastral(r[14], comuna, barrio_idx, num[2]))
        acu_only = uso == "01" and r[15] < (0.2 if informal else 0.03)
        cols["servicios"].append("ACU" if acu_only else "ACU-ALC")

    for key, values in cols.items():
        guia[key] = values
    guia["fecha_alta"] = fechas_alta(guia, rng)
    return guia


def monthly_bill(estrato: str, consumo: int) -> int:
    """Return an invented monthly bill in whole pesos."""
    fixed = FIXED_CHARGE.get(estrato, 24_000)
    return int(round((fixed + TARIFF_PER_M3[estrato] * max(consumo, 5)) / 100) * 100)


def build_guia(rng: np.random.Generator) -> pd.DataFrame:
    """Return the guía's accounts (one row per distinct account)."""
    guia = expand_cells(rng)
    guia = assign_routes(guia, rng)
    matriculas = unique_matriculas(rng, len(guia) + 1)
    guia["matricula"] = matriculas[:-1]
    guia.attrs["orphan_matricula"] = int(matriculas[-1])
    guia = person_fields(guia, rng)
    guia = property_fields(guia, rng)
    guia["bill"] = [
        monthly_bill(e, c) for e, c in zip(guia["estrato"], guia["consumo"])
    ]
    return guia


# --- Cartera: which accounts owe and how long --------------------------------


def assign_roles(guia: pd.DataFrame, rng: np.random.Generator) -> None:
    """Mark each account as moroso, corriente, favor, cero or none."""
    role = np.full(len(guia), "", dtype=object)
    for comuna, counts in MOROSOS.items():
        for estrato, n in zip(ESTRATOS, counts):
            cell = np.flatnonzero(
                (guia["comuna"] == comuna).to_numpy()
                & (guia["estrato"] == estrato).to_numpy()
            )
            role[rng.choice(cell, size=n, replace=False)] = "moroso"

    free = np.flatnonzero(role == "")
    weight = np.where(guia["uso"].to_numpy()[free] == "03", 1.5, 1.0)
    weight = weight * np.where(guia["informal"].to_numpy()[free], 1.2, 1.0)
    chosen = rng.choice(
        free,
        size=CURRENT_ACCOUNTS + SALDO_A_FAVOR_ACCOUNTS + 2,
        replace=False,
        p=weight / weight.sum(),
    )
    role[chosen[:CURRENT_ACCOUNTS]] = "corriente"
    role[chosen[CURRENT_ACCOUNTS:-2]] = "favor"
    role[chosen[-2:]] = "cero"
    guia["role"] = role


def assign_estado(guia: pd.DataFrame, rng: np.random.Generator) -> None:
    """ACTIVO or SUSPENDIDO; long debts are suspended more often."""
    propensity = np.where(guia["role"] == "moroso", 0.12, 0.03)
    propensity = np.where(guia["edad"] == "61+", 0.5, propensity)
    propensity = np.where(guia["edad"] == "4-60", 0.22, propensity)
    target = round(SUSPENDED_SHARE * len(guia))
    keys = np.log(rng.random(len(guia))) / propensity
    suspended = np.argsort(-keys)[:target]
    estado = np.full(len(guia), "ACTIVO", dtype=object)
    estado[suspended] = "SUSPENDIDO"
    guia["estado"] = estado


BUCKET_WEIGHTS = {
    "01": (0.13, 0.38, 0.49),
    "02": (0.50, 0.45, 0.05),
    "03": (0.55, 0.42, 0.03),
    "04": (0.45, 0.47, 0.08),
    "05": (0.30, 0.50, 0.20),
    "10": (0.45, 0.45, 0.10),
    "11": (0.35, 0.45, 0.20),
    "12": (0.35, 0.50, 0.15),
    "90": (0.50, 0.50, 0.001),
    "91": (0.45, 0.45, 0.10),
}
# Older debts in comuna 6, younger in comuna 7 (log-propensity of 61+).
COMUNA_OLD_DEBT = {1: 0.2, 2: 0.2, 3: -0.1, 4: 0.0, 5: 0.2, 6: 0.5, 7: -0.5}


def assign_buckets(mor: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """Return the edad bucket (0, 1, 2) of each moroso with the exact counts."""
    w = np.array([BUCKET_WEIGHTS[e] for e in mor["estrato"]])
    old = np.log(w[:, 2]) - np.log(w[:, 0] + w[:, 1])
    old += mor["comuna"].map(COMUNA_OLD_DEBT).to_numpy()
    old += rng.logistic(size=len(mor))
    bucket = np.ones(len(mor), dtype=int)
    order = np.argsort(-old, kind="stable")
    bucket[order[: EDAD_COUNTS[2]]] = 2

    rest = order[EDAD_COUNTS[2] :]
    young = np.log(w[rest, 0]) - np.log(w[rest, 1]) + rng.logistic(size=len(rest))
    bucket[rest[np.argsort(-young, kind="stable")[: EDAD_COUNTS[0]]]] = 0
    return bucket


def draw_moroso_days(bucket: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Return días de mora inside each bucket; three are exactly 31."""
    n = len(bucket)
    months = np.where(
        bucket == 0,
        rng.choice([1, 2, 3], size=n, p=[0.45, 0.33, 0.22]),
        np.where(
            bucket == 1,
            np.minimum(4 + rng.exponential(14, n).astype(int), 60),
            np.minimum(61 + rng.exponential(32, n).astype(int), 220),
        ),
    )
    days = 30 * months + rng.integers(1, 31, size=n)
    days = np.where(days == 31, 32, days)
    boundary = rng.choice(np.flatnonzero(bucket == 0), size=3, replace=False)
    days[boundary] = 31
    return days


def ipf_amounts(
    base: np.ndarray, groups: list[tuple[np.ndarray, np.ndarray]]
) -> np.ndarray:
    """Scale `base` so each grouping sums to its targets (pesos)."""
    amount = base.astype(float).copy()
    for _ in range(500):
        worst = 0.0
        for idx, target in groups:
            sums = np.bincount(idx, weights=amount, minlength=len(target))
            factor = np.divide(target, sums, out=np.ones_like(target), where=sums > 0)
            amount *= factor[idx]
            worst = max(worst, float(np.max(np.abs(factor - 1))))
        if worst < 1e-13:
            break
    return amount


def fix_margins(
    cents: np.ndarray,
    e_idx: np.ndarray,
    c_idx: np.ndarray,
    b_idx: np.ndarray,
    targets: tuple[np.ndarray, ...],
) -> None:
    """Make the three sets of margins exact with a few centavo adjustments."""
    t_e, t_c, t_b = targets
    main = e_idx == ESTRATOS.index("01")

    def largest(mask: np.ndarray) -> int:
        return int(np.flatnonzero(mask)[np.argmax(cents[mask])])

    for e in range(len(t_e)):
        gap = int(t_e[e] - cents[e_idx == e].sum())
        if gap:
            cents[largest(e_idx == e)] += gap

    for idx, target, other in ((c_idx, t_c, b_idx), (b_idx, t_b, c_idx)):
        while True:
            gaps = target - np.bincount(idx, weights=cents, minlength=len(target))
            gaps = np.rint(gaps).astype(np.int64)
            if not gaps.any():
                break
            up, down = int(np.argmax(gaps)), int(np.argmin(gaps))
            move = min(int(gaps[up]), int(-gaps[down]))
            same = int(other[largest(main & (idx == up))])
            cents[largest(main & (idx == up) & (other == same))] += move
            cents[largest(main & (idx == down) & (other == same))] -= move


def moroso_targets(orphan_bucket: int) -> tuple[np.ndarray, ...]:
    """Return the estrato, comuna and bucket targets without the orphan."""
    t_e = np.array([ESTRATO_CENTAVOS[e] for e in ESTRATOS], dtype=np.int64)
    t_c = np.array([COMUNA_CENTAVOS[c] for c in COMUNAS], dtype=np.int64)
    t_b = np.array(EDAD_CENTAVOS, dtype=np.int64)
    orphan = ORPHAN.pesos * 100
    t_c[COMUNAS.index(ORPHAN.comuna)] -= orphan
    t_b[orphan_bucket] -= orphan
    return t_e, t_c, t_b


def fit_moroso_amounts(mor: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """Return each moroso's debt in centavos, fitted to the report's margins."""
    months = (mor["dias"].to_numpy() - 1) // 30
    interest = 1 + 0.012 * months
    base = mor["bill"].to_numpy() * (months + 1) * interest
    base = base * rng.lognormal(0, 0.45, size=len(mor))

    e_idx = mor["estrato"].map(ESTRATOS.index).to_numpy()
    c_idx = mor["comuna"].map(COMUNAS.index).to_numpy()
    b_idx = mor["bucket"].to_numpy()
    targets = moroso_targets(orphan_bucket=1)
    groups = [(i, t / 100) for i, t in zip((e_idx, c_idx, b_idx), targets)]
    pesos = ipf_amounts(base, groups)

    cents = np.rint(pesos).astype(np.int64) * 100
    fix_margins(cents, e_idx, c_idx, b_idx, targets)
    if cents.max() > MAX_DEBT_PESOS * 100 or cents.min() < 100_000:
        raise RuntimeError("moroso amounts out of range; change the seed")
    return cents


def build_morosos(guia: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Assign edad bucket, días and debt to every moroso of the guía."""
    mor = guia[guia["role"] == "moroso"][["comuna", "estrato", "bill"]].copy()
    mor["bucket"] = assign_buckets(mor, rng)
    mor["dias"] = draw_moroso_days(mor["bucket"].to_numpy(), rng)
    mor["cents"] = fit_moroso_amounts(mor, rng)
    return mor


def build_current(guia: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Assign días 0-30 and balances that add up to the 0-30 segment."""
    cur = guia[guia["role"] == "corriente"][["bill"]].copy()
    n = len(cur)
    days = np.where(rng.random(n) < 0.45, 0, rng.integers(1, 30, size=n))
    days[rng.choice(np.flatnonzero(days > 0), size=3, replace=False)] = 30

    base = cur["bill"].to_numpy() * rng.lognormal(0, 0.35, size=n)
    base *= np.where(days > 0, 1.8, 1.0)
    pesos = np.rint(base * CURRENT_PESOS / base.sum()).astype(np.int64)
    gap = CURRENT_PESOS - int(pesos.sum())
    fix = rng.choice(n, size=abs(gap), replace=False)
    pesos[fix] += int(np.sign(gap))

    cur["dias"] = days
    cur["cents"] = pesos * 100
    return cur


def build_favor(guia: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Saldos a favor: net negative balances, not yet due."""
    fav = guia[guia["role"] == "favor"][["bill"]].copy()
    pesos = np.rint(rng.lognormal(np.log(45_000), 0.8, size=len(fav)) / 100) * 100
    fav["dias"] = 0
    fav["cents"] = -pesos.astype(np.int64) * 100
    return fav


# --- Cartera: lines ----------------------------------------------------------


@dataclass
class Line:
    """One cartera line before formatting (amounts in centavos)."""

    account: int  # index into the guía, or -1 for the orphan
    cents: int
    dias: int


def other_days(rng: np.random.Generator, below: int) -> int:
    """Return a smaller días for a secondary line, never 30 or 31."""
    while True:
        d = int(rng.integers(0, below))
        if d not in (30, 31):
            return d


def whole_pesos(value: float) -> int:
    return round(value / 100) * 100


def split_account(
    acc: int, cents: int, dias: int, rng: np.random.Generator
) -> list[Line]:
    """Split an account's net balance into 2-3 lines with the same net and días."""
    kind = pick(rng, ("two", "credit", "three"), p=(0.5, 0.35, 0.15))
    if dias == 0:
        kind = "credit"
    credit = whole_pesos(min(rng.uniform(2_000, 60_000) * 100, cents * 0.4))
    second = whole_pesos(cents * rng.uniform(0.1, 0.45))
    if credit <= 0 or second <= 0:
        return [Line(acc, cents, dias)]
    if kind == "two":
        lines = [
            Line(acc, cents - second, dias),
            Line(acc, second, other_days(rng, dias)),
        ]
    elif kind == "credit":
        lines = [Line(acc, cents + credit, dias), Line(acc, -credit, 0)]
    else:
        lines = [
            Line(acc, cents + credit - second, dias),
            Line(acc, second, other_days(rng, dias)),
            Line(acc, -credit, 0),
        ]
    return lines


def trap_lines(
    acc: int, cents: int, dias: int, rng: np.random.Generator, credit_days: int
) -> list[Line]:
    """A debt plus a credit line whose días must not count (credit ≤ 0)."""
    credit = whole_pesos(min(rng.uniform(5_000, 40_000) * 100, cents * 0.3))
    return [Line(acc, cents + credit, dias), Line(acc, -credit, credit_days)]


def balance_lines(
    guia: pd.DataFrame, frames: dict[str, pd.DataFrame], rng: np.random.Generator
) -> list[Line]:
    """Return every cartera line of the guía's accounts."""
    lines: list[Line] = []
    multi = traps = 0
    for role in ("moroso", "corriente"):
        frame = frames[role]
        role_traps = 0
        for acc, cents, dias in zip(frame.index, frame["cents"], frame["dias"]):
            cents, dias = int(cents), int(dias)
            if dias in (30, 31):
                lines.append(Line(acc, cents, dias))
            elif role_traps < 3 and dias >= 10 and rng.random() < 0.01:
                credit_days = dias + 400 if role == "moroso" else dias + 60
                lines += trap_lines(acc, cents, dias, rng, credit_days)
                role_traps += 1
            elif rng.random() < 0.03:
                parts = split_account(acc, cents, dias, rng)
                multi += len(parts) > 1
                lines += parts
            else:
                lines.append(Line(acc, cents, dias))
        traps += role_traps
    logger.info(
        "cuentas con varias líneas: %s (%s con línea crédito con días)",
        multi + traps,
        traps,
    )
    return lines + favor_and_zero_lines(guia, frames["favor"], rng)


def favor_and_zero_lines(
    guia: pd.DataFrame, fav: pd.DataFrame, rng: np.random.Generator
) -> list[Line]:
    """Saldo a favor lines (two hide an old debt) and two net-zero accounts."""
    lines = []
    for n, (acc, cents) in enumerate(zip(fav.index, fav["cents"])):
        if n < 2:
            debt = whole_pesos(rng.uniform(80_000, 300_000) * 100)
            lines += [Line(acc, debt, 400 + 37 * n), Line(acc, int(cents) - debt, 0)]
        else:
            lines.append(Line(acc, int(cents), 0))
    for acc in np.flatnonzero(guia["role"] == "cero"):
        debt = whole_pesos(rng.uniform(50_000, 200_000) * 100)
        lines += [Line(int(acc), debt, 200), Line(int(acc), -debt, 0)]
    return lines


def age_split(cents: int, dias: int, rng: np.random.Generator) -> list[int]:
    """Spread a line over the age columns up to the one holding its días."""
    split = [0] * len(AGE_COLUMNS)
    if cents <= 0 or dias <= 30:
        split[0] = cents
        return split

    oldest = sum(dias > limit for limit in AGE_LIMITS)
    starts = (0, *AGE_LIMITS)
    widths = [30, 30, 30, 90, 180]
    w = [widths[j] / 30 for j in range(oldest)]
    w.append(max(0.3, (dias - starts[oldest]) / 30))
    w = np.array(w) * rng.lognormal(0, 0.3, size=len(w))
    parts = [whole_pesos(cents * x / w.sum()) for x in w[:-1]]
    last = cents - sum(parts)
    if last <= 0:
        parts, last = [0] * oldest, cents
    split[: oldest + 1] = [*parts, last]
    return split


def concept_split(
    cents: int, dias: int, acu_only: bool, rng: np.random.Generator
) -> list[int]:
    """Split a line into capital (acueducto, alcantarillado), interest, other."""
    if cents <= 0:
        return [0, 0, 0, cents]
    months = edad_months(dias)
    interest = 0.0 if dias <= 30 else min(0.28, 0.004 * months) * rng.uniform(0.7, 1.2)
    other = rng.uniform(0.0, 0.05)
    alc = 0.0 if acu_only else rng.uniform(0.38, 0.46)
    shares = np.array([1 - alc, alc, interest, other])
    parts = [whole_pesos(cents * s / shares.sum()) for s in shares[1:]]
    return [cents - sum(parts), *parts]


def movements(
    cents: int, dias: int, bill: int, retired: bool, rng: np.random.Generator
) -> list[int]:
    """Return saldo anterior, facturación, recaudo and notas (centavos)."""
    if cents <= 0:
        notas = cents if rng.random() < 0.5 else 0
        return [cents - notas, 0, 0, notas]

    bill_c = bill * 100
    fact = 0 if retired else min(bill_c, cents)
    if dias <= 30:
        recaudo = (
            whole_pesos(bill_c * rng.uniform(0.9, 1.1)) if rng.random() < 0.75 else 0
        )
    else:
        recaudo = (
            whole_pesos(cents * rng.uniform(0.02, 0.25)) if rng.random() < 0.12 else 0
        )
    notas = 0
    if rng.random() < 0.06:
        notas = whole_pesos(rng.uniform(1_000, 20_000) * 100)
        notas = -notas if rng.random() < 0.7 else notas
    return [cents - fact + recaudo - notas, fact, recaudo, notas]


# --- Formatting messiness ----------------------------------------------------
# Each helper takes a uniform draw `u` instead of the generator, so that a
# whole column's draws can be made at once.


def messy_matricula(number: int, u: float) -> str | int:
    """Zero-padded text; about 3 % stored as a number (zeros lost)."""
    return int(number) if u < 0.03 else f"{int(number):07d}"


def messy_comuna(comuna: int, u: float) -> str:
    """A mix of `5`, `05` and `COMUNA 5`."""
    if u < 0.25:
        return f"{comuna:02d}"
    if u < 0.4:
        return f"COMUNA {comuna}"
    return str(comuna)


def messy_code(code: str, u: float) -> str:
    """A two-digit code; about 2 % lose the leading zero."""
    return code[1:] if code.startswith("0") and u < 0.02 else code


def messy_amount(cents: int, u: float) -> int | float | str:
    """A number or, for about 3 % of non-zero amounts, Colombian text."""
    if cents and u < 0.03:
        return colombian_number(cents)
    return excel_amount(cents)


def barrio_variants(name: str) -> list[str]:
    """Spellings of a barrio seen across the system's copies."""
    up = plain_upper(name)
    alts = [name.upper()] if name.upper() != up else []
    replacements = (
        ("VILLARELIS", "VILLARELYS"),
        ("VILLARELIS", "VILLA RELIS"),
        ("GALAN GOMEZ", "GALAN"),
        ("EDUARDO ROLON (COVIBA)", "COVIBA"),
        ("EDUARDO ROLON (COVIBA)", "EDUARDO ROLON"),
        ("PRIMERO DE MAYO", "1 DE MAYO"),
        ("URB. ", "URBANIZACION "),
        ("ASENT. ", "ASENTAMIENTO "),
        ("J.V.C. ", ""),
        (" J.V.C.", ""),
        ("J.V.C.", "JVC"),
    )
    for old, new in replacements:
        if old in up:
            alts.append(up.replace(old, new).strip())
    return alts


def dropped_accents(name: str) -> str | None:
    """The barrio as one broken dump shows it: accented letters lost."""
    upper = name.upper()
    broken = "".join(ch for ch in upper if ch == "Ñ" or ch.isascii())
    return broken if broken != upper else None


def messy_barrio(name: str, u: float) -> str:
    """Upper case without accents; about 9 % in another known spelling."""
    if u < 0.005 and dropped_accents(name):
        return dropped_accents(name)
    alts = barrio_variants(name) if u < 0.09 else []
    if alts:
        return alts[int(u / 0.09 * len(alts))]
    return plain_upper(name)


# --- Guía rows ---------------------------------------------------------------


def guia_row(row, u: Sequence[float]) -> list:
    """Format one account as the guía prints it."""
    fecha = row.fecha_alta
    return [
        messy_matricula(row.matricula, u[0]),
        f"{row.ciclo:02d}",
        f"{row.ciclo:02d}{row.ruta_n:02d}",
        int(row.consec),
        row.catastral,
        row.nombre,
        row.tipo_id,
        row.documento,
        row.direccion,
        messy_barrio(row.barrio, u[1]),
        messy_comuna(row.comuna, u[2]),
        messy_code(row.uso, u[3]),
        USO_DESC[row.uso],
        messy_code(row.estrato, u[4]),
        ESTRATO_DESC[row.estrato],
        row.estado,
        row.servicios,
        row.medidor,
        row.diametro,
        int(row.unidades),
        int(row.consumo),
        fecha if u[5] < 0.7 else fecha.strftime("%d/%m/%Y"),
        row.telefono,
        row.correo,
    ]


def guia_rows(guia: pd.DataFrame, rng: np.random.Generator) -> list[list]:
    """The guía's data rows, with three exact duplicates inserted."""
    draws = rng.random((len(guia), 6)).tolist()
    rows = [guia_row(row, u) for row, u in zip(guia.itertuples(index=False), draws)]
    sources = sorted(
        rng.choice(len(rows) - 1000, size=DUPLICATE_ROWS, replace=False).tolist(),
        reverse=True,
    )
    for src in sources:
        rows.insert(src + int(rng.integers(1, 1000)), list(rows[src]))
    return rows


# --- Cartera rows ------------------------------------------------------------


def account_info(guia: pd.DataFrame, rng: np.random.Generator) -> dict[int, dict]:
    """What the cartera prints about each account, by guía index (-1: orphan)."""
    cut = (guia["estado"] == "SUSPENDIDO").to_numpy() & (rng.random(len(guia)) < 0.45)
    estados = np.where(cut, "CORTADO", guia["estado"].to_numpy())
    columns = [
        "matricula",
        "nombre",
        "direccion",
        "barrio",
        "comuna",
        "ciclo",
        "uso",
        "estrato",
        "bill",
        "servicios",
    ]
    info = {}
    for idx, values, estado in zip(
        guia.index, guia[columns].itertuples(index=False), estados
    ):
        record = dict(zip(columns, values))
        record["estado"] = estado
        info[idx] = record
    info[-1] = {
        "matricula": guia.attrs["orphan_matricula"],
        "nombre": "ARDILA  SERRANO LUZ DARY",
        "direccion": "CR 53 # 31-12",
        "barrio": ORPHAN.barrio,
        "comuna": ORPHAN.comuna,
        "ciclo": 10,
        "uso": ORPHAN.uso,
        "estrato": ORPHAN.estrato,
        "bill": 0,
        "servicios": "ACU-ALC",
        "estado": ORPHAN.estado,
    }
    return info


def cartera_line(
    line: Line, acc: dict, rng: np.random.Generator, cutoff: dt.date = CUTOFF
) -> tuple[list, list[int]]:
    """Return a line's printed fields and its amounts (centavos)."""
    u = rng.random(5).tolist()
    fields = [
        messy_matricula(acc["matricula"], u[0]),
        acc["nombre"],
        acc["direccion"],
        messy_barrio(acc["barrio"], u[1]),
        messy_comuna(acc["comuna"], u[2]),
        f"{acc['ciclo']:02d}",
        messy_code(acc["uso"], u[3]),
        messy_code(acc["estrato"], u[4]),
        acc["estado"],
        facturas_vencidas(line.dias),
        line.dias,
        cutoff - dt.timedelta(days=line.dias),
    ]
    retired = acc["estado"] == "RETIRADO"
    acu_only = acc["servicios"] == "ACU"
    amounts = [
        *movements(line.cents, line.dias, acc["bill"], retired, rng),
        *age_split(line.cents, line.dias, rng),
        *concept_split(line.cents, line.dias, acu_only, rng),
        line.cents,
    ]
    return fields, amounts


def estrato_blocks(
    lines: list[Line], info: dict[int, dict]
) -> Iterator[tuple[str, list[Line]]]:
    """Lines sorted by estrato (then account), one block per estrato."""

    def key(line: Line) -> tuple[int, int]:
        acc = info[line.account]
        return int(acc["estrato"]), acc["matricula"]

    ordered = sorted(lines, key=key)
    for estrato, block in itertools.groupby(
        ordered, key=lambda ln: info[ln.account]["estrato"]
    ):
        yield estrato, list(block)


def cartera_rows(
    lines: list[Line],
    info: dict[int, dict],
    rng: np.random.Generator,
    cutoff: dt.date = CUTOFF,
) -> list[tuple[str, list]]:
    """Every row of the cartera sheet, each with its kind."""
    rows: list[tuple[str, list]] = [
        ("titulo", [COMPANY]),
        ("texto", ["CONCILIACION DE CARTERA SIN FINANCIAR"]),
        ("texto", [f"CORTE: {cutoff:%d/%m/%Y}"]),
        ("texto", ["VALORES EN PESOS"]),
        ("vacia", []),
        ("grupos", []),
        ("encabezado", list(CARTERA_HEADERS)),
    ]
    grand = np.zeros(len(AMOUNT_COLUMNS), dtype=np.int64)
    written = 0
    for estrato, block in estrato_blocks(lines, info):
        sums = np.zeros(len(AMOUNT_COLUMNS), dtype=np.int64)
        for line in block:
            if written and written % HEADER_EVERY == 0:
                rows += [("grupos", []), ("encabezado", list(CARTERA_HEADERS))]
            fields, amounts = cartera_line(line, info[line.account], rng, cutoff)
            draws = rng.random(len(amounts)).tolist()
            rows.append(
                ("linea", fields + [messy_amount(c, u) for c, u in zip(amounts, draws)])
            )
            sums += np.array(amounts, dtype=np.int64)
            written += 1
        rows.append(("total", [f"SUBTOTAL ESTRATO {estrato}", *sums.tolist()]))
        grand += sums
    rows += [("vacia", []), ("total", ["TOTAL GENERAL", *grand.tolist()])]
    return rows


# --- Writing workbooks -------------------------------------------------------


def exported_at(cutoff: dt.date) -> dt.datetime:
    """When the commercial system exported the month of `cutoff`."""
    return dt.datetime.combine(cutoff, dt.time()) + EXPORT_DELAY


def new_sheet(title: str, cutoff: dt.date = CUTOFF) -> tuple[Workbook, object]:
    wb = Workbook(write_only=True)
    wb.properties.creator = "SCOMERCIAL01"
    wb.properties.created = exported_at(cutoff)
    return wb, wb.create_sheet(title)


def styled(
    ws,
    value,
    bold: bool = False,
    number_format: str | None = None,
    center: bool = False,
) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    if bold:
        cell.font = Font(bold=True)
    if number_format:
        cell.number_format = number_format
    if center:
        cell.alignment = Alignment(horizontal="center")
    return cell


def save_reproducible(wb: Workbook, path: Path, cutoff: dt.date = CUTOFF) -> None:
    """Save with fixed zip timestamps (same bytes each run), atomically.

    Other sessions may be reading the sample while it is regenerated, so the
    file appears whole or not at all.
    """
    stamp = exported_at(cutoff)
    core_stamp = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    buffer = io.BytesIO()
    wb.save(buffer)
    partial = path.with_name(path.name + ".part")
    with (
        zipfile.ZipFile(buffer) as src,
        zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for entry in src.infolist():
            data = src.read(entry.filename)
            if entry.filename == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", core_stamp, data)
            info = zipfile.ZipInfo(entry.filename, date_time=stamp.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, data)
    os.replace(partial, path)


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def write_guia(
    path: Path, rows: list[list], accounts: int, cutoff: dt.date = CUTOFF
) -> None:
    """Write the guía: title rows, header, data and the total row."""
    wb, ws = new_sheet("GUIA", cutoff)
    ws.append([styled(ws, COMPANY, bold=True)])
    ws.append(["GUIA DE USUARIOS ACTIVOS"])
    exported = exported_at(cutoff)
    ws.append([f"PERIODO FACTURACION: {cutoff:%Y%m}   FECHA CORTE: {cutoff:%d/%m/%Y}"])
    ws.append([f"Generado: {exported:%d/%m/%Y %H:%M:%S}  Usuario: SCOMERCIAL01"])
    ws.append([])
    ws.append([styled(ws, h, bold=True) for h in GUIA_HEADERS])
    ws.merged_cells.add("A1:Y1")

    date_col = GUIA_HEADERS.index("FECHA ALTA")
    for values in rows:
        if isinstance(values[date_col], dt.date):
            values = list(values)
            values[date_col] = styled(ws, values[date_col], number_format="dd/mm/yyyy")
        ws.append(values)

    ws.append([])
    ws.append([])
    ws.append(["TOTAL REGISTROS:", colombian_number(accounts * 100)])
    save_reproducible(wb, path, cutoff)
    logger.info("guía escrita: %s filas de datos, %s cuentas", len(rows), accounts)


def group_row(ws, row_number: int) -> list:
    """The header's first row: merged group labels over ages and concepts."""
    values: list = [None] * len(CARTERA_HEADERS)
    for label, columns in CARTERA_GROUPS:
        first = CARTERA_HEADERS.index(columns[0]) + 1
        last = CARTERA_HEADERS.index(columns[-1]) + 1
        values[first - 1] = styled(ws, label, bold=True, center=True)
        ws.merged_cells.add(
            f"{column_letter(first)}{row_number}:{column_letter(last)}{row_number}"
        )
    return values


def amount_cells(ws, values: list, bold: bool = False) -> list:
    return [
        styled(ws, v, bold=bold, number_format="#,##0") if not isinstance(v, str) else v
        for v in values
    ]


def write_cartera(
    path: Path, rows: list[tuple[str, list]], cutoff: dt.date = CUTOFF
) -> None:
    """Write the cartera rows, styling headers, dates, amounts and totals."""
    wb, ws = new_sheet("CARTERA", cutoff)
    first_amount = CARTERA_HEADERS.index(AMOUNT_COLUMNS[0])
    lines = 0
    for number, (kind, values) in enumerate(rows, start=1):
        if kind in ("titulo", "encabezado"):
            values = [styled(ws, v, bold=True) for v in values]
        elif kind == "grupos":
            values = group_row(ws, number)
        elif kind == "linea":
            date = styled(ws, values[first_amount - 1], number_format="dd/mm/yyyy")
            values = [
                *values[: first_amount - 1],
                date,
                *amount_cells(ws, values[first_amount:]),
            ]
            lines += 1
        elif kind == "total":
            gap = [None] * (first_amount - 1)
            cents = [excel_amount(c) for c in values[1:]]
            values = [
                styled(ws, values[0], bold=True),
                *gap,
                *amount_cells(ws, cents, bold=True),
            ]
        ws.append(values)
    save_reproducible(wb, path, cutoff)
    logger.info("cartera escrita: %s líneas en %s filas", lines, len(rows))


# --- Encuesta ----------------------------------------------------------------

CORREGIMIENTO_BARRIOS = (
    "El Centro",
    "La Fortuna",
    "El Llanito",
    "Meseta de San Rafael",
    "Ciénaga del Opón",
)
CHANNELS = ("Presencial oficina", "Punto de atención CPC", "Telefónica", "Brigada")
GROUPS = (
    "Víctima del conflicto",
    "Persona con discapacidad",
    "Grupo étnico",
    "Población migrante",
)
SURVEY_BLANK_ROWS = 12


def survey_comunas(rng: np.random.Generator) -> list[str]:
    """Comunas in proportion to users, plus about 1 % Corregimiento."""
    users = [sum(USERS[c]) for c in COMUNAS]
    corregimiento = 4
    counts = largest_remainder_counts(users, SURVEY_RESPONDENTS - corregimiento)
    labels = [f"Comuna {c}" for c, n in zip(COMUNAS, counts) for _ in range(n)]
    labels += ["Corregimiento"] * corregimiento
    return [labels[i] for i in rng.permutation(len(labels))]


def survey_barrio(rng: np.random.Generator, name: str) -> str | None:
    """Free text as respondents type it."""
    roll = rng.random()
    if roll < 0.04:
        return None
    if roll < 0.3:
        return name.lower()
    if roll < 0.45:
        return plain_upper(name)
    if roll < 0.5:
        return f"B/ {name}"
    return name + (" " if rng.random() < 0.1 else "")


def respondent(comuna: str, guia: pd.DataFrame, rng: np.random.Generator) -> dict:
    """One respondent's profile, drawn from an account of their comuna."""
    if comuna == "Corregimiento":
        estrato, uso = pick(rng, ("01", "02")), "01"
        barrio, matricula = pick(rng, CORREGIMIENTO_BARRIOS), None
    else:
        pool = guia.index[guia["comuna"] == int(comuna.split()[1])]
        acc = guia.loc[pick(rng, pool)]
        estrato, uso, barrio = acc["estrato"], acc["uso"], acc["barrio"]
        matricula = f"{acc['matricula']:07d}" if rng.random() < 0.12 else None

    tipo = {"01": "Residencial", "03": "Comercial", "08": "Oficial"}[uso]
    juridica = uso == "08" or (uso == "03" and rng.random() < 0.3)
    if uso == "01":
        estrato_answer = "No sabe" if rng.random() < 0.03 else str(int(estrato))
    else:
        estrato_answer = "No sabe" if rng.random() < 0.5 else pick(rng, "234")
    return {
        "comuna": comuna,
        "estrato": estrato_answer,
        "tipo": tipo,
        "persona": "Jurídica" if juridica else "Natural",
        "barrio": survey_barrio(rng, barrio),
        "matricula": matricula,
        "sexo": pick(
            rng,
            ("Femenino", "Masculino", "Otro", "Prefiere no responder"),
            p=(0.55, 0.42, 0.01, 0.02),
        ),
        "edad": pick(
            rng, ("18-28", "29-40", "41-59", "60 o más"), p=(0.18, 0.27, 0.35, 0.20)
        ),
        "educacion": pick(
            rng,
            (
                "Primaria",
                "Bachillerato",
                "Técnico-tecnológico",
                "Universitario",
                "Posgrado",
                "Ninguno",
            ),
            p=(0.22, 0.38, 0.2, 0.15, 0.03, 0.02),
        ),
        "grupo": population_group(rng),
        "canal": pick(rng, CHANNELS, p=(0.45, 0.2, 0.2, 0.15)),
    }


def population_group(rng: np.random.Generator) -> str:
    if rng.random() < 0.78:
        return "Ninguno"
    n = 1 if rng.random() < 0.85 else 2
    chosen = rng.choice(len(GROUPS), size=n, replace=False, p=(0.55, 0.2, 0.1, 0.15))
    return ", ".join(GROUPS[i] for i in sorted(chosen))


def blank_plan(rng: np.random.Generator) -> dict[str, set[int]]:
    """Which rows leave which question blank (about 3 % of rows)."""
    b = rng.choice(SURVEY_RESPONDENTS, size=SURVEY_BLANK_ROWS, replace=False).tolist()
    return {
        P1: set(b[0:10]),
        P2: set(),
        P3: set(b[10:12]),
        P4: set(b[3:10]),
        P5: {b[2]},
        P6: {b[0], b[11]},
        P7: {b[1], b[10]},
        P8: {b[4]},
        P9: {b[5]},
    }


def ranked_answers(
    valid: np.ndarray, score: np.ndarray, counts: Sequence[int], scale: Sequence[str]
) -> dict[int, str]:
    """Give the best answers to the highest scores, with exact counts."""
    order = valid[np.argsort(-score[valid], kind="stable")]
    labels = [
        label for label, n in zip(reversed(scale), reversed(counts)) for _ in range(n)
    ]
    return dict(zip(order.tolist(), labels))


def likert_answers(
    profiles: list[dict], blanks: dict[str, set[int]], rng: np.random.Generator
) -> dict[str, dict[int, str]]:
    """Answers of P1-P4 with exactly the counts in LIKERT_COUNTS."""
    n = len(profiles)
    bad_sewer = np.array([p["comuna"] in ("Comuna 3", "Comuna 7") for p in profiles])
    answers = {}
    for question, counts in LIKERT_COUNTS.items():
        valid = np.array([i for i in range(n) if i not in blanks[question]])
        score = rng.logistic(size=n)
        if question == P4:
            score -= 1.2 * bad_sewer
        scale = SATISFACTION if question == P1 else RATING
        answers[question] = ranked_answers(valid, score, counts, scale)
    return answers


def payment_answers(
    profiles: list[dict], blanks: dict[str, set[int]], rng: np.random.Generator
) -> dict[str, dict[int, str]]:
    """P6 and P7: exactly 231 of the 396 who answer both do not know or use."""
    n = len(profiles)
    age = {"18-28": -0.8, "29-40": -0.5, "41-59": 0.3, "60 o más": 1.2}
    low = {"1": 0.4, "2": 0.3, "No sabe": 0.2}
    score = np.array(
        [age[p["edad"]] + low.get(p["estrato"], -0.6) for p in profiles]
    ) + rng.logistic(size=n)
    both = np.array(
        [i for i in range(n) if i not in blanks[P6] and i not in blanks[P7]]
    )
    order = both[np.argsort(-score[both], kind="stable")]
    p6 = {int(i): "No" for i in order[:P6_NO]}
    p6 |= {int(i): "Sí" for i in order[P6_NO:]}
    p7 = {int(i): "No, nunca" for i in order[:P6_NO]}

    knowers = order[P6_NO:]
    never = set(
        rng.choice(knowers, size=P7_NEVER_AMONG_KNOWERS, replace=False).tolist()
    )
    for i in knowers.tolist():
        p7[i] = (
            "No, nunca"
            if i in never
            else pick(rng, ("Sí, frecuentemente", "Sí, algunas veces"), p=(0.4, 0.6))
        )
    for i in blanks[P6]:
        p7[i] = pick(rng, ("Sí, algunas veces", "No, nunca"))
    for i in blanks[P7]:
        p6[i] = pick(rng, ("Sí", "No"))
    return {P6: p6, P7: p7}


def payment_channel(rng: np.random.Generator, p7: str | None) -> str:
    if p7 == "No, nunca":
        return pick(
            rng,
            ("Oficinas de la empresa", "Bancos y corresponsales", "Otro"),
            p=(0.55, 0.4, 0.05),
        )
    return pick(
        rng,
        (
            "PSE en la página web",
            "App bancaria o billetera digital",
            "Bancos y corresponsales",
            "Oficinas de la empresa",
        ),
        p=(0.35, 0.38, 0.17, 0.10),
    )


def messy_likert(rng: np.random.Generator, label: str, scale: Sequence[str]):
    """About 10 % as the digit of its position; some case and space noise."""
    roll = rng.random()
    if roll < 0.10:
        return scale.index(label) + 1
    if roll < 0.14:
        return label.lower()
    if roll < 0.16:
        return label.upper()
    if roll < 0.19:
        return label + " "
    return label


def messy_choice(rng: np.random.Generator, label: str) -> str:
    roll = rng.random()
    if roll < 0.06:
        return label.replace("Sí", "Si")
    if roll < 0.09:
        return label.lower()
    if roll < 0.11:
        return label + " "
    return label


def survey_timestamps(rng: np.random.Generator) -> list[str]:
    """Sorted form timestamps (first cuatrimestre 2025); two repeat."""
    start = dt.datetime(2025, 1, 13, 7, 0)
    days = [start + dt.timedelta(days=d) for d in range(108)]
    workdays = [d for d in days if d.weekday() < 6]
    stamps = sorted(
        pick(rng, workdays) + dt.timedelta(seconds=int(rng.integers(0, 37_800)))
        for _ in range(SURVEY_RESPONDENTS)
    )
    for i in rng.choice(np.arange(1, SURVEY_RESPONDENTS - 1, 3), size=2, replace=False):
        stamps[int(i) + 1] = stamps[int(i)]
    return [f"{s:%d/%m/%Y} {s.hour}:{s:%M:%S}" for s in stamps]


PROFILE_KEYS = (
    "canal",
    "matricula",
    "comuna",
    "barrio",
    "estrato",
    "tipo",
    "persona",
    "sexo",
    "edad",
    "educacion",
    "grupo",
)


def survey_replies(
    i: int, answers: dict[str, dict[int, str]], rng: np.random.Generator
) -> dict[str, object]:
    """One respondent's answers to the nine questions, with messiness."""
    replies: dict[str, object] = {}
    for question, scale in (
        (P1, SATISFACTION),
        (P2, RATING),
        (P3, RATING),
        (P4, RATING),
    ):
        label = answers[question].get(i)
        replies[question] = messy_likert(rng, label, scale) if label else None

    p6, p7 = answers[P6].get(i), answers[P7].get(i)
    replies[P5] = pick(rng, ("Sí", "No"), p=(0.28, 0.72))
    replies[P6] = p6 and messy_choice(rng, p6)
    replies[P7] = p7 and messy_choice(rng, p7)
    replies[P8] = payment_channel(rng, p7)
    replies[P9] = pick(rng, ("Sí", "No"), p=(0.85, 0.15))
    return replies


def build_encuesta(guia: pd.DataFrame, rng: np.random.Generator) -> list[list]:
    """Return the survey's rows (without the header)."""
    profiles = [respondent(c, guia, rng) for c in survey_comunas(rng)]
    blanks = blank_plan(rng)
    answers = likert_answers(profiles, blanks, rng)
    answers |= payment_answers(profiles, blanks, rng)

    rows = []
    for i, (stamp, profile) in enumerate(zip(survey_timestamps(rng), profiles)):
        replies = survey_replies(i, answers, rng)
        for question in (P5, P8, P9):
            if i in blanks[question]:
                replies[question] = None
        if i == min(blanks[P1]):
            replies[P1] = " "  # blank once normalized
        observation = pick(rng, OBSERVATIONS) if rng.random() < 0.25 else None
        rows.append(
            [
                stamp,
                i + 1,
                *(profile[k] for k in PROFILE_KEYS),
                *(replies[q] for q in QUESTIONS),
                observation,
            ]
        )
    return rows


def write_encuesta(path: Path, rows: list[list]) -> None:
    wb, ws = new_sheet("Respuestas de formulario 1")
    ws.append(list(ENCUESTA_HEADERS))
    for row in rows:
        ws.append(row)
    save_reproducible(wb, path)
    logger.info("encuesta escrita: %s respuestas", len(rows))


# --- Earlier months ----------------------------------------------------------
# February to June are derived from July's accounts (sample_history walks
# them back) with generators of their own, so July's stream is untouched.

HISTORY_SEED = (SEED, 1)


def month_seed(month: int, part: int) -> tuple[int, ...]:
    """The seed of one earlier month's file (part 0: guía, 1: cartera)."""
    return (SEED, 2, month, part)


def guia_file(month: int) -> str:
    return f"guia_usuarios_{history.MONTHS[month]}.xlsx"


def cartera_file(month: int) -> str:
    return f"cartera_{history.MONTHS[month]}.xlsx"


def new_matriculas(guia: pd.DataFrame, n: int, rng: np.random.Generator) -> np.ndarray:
    """Account numbers used by no July account (nor the orphan)."""
    used = np.append(guia["matricula"].to_numpy(), guia.attrs["orphan_matricula"])
    free = np.setdiff1d(np.arange(1_000, 1_400_000), used)
    return rng.choice(free, size=n, replace=False)


def build_retired(guia: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Accounts retired between February and June, each beside a July neighbour.

    They share the neighbour's comuna, estrato, barrio and route; the person,
    the property and the account number are their own.
    """
    last = np.repeat(
        np.arange(len(history.PLAN)), [p.retiros for p in history.PLAN.values()]
    )
    neighbours = np.sort(rng.choice(len(guia), size=len(last), replace=False))
    place = ["comuna", "estrato", "barrio_idx", "barrio", "uso", "informal"]
    retired = guia.loc[neighbours, [*place, "ciclo", "ruta_n", "consec"]]
    retired = retired.reset_index(drop=True)
    retired["consec"] += 1
    retired["order"] = neighbours + 0.5
    retired["last"] = rng.permutation(last)

    retired["matricula"] = new_matriculas(guia, len(retired), rng)
    retired = person_fields(retired, rng)
    retired = property_fields(retired, rng)
    too_recent = [d > dt.date(2024, 12, 31) for d in retired["fecha_alta"]]
    retired.loc[too_recent, "fecha_alta"] = [
        d.replace(year=d.year - 6) for d in retired.loc[too_recent, "fecha_alta"]
    ]
    retired["bill"] = [
        monthly_bill(e, c) for e, c in zip(retired["estrato"], retired["consumo"])
    ]
    return retired


def july_balances(lines: list[Line], size: int) -> tuple[np.ndarray, np.ndarray]:
    """Each guía account's net balance and días (of its oldest positive line)."""
    frame = pd.DataFrame(
        [(ln.account, ln.cents, ln.dias) for ln in lines if ln.account >= 0],
        columns=["account", "cents", "dias"],
    )
    cents = frame.groupby("account")["cents"].sum()
    dias = frame[frame["cents"] > 0].groupby("account")["dias"].max()
    return (
        cents.reindex(range(size), fill_value=0).to_numpy(np.int64),
        dias.reindex(range(size), fill_value=0).to_numpy(np.int64),
    )


def july_state(
    frame: pd.DataFrame, guia_size: int, lines: list[Line]
) -> history.MonthState:
    """July as the walk starts from it: the guía's accounts and balances."""
    state = history.empty_state(history.JULY, len(frame))
    state.present[:guia_size] = True
    state.estado[:guia_size] = frame["estado"].to_numpy()[:guia_size]
    cents, dias = july_balances(lines, guia_size)
    state.cents[:guia_size] = cents
    state.dias[:guia_size] = dias
    kept = frame["role"].isin(["favor", "cero"]).to_numpy()
    state.role = history.roles(
        state.cents, state.dias, np.where(kept, frame["role"], "")
    )
    return state


def comuna_estrato_cells(frame: pd.DataFrame) -> np.ndarray:
    """Number each account's comuna × estrato cell."""
    comuna = frame["comuna"].map(COMUNAS.index).to_numpy()
    estrato = frame["estrato"].map(ESTRATOS.index).to_numpy()
    return comuna * len(ESTRATOS) + estrato


def make_universe(frame: pd.DataFrame, july: history.MonthState) -> history.Universe:
    """What the walk needs of every account."""
    alta = np.array(frame["fecha_alta"].tolist(), dtype="datetime64[D]")
    debt_days = np.where(july.cents > 0, july.dias, 0)
    first = history.first_months(alta, debt_days)
    first[frame["last"].to_numpy() < history.JULY] = 0
    return history.Universe(
        estrato=frame["estrato"].to_numpy(),
        bill=frame["bill"].to_numpy(dtype=float),
        alta=alta,
        cell=comuna_estrato_cells(frame),
        first=first,
        last=frame["last"].to_numpy(),
        established=first == 0,
    )


def build_history(
    guia: pd.DataFrame, lines: list[Line]
) -> tuple[pd.DataFrame, list[history.MonthState]]:
    """Return every account (July's and retired) and its state in each month."""
    rng = np.random.default_rng(HISTORY_SEED)
    frame = guia.assign(order=np.arange(len(guia), dtype=float), last=history.JULY)
    frame = pd.concat([frame, build_retired(guia, rng)], ignore_index=True)
    frame.attrs = dict(guia.attrs)
    july = july_state(frame, len(guia), lines)
    states = history.walk_back(july, make_universe(frame, july), rng)
    for state in states:
        log_month(state)
    return frame, states


def log_month(state: history.MonthState) -> None:
    owing = state.present & (state.cents > 0)
    moroso = state.role == history.MOROSO
    logger.info(
        "%s: %s cuentas en la guía, %s morosos, cartera morosa %s, 0-30: %s",
        state.periodo,
        int(state.present.sum()),
        int(moroso.sum()) + 1,
        colombian_number(int(state.cents[moroso].sum()) + ORPHAN.pesos * 100),
        int((owing & (state.dias <= 30)).sum()),
    )


def month_accounts(frame: pd.DataFrame, state: history.MonthState) -> pd.DataFrame:
    """The month's guía accounts in reading order, with estado and role."""
    month = frame.assign(
        estado=state.estado, role=state.role, cents=state.cents, dias=state.dias
    )
    month = month[state.present].sort_values("order", ignore_index=True)
    month.attrs = dict(frame.attrs)
    return month


def orphan_line(cutoff: dt.date) -> Line:
    """The orphan, retired long ago, owes the same; its días follow the calendar."""
    return Line(-1, ORPHAN.pesos * 100, ORPHAN.dias - (CUTOFF - cutoff).days)


def month_lines(
    month: pd.DataFrame, cutoff: dt.date, rng: np.random.Generator
) -> list[Line]:
    """Every cartera line of an earlier month."""
    frames = {
        role: month.loc[month["role"] == role, ["cents", "dias"]]
        for role in ("moroso", "corriente", "favor")
    }
    lines = balance_lines(month, frames, rng)
    return lines + [orphan_line(cutoff)]


def write_month_guia(
    out_dir: Path, frame: pd.DataFrame, state: history.MonthState
) -> None:
    rng = np.random.default_rng(month_seed(state.month, 0))
    month = month_accounts(frame, state)
    write_guia(
        out_dir / guia_file(state.month),
        guia_rows(month, rng),
        len(month),
        state.cutoff,
    )


def write_month_cartera(
    out_dir: Path, frame: pd.DataFrame, state: history.MonthState
) -> None:
    rng = np.random.default_rng(month_seed(state.month, 1))
    month = month_accounts(frame, state)
    lines = month_lines(month, state.cutoff, rng)
    info = account_info(month, rng)
    rows = cartera_rows(lines, info, rng, state.cutoff)
    write_cartera(out_dir / cartera_file(state.month), rows, state.cutoff)


# --- Main --------------------------------------------------------------------


def build_lines(guia: pd.DataFrame, rng: np.random.Generator) -> list[Line]:
    """Decide who owes what, then return every cartera line."""
    assign_roles(guia, rng)
    mor = build_morosos(guia, rng)
    guia["edad"] = ""
    guia.loc[mor.index, "edad"] = [EDADES[b] for b in mor["bucket"]]
    assign_estado(guia, rng)
    frames = {
        "moroso": mor,
        "corriente": build_current(guia, rng),
        "favor": build_favor(guia, rng),
    }
    lines = balance_lines(guia, frames, rng)
    return lines + [Line(-1, ORPHAN.pesos * 100, ORPHAN.dias)]


def write_cartera_and_encuesta(out_dir: Path, cartera: list, encuesta: list) -> None:
    write_cartera(out_dir / CARTERA_FILE, cartera)
    write_encuesta(out_dir / ENCUESTA_FILE, encuesta)


def run_jobs(jobs: list[tuple[Callable, tuple]], workers: int) -> None:
    """Run the jobs in forked processes, `workers` at a time, in list order.

    openpyxl without lxml writes some 40,000 cells a second, so writing the
    twelve workbooks side by side matters; put the longest jobs first.
    Without fork (Windows) the jobs run in turn.
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        for function, args in jobs:
            function(*args)
        return

    context = multiprocessing.get_context("fork")
    pending, running, failed = list(jobs), [], 0
    while pending or running:
        while pending and len(running) < workers:
            function, args = pending.pop(0)
            running.append(context.Process(target=function, args=args))
            running[-1].start()
        ended = multiprocessing.connection.wait([c.sentinel for c in running])
        for child in [c for c in running if c.sentinel in ended]:
            child.join()
            running.remove(child)
            failed += child.exitcode != 0
    if failed:
        raise RuntimeError("a writer process failed; see the log above")


def check_reference_tables() -> None:
    """Fail early if the tables at the top were edited inconsistently."""
    if sum(map(sum, USERS.values())) != TOTAL_USERS:
        raise ValueError("USERS does not add up to the active users")
    for targets in (ESTRATO_CENTAVOS.values(), COMUNA_CENTAVOS.values(), EDAD_CENTAVOS):
        if sum(targets) != TOTAL_CENTAVOS:
            raise ValueError("a debt table does not add up to the cartera morosa")


def generate(out_dir: Path, workers: int = 2) -> None:
    """Write the sample files into `out_dir`: July and the five months before."""
    check_reference_tables()
    rng = np.random.default_rng(SEED)
    out_dir.mkdir(parents=True, exist_ok=True)
    guia = build_guia(rng)
    lines = build_lines(guia, rng)
    info = account_info(guia, rng)

    guia_data = guia_rows(guia, rng)
    cartera = cartera_rows(lines, info, rng)
    encuesta = build_encuesta(guia, rng)
    frame, states = build_history(guia, lines)
    logger.info("datos listos; escribiendo los archivos")
    earlier = states[:-1]
    run_jobs(
        [
            (write_guia, (out_dir / GUIA_FILE, guia_data, len(guia))),
            *((write_month_guia, (out_dir, frame, s)) for s in earlier),
            (write_cartera_and_encuesta, (out_dir, cartera, encuesta)),
            *((write_month_cartera, (out_dir, frame, s)) for s in earlier),
        ],
        workers,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, help="folder for the sample files")
    parser.add_argument(
        "--procesos",
        type=int,
        default=min(4, os.cpu_count() or 1),
        help="workbooks written at a time (default: the cores, up to 4)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    started = time.perf_counter()
    generate(args.out_dir, max(1, args.procesos))
    logger.info(
        "muestra generada en %s (%.1f s)", args.out_dir, time.perf_counter() - started
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
