"""The data-quality report and the reconciliation checks of a month."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from core.formatting import centavos_to_pesos, fmt_count, fmt_int, fmt_pesos
from core.model import Check, LoadedFile, QualityItem, Summary, Table
from core.rules import SIN_DATO, Accounts, Users
from core.settings import Settings

ROW_COLUMNS = ["archivo", "fila", "cuenta"]


def _rows(
    frame: pd.DataFrame, loaded: LoadedFile, extra: list[str] = ()
) -> pd.DataFrame:
    """Return the source rows behind an item: file, row, account and `extra`."""
    data = pd.DataFrame({
        "archivo": loaded.path.name,
        "fila": frame["fila"] if "fila" in frame else pd.NA,
        "cuenta": frame["cuenta_texto"] if "cuenta_texto" in frame else pd.NA,
    })
    for column in extra:
        data[column] = frame[column]
    return data.reset_index(drop=True)


def _account_rows(frame: pd.DataFrame, extra: list[str]) -> pd.DataFrame:
    columns = ["cuenta_texto", *extra]
    data = frame[columns].rename(columns={"cuenta_texto": "cuenta"})
    if "deuda" in data:
        data["deuda"] = [centavos_to_pesos(v) for v in frame["deuda"]]
    return data.reset_index(drop=True)


def _sheet(loaded: LoadedFile) -> str:
    return f", hoja «{loaded.sheet}»" if loaded.sheet else ""


def _pesos(centavos: int) -> Decimal:
    return centavos_to_pesos(int(centavos))


class QualityReport:
    """Collect the data-quality items of one month, in the panel's order."""

    def __init__(
        self,
        guia: LoadedFile,
        cartera: LoadedFile,
        users: Users,
        accounts: Accounts,
        settings: Settings,
    ) -> None:
        self.guia = guia
        self.cartera = cartera
        self.users = users
        self.accounts = accounts
        self.settings = settings

    def items(self, extra_files: list[LoadedFile] = ()) -> list[QualityItem]:
        items = [self._rows_read(f) for f in (self.guia, self.cartera, *extra_files)]
        items += self._duplicates()
        for loaded in (self.guia, self.cartera, *extra_files):
            items += loaded.issues
        items += self._unknown_codes()
        items += self._not_in_guia()
        items += self._credit_balances()
        items += self._without_days()
        items += self._disagreements()
        items += self._file_totals()
        return [item for item in items if item is not None]

    def _rows_read(self, loaded: LoadedFile) -> QualityItem:
        return QualityItem(
            codigo="filas_leidas",
            mensaje=(
                f"«{loaded.path.name}»{_sheet(loaded)}: "
                f"{fmt_count(loaded.rows_read, 'fila', 'filas')} de datos leídas "
                f"(encabezado en la fila {loaded.header_row})."
            ),
            cantidad=loaded.rows_read,
        )

    def _duplicates(self) -> list[QualityItem]:
        items = []
        dup = self.users.duplicates
        if len(dup):
            items.append(QualityItem(
                codigo="duplicados_guia",
                mensaje=(
                    f"{fmt_count(len(dup), 'fila', 'filas')} de la guía "
                    f"{'repite' if len(dup) == 1 else 'repiten'} una cuenta ya "
                    "leída; cada cuenta se cuenta una sola vez."
                ),
                cantidad=len(dup),
                filas=_rows(dup, self.guia),
            ))
        missing = [
            (self.users.without_key, self.guia, "guía"),
            (self.accounts.lines_without_key, self.cartera, "cartera"),
        ]
        for frame, loaded, name in missing:
            if len(frame):
                items.append(QualityItem(
                    codigo="sin_cuenta",
                    mensaje=(
                        f"{fmt_count(len(frame), 'fila', 'filas')} de la {name} "
                        "sin cuenta."
                    ),
                    cantidad=len(frame),
                    filas=_rows(frame, loaded),
                ))
        return items

    def _unknown_codes(self) -> list[QualityItem]:
        active = self.users.active
        morosos = self.accounts.frame[self.accounts.frame["moroso"]]
        records = []
        for field in ("estrato", "uso"):
            catalog = self.settings.catalog(field)
            for source, frame in (("guía", active), ("cartera", morosos)):
                codes = frame[field].dropna()
                unknown = codes[~codes.isin(catalog)]
                for code, n in unknown.value_counts().sort_index().items():
                    records.append({"campo": field, "codigo": code,
                                    "origen": source, "cuentas": int(n)})
        if not records:
            return []
        rows = pd.DataFrame(records)
        listed = ", ".join(
            f"{r['campo']} {r['codigo']}" for r in records
        )
        return [QualityItem(
            codigo="codigo_desconocido",
            mensaje=(
                f"Códigos que no están en el catálogo ({listed}): se cuentan con "
                "su propio código y «sin descripción»."
            ),
            cantidad=int(rows["cuentas"].sum()),
            filas=rows,
        )]

    def _not_in_guia(self) -> list[QualityItem]:
        frame = self.accounts.frame
        orphans = frame[~frame["en_guia"] & (frame["deuda"] > 0)]
        if not len(orphans):
            return []
        morosos = int(orphans["moroso"].sum())
        return [QualityItem(
            codigo="cartera_sin_guia",
            mensaje=(
                f"{fmt_count(len(orphans), 'cuenta', 'cuentas')} con saldo en la "
                f"cartera que no está en la guía ({fmt_int(morosos)} en mora); se "
                "cuentan con los datos de la cartera."
            ),
            cantidad=len(orphans),
            valor=_pesos(orphans["deuda"].sum()),
            filas=_account_rows(orphans, ["estrato", "uso", "comuna", "deuda",
                                          "dias"]),
        )]

    def _credit_balances(self) -> list[QualityItem]:
        frame = self.accounts.frame
        credit = frame[frame["deuda"] < 0]
        if not len(credit):
            return []
        return [QualityItem(
            codigo="saldo_a_favor",
            mensaje=(
                f"{fmt_count(len(credit), 'cuenta', 'cuentas')} con saldo a favor "
                "(saldo neto negativo): se informan aparte y no se restan de la "
                "deuda."
            ),
            cantidad=len(credit),
            valor=_pesos(-credit["deuda"].sum()),
            filas=_account_rows(credit, ["deuda"]),
        )]

    def _without_days(self) -> list[QualityItem]:
        frame = self.accounts.frame
        lost = frame[frame["segmento"] == SIN_DATO]
        if not len(lost):
            return []
        return [QualityItem(
            codigo="sin_dias",
            mensaje=(
                f"{fmt_count(len(lost), 'cuenta', 'cuentas')} con deuda sin días "
                "de mora ni edad: quedan en el segmento «sin dato» y no se "
                "cuentan como morosas."
            ),
            cantidad=len(lost),
            valor=_pesos(lost["deuda"].sum()),
            filas=_account_rows(lost, ["deuda"]),
        )]

    def _disagreements(self) -> list[QualityItem]:
        items = []
        days = self.accounts.days_disagree
        if len(days):
            items.append(QualityItem(
                codigo="dias_meses_distintos",
                mensaje=(
                    f"{fmt_count(len(days), 'línea', 'líneas')} de cartera con "
                    "días de mora que no corresponden a su edad en meses o "
                    "facturas vencidas; se usan los días."
                ),
                cantidad=len(days),
                filas=_rows(days, self.cartera, ["dias", "meses", "facturas"]),
            ))
        ages = self.accounts.ages_disagree
        if len(ages):
            rows = _account_rows(ages, ["deuda"])
            rows["suma_edades"] = [centavos_to_pesos(v) for v in ages["edades_suma"]]
            items.append(QualityItem(
                codigo="edades_no_cuadran",
                mensaje=(
                    f"{fmt_count(len(ages), 'cuenta', 'cuentas')} con columnas por "
                    "edad que no suman su saldo total."
                ),
                cantidad=len(ages),
                valor=_pesos((ages["deuda"] - ages["edades_suma"]).abs().sum()),
                filas=rows,
            ))
        return items

    def _file_totals(self) -> list[QualityItem]:
        items = []
        net = int(self.cartera.frame["deuda"].sum())
        for total in self.cartera.totals:
            if not total.general or total.valor is None:
                continue
            ok = total.valor == net
            verdict = "cuadra" if ok else "no cuadra"
            items.append(QualityItem(
                codigo="total_archivo",
                mensaje=(
                    f"«{total.etiqueta}» de «{self.cartera.path.name}» "
                    f"({fmt_pesos(_pesos(total.valor))}) {verdict} con la suma "
                    f"neta de sus líneas ({fmt_pesos(_pesos(net))})."
                ),
                cantidad=self.cartera.rows_read,
                valor=_pesos(total.valor),
            ))
        for loaded in (self.guia, self.cartera):
            items += self._count_totals(loaded)
        return items

    def _count_totals(self, loaded: LoadedFile) -> list[QualityItem]:
        items = []
        distinct = int(loaded.frame["cuenta"].nunique())
        for total in loaded.totals:
            if total.cantidad is None:
                continue
            rows_ok = total.cantidad == loaded.rows_read
            distinct_ok = total.cantidad == distinct
            items.append(QualityItem(
                codigo="total_archivo",
                mensaje=(
                    f"«{total.etiqueta}» de «{loaded.path.name}» dice "
                    f"{fmt_int(total.cantidad)}: "
                    f"{'cuadra' if rows_ok else 'no cuadra'} con las filas leídas "
                    f"({fmt_int(loaded.rows_read)}) y "
                    f"{'cuadra' if distinct_ok else 'no cuadra'} con las cuentas "
                    f"distintas ({fmt_int(distinct)})."
                ),
                cantidad=total.cantidad,
            ))
        return items


