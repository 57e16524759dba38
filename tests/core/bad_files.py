"""A folder with one file of each kind the office may be given.

`build_folder` writes a small good month (guía and cartera) and, beside
it, one file of every bad or odd kind; `KINDS` says what each must give.
The month's figures are small enough to count by hand:

    guía: 4 active accounts (1001..1004); cartera: 1001 at 45 días owing
    $ 100.000, 1002 at 10 días owing $ 50.000, 1003 at 200 días owing
    $ 300.000,50. Morosos (31 días or more): 1001 and 1003, so 2 of 4
    (50,0 %) with $ 400.000,50 of cartera morosa.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import openpyxl

DATA = Path(__file__).resolve().parents[1] / "data"
ENCRYPTED = DATA / "guia_con_clave.xlsx"
ENCRYPTED_PASSWORD = "clave123"

GUIA_HEADER = ["MATRICULA", "NOMBRE", "DOCUMENTO", "DIRECCION", "TELEFONO",
               "ESTRATO", "COMUNA", "USO", "ESTADO"]
GUIA_ROWS = [
    ["1001", "ANA MUÑOZ", "63501234", "CL 45 # 12-30", "3157770011",
     "01", "1", "01", "ACTIVO"],
    ["1002", "LUIS PEÑA", "91222333", "KR 27 # 8-15", "6076431122",
     "02", "1", "01", "ACTIVO"],
    ["1003", "JOSÉ RÍOS", "1098765432", "AV QUEBRADASECA 3-40", "3009998877",
     "03", "2", "01", "ACTIVO"],
    ["1004", "EVA GÓMEZ", "37111222", "CL 100 # 1-01", "3205554433",
     "01", "2", "03", "ACTIVO"],
]
# The personal data in the month: never in the log nor the audit file.
PERSONAL = [value for row in GUIA_ROWS for value in row[1:5]]
CARTERA_HEADER = ["MATRICULA", "DIAS MORA", "SALDO TOTAL"]
CARTERA_ROWS = [["1001", 45, 100000], ["1002", 10, 50000], ["1003", 200, 300000.5]]

# What the good month prints (counted by hand, see the docstring).
GOOD_SUMMARY = (
    "4 usuarios activos, 2 morosos (50,0 %), cartera morosa $ 400.001"
)


@dataclass(frozen=True)
class Kind:
    """One kind of file: where it goes and what it must give."""

    name: str
    role: str  # the option it is given to: usuarios or cartera
    loads: bool  # True: the month loads with the good figures
    message: str = ""  # part of the Spanish message (or warning) expected


KINDS = [
    Kind("pdf_renombrado", "usuarios", False, "no es una hoja de cálculo"),
    Kind("danado", "usuarios", False, "está dañado"),
    Kind("con_clave", "usuarios", False, "protegido con contraseña"),
    Kind("bloqueado", "usuarios", False, "está abierto en otro programa"),
    Kind("temporal_excel", "usuarios", False, "archivo temporal de Excel"),
    Kind("vacio", "usuarios", False, "está vacío"),
    Kind("sin_encabezado", "usuarios", False,
         "No se encontró ninguna fila de encabezados reconocible"),
    Kind("solo_ocultas", "usuarios", False, "solo tiene hojas ocultas"),
    Kind("cartera_por_guia", "usuarios", False,
         "parece ser la conciliación de cartera, no la guía de usuarios"),
    Kind("muy_grande", "usuarios", False, "mucho más grande de lo esperado"),
    Kind("columna_dudosa", "usuarios", False, "podrían ser ambas"),
    Kind("formato_desconocido", "usuarios", False,
         "no se encontraron las columnas"),
    Kind("valores_ilegibles", "cartera", True, "no se pudieron leer"),
    Kind("xls_real", "usuarios", True),
    Kind("xls_html", "cartera", True),
    Kind("csv_windows", "usuarios", True),
    Kind("fechas_seriales", "usuarios", True),
]

FILE_NAMES = {
    "pdf_renombrado": "guia_2025-07_pdf.xlsx",
    "danado": "guia_2025-07_danada.xlsx",
    "con_clave": "guia_2025-07_clave.xlsx",
    "bloqueado": "guia_2025-07_abierta.xlsx",
    "temporal_excel": "~$guia_2025-07.xlsx",
    "vacio": "guia_2025-07_vacia.xlsx",
    "sin_encabezado": "guia_2025-07_notas.xlsx",
    "solo_ocultas": "guia_2025-07_oculta.xlsx",
    "cartera_por_guia": "cartera_2025-07_como_guia.xlsx",
    "muy_grande": "guia_2025-07_enorme.csv",
    "columna_dudosa": "guia_2025-07_dos_cuentas.xlsx",
    "formato_desconocido": "guia_2025-07_otro_formato.xlsx",
    "valores_ilegibles": "cartera_2025-07_ilegible.xlsx",
    "xls_real": "guia_2025-07_vieja.xls",
    "xls_html": "cartera_2025-07_web.xls",
    "csv_windows": "guia_2025-07_windows.csv",
    "fechas_seriales": "guia_corte_serial.xlsx",
}

# The answers the officer (or --mapa-columnas) gives for the two layouts
# the aliases cannot place.
MAPPINGS = {
    "columna_dudosa": {"cuenta": "MATRICULA"},
    "formato_desconocido": {
        "cuenta": "ID PREDIO", "estrato": "NIVEL", "comuna": "ZONA URBANA",
    },
}
# Rows (sheet numbering) of the unreadable amounts in valores_ilegibles.
UNREADABLE_ROWS = [3, 4]
# The "muy_grande" file is only large against this limit (bytes).
SMALL_LIMIT = 2_000


def write_xlsx(path: Path, rows: list[list], title: list[list] = ()) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Hoja1"
    for row in [*title, *rows]:
        sheet.append(list(row))
    book.save(path)
    return path


def good_guia(folder: Path) -> Path:
    return write_xlsx(folder / "guia_2025-07.xlsx", [GUIA_HEADER, *GUIA_ROWS])


def good_cartera(folder: Path) -> Path:
    return write_xlsx(
        folder / "cartera_2025-07.xlsx", [CARTERA_HEADER, *CARTERA_ROWS]
    )


def build_folder(folder: Path) -> dict[str, Path]:
    """Write the good month and one file of each kind; return kind -> path."""
    folder.mkdir(parents=True, exist_ok=True)
    guia, cartera = good_guia(folder), good_cartera(folder)
    files = {"guia": guia, "cartera": cartera}
    for kind in KINDS:
        path = folder / FILE_NAMES[kind.name]
        WRITERS[kind.name](path, guia, cartera)
        files[kind.name] = path
    return files


# --- the writers, one per kind ------------------------------------------


def _pdf(path: Path, guia: Path, cartera: Path) -> None:
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< >>\nendobj\n")


def _damaged(path: Path, guia: Path, cartera: Path) -> None:
    data = guia.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _encrypted(path: Path, guia: Path, cartera: Path) -> None:
    shutil.copyfile(ENCRYPTED, path)


def _copy(path: Path, guia: Path, cartera: Path) -> None:
    shutil.copyfile(guia, path)


def _lock_file(path: Path, guia: Path, cartera: Path) -> None:
    # What Excel writes: the user's name padded, in a tiny binary file.
    path.write_bytes(b"\x05ANA  " + b"\x20" * 48 + b"\x00" * 110)


def _empty(path: Path, guia: Path, cartera: Path) -> None:
    path.write_bytes(b"")


def _notes(path: Path, guia: Path, cartera: Path) -> None:
    write_xlsx(path, [["Informe de gestión"], ["Pendiente", "revisar"],
                      [1, 2, 3]])


def _hidden(path: Path, guia: Path, cartera: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Datos"
    for row in [GUIA_HEADER, *GUIA_ROWS]:
        sheet.append(row)
    book.create_sheet("Otra").append(["x"])
    book.save(path)
    _hide_every_sheet(path)


def _hide_every_sheet(path: Path) -> None:
    """openpyxl keeps one sheet visible; hide it in the workbook's XML."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    workbook = parts["xl/workbook.xml"].decode()
    workbook = workbook.replace('state="visible"', "")
    workbook = re.sub(r"<sheet (?![^>]*state=)", '<sheet state="hidden" ', workbook)
    parts["xl/workbook.xml"] = workbook.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def _cartera_as_guia(path: Path, guia: Path, cartera: Path) -> None:
    shutil.copyfile(cartera, path)


