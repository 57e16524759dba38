"""The product's exceptions and their Spanish wording.

Every problem the user can do something about is a `CaracterizacionError`.
Each carries the data (file, sheet, field, rows) that the GUI and the CLI
need, and `mensaje()` words it in Spanish; the wording lives only here.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from core.formatting import fmt_month


class CaracterizacionError(Exception):
    """Root of every expected error of the product."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else None
        super().__init__(self.mensaje())

    @property
    def archivo(self) -> str:
        return f"«{self.path.name}»" if self.path else "el archivo"

    def mensaje(self) -> str:
        return f"No se pudo usar {self.archivo}."


class ReadError(CaracterizacionError):
    """A file that cannot be read as a table at all."""

    REASONS = {
        "no_existe": "no existe o no se puede abrir.",
        "vacio": "está vacío.",
        "sin_datos": "no tiene filas de datos debajo de los encabezados.",
        "no_es_hoja": (
            "no es una hoja de cálculo ni un CSV (¿un PDF o una imagen "
            "renombrada?)."
        ),
        "danado": "está dañado y no se puede leer.",
        "contrasena": (
            "está protegido con contraseña. Ábralo en Excel, quite la "
            "contraseña y guárdelo de nuevo."
        ),
        "bloqueado": (
            "está abierto en otro programa. Ciérrelo (por ejemplo en Excel) "
            "y vuelva a intentarlo."
        ),
        "archivo_temporal": (
            "es un archivo temporal de Excel (~$), no los datos. Elija el "
            "archivo original."
        ),
        "solo_ocultas": (
            "solo tiene hojas ocultas. Muestre la hoja con los datos en "
            "Excel o elíjala explícitamente."
        ),
        "html": (
            "es una página web (HTML) sin ninguna tabla de datos. Ábralo en "
            "Excel y guárdelo como «Libro de Excel (.xlsx)»."
        ),
        "sin_hoja": "no tiene la hoja indicada.",
        "muy_grande": (
            "es mucho más grande de lo esperado para un archivo del mes y no "
            "se lee. Revise que sea el archivo correcto"
        ),
        "memoria": (
            "es demasiado grande para la memoria de este equipo. Cierre otros "
            "programas o divídalo"
        ),
    }

    def __init__(self, path: Path | str | None, reason: str, detail: str = ""):
        self.reason = reason
        self.detail = detail
        super().__init__(path)

    def mensaje(self) -> str:
        text = self.REASONS.get(self.reason, "no se puede leer.")
        if text.endswith("."):
            extra = f" ({self.detail})" if self.detail else ""
            return f"El archivo {self.archivo} {text}{extra}"
        extra = f" ({self.detail})" if self.detail else ""
        return f"El archivo {self.archivo} {text}{extra}."


class ColumnMappingError(CaracterizacionError):
    """The file's columns need an answer: which one is each field.

    Besides the message, it carries what a dialog needs to ask: every
    header of the chosen row (`all_headers`, "" for empty cells), the
    first data rows as text (`preview`), the fields to ask about with
    their candidate headers (`questions`, an empty list: any column) and
    the layout's key (`layout`), under which the answer is remembered.
    """

    def __init__(
        self,
        path: Path | str | None,
        role: str,
        sheet: str | None = None,
        context: MappingContext | None = None,
    ) -> None:
        self.role = role
        self.sheet = sheet
        context = context or MappingContext()
        self.all_headers = list(context.all_headers)
        self.preview = [list(row) for row in context.preview]
        self.questions = {k: list(v) for k, v in context.questions.items()}
        self.layout = context.layout
        super().__init__(path)


class MappingContext:
    """What the loader saw of a file whose columns need an answer."""

    def __init__(
        self,
        all_headers: Sequence[str] = (),
        preview: Sequence[Sequence[str]] = (),
        questions: dict[str, list[str]] | None = None,
        layout: str = "",
    ) -> None:
        self.all_headers = list(all_headers)
        self.preview = [list(row) for row in preview]
        self.questions = dict(questions or {})
        self.layout = layout


class MissingFieldError(ColumnMappingError):
    """No sheet of the file has a header with the required fields."""

    def __init__(
        self,
        path: Path | str | None,
        role: str,
        missing: Sequence[str],
        headers: Sequence[str] = (),
        sheet: str | None = None,
        context: MappingContext | None = None,
    ) -> None:
        self.missing = list(missing)
        self.headers = [h for h in headers if h]
        super().__init__(path, role, sheet, context)

    def mensaje(self) -> str:
        role = ROLE_NAMES.get(self.role, self.role)
        fields = ", ".join(f"«{FIELD_NAMES.get(f, f)}»" for f in self.missing)
        where = f" (hoja «{self.sheet}»)" if self.sheet else ""
        found = ", ".join(f"«{h}»" for h in self.headers[:25])
        if len(self.missing) == 1:
            what = f"no se encontró la columna {fields}, necesaria"
        else:
            what = f"no se encontraron las columnas {fields}, necesarias"
        text = f"En {self.archivo}{where} {what} para la {role}."
        if found:
            text += f" Columnas encontradas: {found}."
        else:
            text += " No se encontró ninguna fila de encabezados reconocible."
        return text + f" Indique qué columna es cada una {MAPPING_HINT}."