def period_mismatch(files: list[LoadedFile], periodo: str) -> list[QualityItem]:
    """Warn when the files say different months, or another month than `periodo`."""
    said = []
    for loaded in files:
        month = loaded.periodo or (
            loaded.fecha_corte.strftime("%Y-%m") if loaded.fecha_corte else None
        )
        if month:
            said.append((loaded.path.name, month))
    if all(month == periodo for _, month in said):
        return []
    listed = "; ".join(f"«{name}»: {month}" for name, month in said)
    return [QualityItem(
        codigo="periodos_distintos",
        mensaje=(
            f"Los archivos no son todos del periodo {periodo} ({listed}). "
            "Revise que sean del mismo mes."
        ),
        cantidad=len(said),
        filas=pd.DataFrame(said, columns=["archivo", "periodo"]),
    )]


def _table_sum(table: Table, column: str) -> Decimal:
    index = table.columnas.index(column)
    return sum((row[index] for row in table.filas), Decimal(0))


def reconciliation(
    summary: Summary, tables: dict[str, Table], cartera: LoadedFile
) -> list[Check]:
    """Return the checks that the month's figures add up."""
    checks = []
    for table_id in ("morosos_por_estrato", "morosos_por_uso", "morosos_por_comuna",
                     "morosos_por_barrio", "cartera_por_edades"):
        table = tables[table_id]
        checks.append(Check(
            f"La suma de «{table.titulo}» es la cartera morosa",
            summary.cartera_morosa,
            _table_sum(table, "deuda"),
        ))
    segments = tables["segmentos_por_atraso"]
    checks.append(Check(
        "La suma de los segmentos de atraso es la cartera con saldo",
        summary.cartera_total,
        _table_sum(segments, "deuda"),
    ))
    net = centavos_to_pesos(int(cartera.frame["deuda"].sum()))
    checks.append(Check(
        "La cartera con saldo menos los saldos a favor es el total neto de las "
        "líneas leídas",
        net,
        summary.cartera_total - summary.saldo_a_favor,
    ))
    for total in cartera.totals:
        if total.general and total.valor is not None:
            checks.append(Check(
                f"El total neto de las líneas es el «{total.etiqueta}» del archivo",
                centavos_to_pesos(total.valor),
                net,
            ))
    return checks