def _large_csv(path: Path, guia: Path, cartera: Path) -> None:
    lines = [";".join(GUIA_HEADER)] + [
        ";".join(row) for row in GUIA_ROWS * 20
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    assert path.stat().st_size > SMALL_LIMIT


def _two_accounts(path: Path, guia: Path, cartera: Path) -> None:
    header = ["MATRICULA", "CODIGO", *GUIA_HEADER[1:]]
    rows = [[r[0], f"C-{r[0]}", *r[1:]] for r in GUIA_ROWS]
    write_xlsx(path, [header, *rows])


def _unknown_layout(path: Path, guia: Path, cartera: Path) -> None:
    header = ["ID PREDIO", "TITULAR", "CEDULA", "DIRECCION", "TELEFONO",
              "NIVEL", "ZONA URBANA", "USO", "ESTADO"]
    write_xlsx(path, [header, *GUIA_ROWS])


def _unreadable(path: Path, guia: Path, cartera: Path) -> None:
    rows = [CARTERA_HEADER, ["1001", 45, 100000], ["1002", 10, "cincuenta"],
            ["1004", 60, "N/D"], ["1003", 200, 300000.5]]
    write_xlsx(path, rows)


def _real_xls(path: Path, guia: Path, cartera: Path) -> None:
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("GUIA")
    for r, row in enumerate([GUIA_HEADER, *GUIA_ROWS]):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.save(str(path))


def _html_xls(path: Path, guia: Path, cartera: Path) -> None:
    def row(cells: list, tag: str = "td") -> str:
        return "<tr>" + "".join(f"<{tag}>{c}</{tag}>" for c in cells) + "</tr>"

    amounts = [[r[0], r[1], f"{r[2]:,.2f}".replace(",", "_").replace(
        ".", ",").replace("_", ".")] for r in CARTERA_ROWS]
    body = row(CARTERA_HEADER, "th") + "".join(row(r) for r in amounts)
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; '
        'charset=utf-8"></head><body><table border="1">'
        f'<tr><td colspan="3">CONCILIACI&Oacute;N DE CARTERA</td></tr>{body}'
        "</table></body></html>"
    )
    path.write_text(html, encoding="utf-8")