class AmbiguousColumnError(ColumnMappingError):
    """Two or more columns could be the same field: the user must choose."""

    def __init__(
        self,
        path: Path | str | None,
        role: str,
        field: str,
        candidates: Sequence[str],
        sheet: str | None = None,
        context: MappingContext | None = None,
    ) -> None:
        self.field = field
        self.candidates = list(candidates)
        super().__init__(path, role, sheet, context)

    def mensaje(self) -> str:
        options = " y ".join(f"«{c}»" for c in self.candidates)
        return (
            f"En {self.archivo} las columnas {options} podrían ser ambas "
            f"«{FIELD_NAMES.get(self.field, self.field)}». Indique cuál usar "
            f"{MAPPING_HINT}."
        )


class UnknownHeaderError(ColumnMappingError):
    """A column mapping names a header the file does not have."""

    def __init__(
        self,
        path: Path | str | None,
        role: str,
        field: str,
        header: str,
        sheet: str | None = None,
        context: MappingContext | None = None,
    ) -> None:
        self.field = field
        self.header = header
        super().__init__(path, role, sheet, context)

    def mensaje(self) -> str:
        found = ", ".join(f"«{h}»" for h in self.all_headers if h)
        text = (
            f"El mapa de columnas indica «{self.header}» para "
            f"«{FIELD_NAMES.get(self.field, self.field)}», pero {self.archivo} "
            "no tiene esa columna."
        )
        return text + (f" Columnas del archivo: {found}." if found else "")


class WrongRoleError(CaracterizacionError):
    """The file looks like another of the month's files."""

    def __init__(self, path: Path | str | None, expected: str, found: str) -> None:
        self.expected = expected
        self.found = found
        super().__init__(path)

    def mensaje(self) -> str:
        return (
            f"El archivo {self.archivo} parece ser la "
            f"{ROLE_NAMES.get(self.found, self.found)}, no la "
            f"{ROLE_NAMES.get(self.expected, self.expected)}."
        )


class ConfigError(CaracterizacionError):
    """A settings or column-mapping file that cannot be used."""

    def __init__(self, path: Path | str | None, detail: str) -> None:
        self.detail = detail
        super().__init__(path)

    def mensaje(self) -> str:
        return (
            f"El archivo de configuración {self.archivo} no es válido: "
            f"{self.detail}"
        )


class ExportError(CaracterizacionError):
    """An output file that could not be written."""

    def __init__(self, path: Path | str | None, detail: str) -> None:
        self.detail = detail
        super().__init__(path)

    def mensaje(self) -> str:
        return f"No se pudo escribir {self.archivo}: {self.detail}"


class CancelledError(CaracterizacionError):
    """The user cancelled a long operation."""

    def mensaje(self) -> str:
        return "Operación cancelada."


# Where the user answers which column is which.
MAPPING_HINT = (
    "al cargarlo en la aplicación, o con un mapa de columnas "
    "(--mapa-columnas) en la línea de comandos"
)

# How the loader's field names read in messages.
FIELD_NAMES = {
    "cuenta": "cuenta (matrícula)",
    "deuda": "deuda (saldo total o sus componentes)",
    "dias": "días de mora, edad en meses o facturas vencidas",
    "preguntas": "preguntas (columnas numeradas o que terminan en «?»)",
    "tipo_documento": "tipo de documento",
    "tipo_persona": "tipo de persona",
    "direccion": "dirección",
    "telefono": "teléfono",
    "tipo_usuario": "tipo de usuario",
    "componentes": "componentes de la deuda",
    "edades": "saldos por edad",
}

ROLE_NAMES = {
    "usuarios": "guía de usuarios",
    "cartera": "conciliación de cartera",
    "encuesta": "encuesta de percepción",
}


class PeriodError(CaracterizacionError):
    """The period could not be read from the files nor was it given."""

    def mensaje(self) -> str:
        return (
            "No se encontró el periodo en los archivos: ni en las filas de "
            "título (PERIODO 202507, FECHA CORTE 31/07/2025) ni en el nombre del "
            "archivo (guia_2025-07.xlsx). Indíquelo con --periodo AAAA-MM en la "
            "línea de comandos, o ponga el periodo en el nombre de un archivo."
        )


class EmptyListError(CaracterizacionError):
    """A list that would hold no account: a comuna, barrio or segment without them."""

    def __init__(
        self,
        reason: Literal["comuna", "barrio", "segmento", "vacia"],
        periodo: str,
        comuna: str | None = None,
        descripcion: str = "",
        disponibles: Sequence[str] = (),
    ) -> None:
        self.reason = reason
        self.periodo = periodo
        self.comuna = comuna
        self.descripcion = descripcion  # the barrio, or what the list holds
        self.disponibles = list(disponibles)
        super().__init__(None)

    def mensaje(self) -> str:
        month = fmt_month(self.periodo)
        if self.reason == "comuna":
            text = f"La comuna {self.comuna} no tiene morosos en {month}."
            return text + _available("Comunas con morosos", self.disponibles)
        if self.reason == "barrio":
            text = (
                f"La comuna {self.comuna} no tiene morosos en el barrio "
                f"«{self.descripcion}» en {month}."
            )
            label = f"Barrios con morosos en la comuna {self.comuna}"
            return text + _available(label, self.disponibles)
        if self.reason == "segmento":
            text = (
                f"El segmento «{self.descripcion}» no existe con los ajustes en "
                "vigor."
            )
            return text + _available("Segmentos", self.disponibles)
        text = f"No hay {self.descripcion} en {month}."
        if self.disponibles and self.comuna:
            return text + _available("Comunas con cuentas", self.disponibles)
        return text


class NotPrintableError(CaracterizacionError):
    """The Prevención list is for reminder campaigns: exported, never printed."""

    def __init__(self, nombre: str, segmento: str) -> None:
        self.nombre = nombre
        self.segmento = segmento
        super().__init__(None)

    def mensaje(self) -> str:
        return (
            f"La lista de {self.nombre} ({self.segmento} días) es para campañas "
            "de recordatorio y lleva teléfono y correo: se exporta a Excel o CSV "
            "(--excel, --csv), no se imprime en PDF."
        )


def _available(label: str, names: Sequence[str]) -> str:
    if not names:
        return ""
    if len(names) == 1:
        return f" {label}: {names[0]}."
    return f" {label}: {', '.join(names[:-1])} y {names[-1]}."


class HistoryError(CaracterizacionError):
    """A month or a history file that the history cannot take or give."""

    def __init__(
        self,
        path: Path | str | None,
        reason: Literal[
            "existe", "no_existe", "pocos_meses", "no_es_historial", "version",
            "escritura", "sin_archivo", "no_se_abre",
        ],
        periodo: str = "",
        detail: str = "",
    ) -> None:
        self.reason = reason
        self.periodo = periodo
        self.detail = detail
        super().__init__(path)

    def mensaje(self) -> str:
        month = fmt_month(self.periodo) if self.periodo else ""
        texts = {
            "existe": (
                f"El historial ya tiene {month} ({self.periodo}). Para "
                "reemplazarlo, pídalo explícitamente (--reemplazar)."
            ),
            "no_existe": f"El historial no tiene {month} ({self.periodo}).",
            "pocos_meses": (
                "El tablero compara dos meses y el historial tiene "
                f"{self.detail or 'menos de dos'}. Agregue otro mes con "
                "«historial agregar»."
            ),
            "no_es_historial": (
                f"El archivo {self.archivo} no es un historial de la "
                "caracterización."
            ),
            "version": (
                f"El historial {self.archivo} es de una versión más nueva del "
                "programa. Actualice el programa para usarlo."
            ),
            "no_se_abre": (
                f"No se pudo abrir el historial {self.archivo}"
                f"{_sqlite_reason(self.detail)}."
            ),
            "sin_archivo": (
                f"No hay historial en {self.archivo} todavía. Agregue un mes "
                "con «historial agregar»."
            ),
            "escritura": (
                f"No se pudo guardar en el historial {self.archivo}"
                f"{_sqlite_reason(self.detail)}; quedó como estaba."
            ),
        }
        return texts[self.reason]


# SQLite's own (English) messages, as the officer should read them.
SQLITE_REASONS = (
    ("locked", "otro programa lo está usando; ciérrelo y vuelva a intentar"),
    ("busy", "otro programa lo está usando; ciérrelo y vuelva a intentar"),
    ("full", "el disco está lleno"),
    ("readonly", "no hay permiso para escribir en él"),
    ("read-only", "no hay permiso para escribir en él"),
    ("unable to open", "la carpeta no existe o no hay permiso para abrirla"),
    ("permission", "no hay permiso para abrirlo"),
    ("malformed", "el archivo está dañado"),
    ("not a database", "el archivo está dañado o no es un historial"),
)


def _sqlite_reason(detail: str) -> str:
    """Return «: why» in Spanish for a SQLite message (else the message itself)."""
    lowered = detail.lower()
    for key, reason in SQLITE_REASONS:
        if key in lowered:
            return f": {reason}"
    return f" ({detail})" if detail else ""