def _windows_csv(path: Path, guia: Path, cartera: Path) -> None:
    lines = [";".join(GUIA_HEADER)] + [";".join(r) for r in GUIA_ROWS]
    path.write_bytes("\r\n".join(lines).encode("cp1252"))


def _serial_dates(path: Path, guia: Path, cartera: Path) -> None:
    # 45869 is 2025-07-31 as Excel counts days; the name has no period.
    title = [["GUIA DE USUARIOS"], ["FECHA DE CORTE:", 45869]]
    write_xlsx(path, [GUIA_HEADER, *GUIA_ROWS], title)


WRITERS = {
    "pdf_renombrado": _pdf,
    "danado": _damaged,
    "con_clave": _encrypted,
    "bloqueado": _copy,
    "temporal_excel": _lock_file,
    "vacio": _empty,
    "sin_encabezado": _notes,
    "solo_ocultas": _hidden,
    "cartera_por_guia": _cartera_as_guia,
    "muy_grande": _large_csv,
    "columna_dudosa": _two_accounts,
    "formato_desconocido": _unknown_layout,
    "valores_ilegibles": _unreadable,
    "xls_real": _real_xls,
    "xls_html": _html_xls,
    "csv_windows": _windows_csv,
    "fechas_seriales": _serial_dates,
}


def encrypt_workbook(source: Path, target: Path, password: str) -> None:
    """Write `source` encrypted with `password` (needs msoffcrypto-tool)."""
    import msoffcrypto.format.ooxml as ooxml

    with open(source, "rb") as plain, open(target, "wb") as out:
        ooxml.OOXMLFile(plain).encrypt(password, out)

