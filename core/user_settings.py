"""The app's settings: shipped defaults plus what the user changed in the app.

The user's file (`ajustes.toml` in the user's data folder) holds only the
values that differ from the shipped defaults. Code tables (the catalogs,
the survey's question scales) are replaced whole, so a code removed in the
app stays removed. The command line never reads this file.
"""

from __future__ import annotations

import copy
import logging
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import tomli_w

from core.applog import data_dir
from core.atomic import atomic_path
from core.errors import ConfigError
from core.settings import Settings, load_settings

logger = logging.getLogger(__name__)

USER_FILE = "ajustes.toml"
# Where a user file that could not be read is kept before saving over it.
BROKEN_COPY = "ajustes.danado.toml"
# The sections whose changes need the month to be computed again.
RULE_SECTIONS = ("reglas", "segmentos", "catalogos", "encuesta")
# Tables whose keys are codes, not setting names: saved and merged whole.
WHOLE_TABLES = {("encuesta", "preguntas"), ("encuesta", "escalas")}
LOGO_SUFFIXES = (".png", ".jpg", ".jpeg")
HEADER = (
    "# Ajustes de Caracterización de usuarios guardados desde el programa.\n"
    "# Solo contiene lo que difiere de los valores de fábrica.\n\n"
)

Warn = Callable[[str], None]


def user_settings_file() -> Path:
    """Return the file where the app keeps the user's settings."""
    return data_dir() / USER_FILE


def default_settings() -> Settings:
    """Return the shipped defaults alone."""
    return load_settings()


def load_user_settings(on_problem: Warn | None = None) -> Settings:
    """Return the shipped defaults merged with the user's file, if any.

    A file that cannot be used is logged and reported through `on_problem`
    (a Spanish sentence); the defaults are returned instead.
    """
    path = user_settings_file()
    if not path.exists():
        return default_settings()
    try:
        return _settings_from_file(path)
    except ConfigError as exc:
        logger.warning("ajustes del usuario no válidos; se usan los de fábrica")
        if on_problem is not None:
            on_problem(
                f"No se pudieron usar sus ajustes ({exc.detail}); se usan los "
                "valores de fábrica. Corríjalos en Archivo › Ajustes… y "
                "guárdelos de nuevo."
            )
        return default_settings()


def save_user_settings(changes: dict[str, Any]) -> Path:
    """Apply `changes` to the user's settings and save what differs from the
    defaults, atomically. Invalid values raise `ConfigError`; nothing is saved.
    """
    path = user_settings_file()
    defaults = default_settings().raw
    override = merge(_override_or_backup(path), changes)
    raw = merge(defaults, override)
    check_settings(raw, path)

    text = HEADER + tomli_w.dumps(differences(raw, defaults), multiline_strings=True)
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
        _settings_from_file(tmp, shown_as=path)
    logger.info("ajustes del usuario guardados")
    return path


def rules_differ(before: Settings, after: Settings) -> bool:
    """Tell whether the figures of a month would change between two settings."""
    return any(
        before.raw.get(section) != after.raw.get(section) for section in RULE_SECTIONS
    )


# --- merging and comparing ----------------------------------------------------


def _is_whole(path: tuple[str, ...]) -> bool:
    return (len(path) == 2 and path[0] == "catalogos") or path in WHOLE_TABLES


def merge(
    base: dict[str, Any], override: dict[str, Any], path: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Return `base` with `override` on top; code tables are replaced whole."""
    merged = copy.deepcopy(base)
    for key, value in override.items():
        here = (*path, key)
        nested = isinstance(value, dict) and isinstance(merged.get(key), dict)
        if nested and not _is_whole(here):
            merged[key] = merge(merged[key], value, here)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _same(value: Any, default: Any) -> bool:
    if isinstance(value, str) and isinstance(default, str):
        return value.strip() == default.strip()
    return bool(value == default)


def differences(
    values: dict[str, Any], defaults: dict[str, Any], path: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Return the part of `values` that differs from `defaults`."""
    changed: dict[str, Any] = {}
    for key, value in values.items():
        here = (*path, key)
        default = defaults.get(key)
        if isinstance(value, dict) and isinstance(default, dict) and not _is_whole(
            here
        ):
            nested = differences(value, default, here)
            if nested:
                changed[key] = nested
        elif not _same(value, default):
            changed[key] = value
    return changed


# --- reading --------------------------------------------------------------------


def _read_override(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, f"no es un TOML válido ({exc})") from None
    except OSError as exc:
        raise ConfigError(path, exc.strerror or "no se puede leer") from None


def _override_or_backup(path: Path) -> dict[str, Any]:
    """The user's saved changes; none when the file is missing or broken.

    A broken file is copied aside first, so saving over it loses nothing.
    """
    if not path.exists():
        return {}
    try:
        return _read_override(path)
    except ConfigError:
        backup = path.with_name(BROKEN_COPY)
        backup.write_bytes(path.read_bytes())
        logger.warning("ajustes no legibles copiados a %s", backup.name)
        return {}


def _settings_from_file(path: Path, shown_as: Path | None = None) -> Settings:
    """Validate `path` through core.settings, then merge it our way."""
    try:
        load_settings(path)
        raw = merge(default_settings().raw, _read_override(path))
        check_settings(raw, path)
    except ConfigError as exc:
        raise ConfigError(shown_as or path, exc.detail) from None
    return Settings(raw)


# --- validation -----------------------------------------------------------------


def check_settings(raw: dict[str, Any], path: Path | None = None) -> None:
    """Raise `ConfigError` with a Spanish reason when a value cannot be used."""
    checks = (
        _check_entity, _check_rules, _check_edges, _check_catalogs,
        _check_indicators,
    )
    try:
        for check in checks:
            problem = check(raw)
            if problem:
                raise ConfigError(path, problem)
        _read_every_property(Settings(raw))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ConfigError(path, f"falta un ajuste o su tipo no es el esperado ({exc})")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_entity(raw: dict[str, Any]) -> str:
    if not str(raw["entidad"].get("nombre", "")).strip():
        return "el nombre de la entidad no puede quedar vacío."
    logo = str(raw.get("informe", {}).get("logo", "")).strip()
    if logo and not Path(logo).expanduser().is_file():
        return f"no se encuentra el logo «{logo}»."
    if logo and Path(logo).suffix.lower() not in LOGO_SUFFIXES:
        return "el logo debe ser una imagen PNG o JPG."
    return ""


def _check_rules(raw: dict[str, Any]) -> str:
    reglas = raw["reglas"]
    estados = reglas["estados_inactivos"]
    if not isinstance(estados, list) or not all(
        isinstance(e, str) and e.strip() for e in estados
    ):
        return "los estados inactivos deben ser palabras separadas por comas."
    if not _is_int(reglas["dias_moroso"]) or reglas["dias_moroso"] < 1:
        return "los días para moroso deben ser un número entero desde 1."
    if not _is_int(reglas["meses_prescripcion"]) or reglas["meses_prescripcion"] < 1:
        return "los meses de prescripción deben ser un número entero desde 1."
    return ""


def _check_edges(raw: dict[str, Any]) -> str:
    reglas = raw["reglas"]
    labels = {
        "segmentos_dias": "los límites de los segmentos (días)",
        "edades_meses": "los límites de las edades de cartera (meses)",
    }
    for key, label in labels.items():
        edges = reglas[key]
        ok = isinstance(edges, list) and edges and all(
            _is_int(e) and e > 0 for e in edges
        )
        if not ok or edges != sorted(set(edges)):
            return f"{label} deben ser enteros positivos y crecientes (30, 60, 120)."
    names = raw["segmentos"]["nombres"]
    if len(reglas["segmentos_dias"]) != len(names) - 1:
        return (
            f"hay {len(names)} segmentos ({', '.join(names)}): escriba "
            f"{len(names) - 1} límites en días, uno por segmento salvo el último."
        )
    return ""


def _check_catalogs(raw: dict[str, Any]) -> str:
    catalogos = raw["catalogos"]
    for name in ("uso", "estrato"):
        for code, text in catalogos[name].items():
            if not str(code).strip():
                return f"hay una descripción de {name} sin código."
            if not isinstance(text, str) or not text.strip():
                return f"el código {code} de {name} no tiene descripción."
    for estrato, uso in catalogos.get("uso_por_estrato", {}).items():
        if uso not in catalogos["uso"]:
            return (
                f"el estrato {estrato} tiene el uso {uso}, que no está en el "
                "catálogo de usos."
            )
    return ""


def _check_indicators(raw: dict[str, Any]) -> str:
    seen: set[str] = set()
    for indicator in raw["encuesta"].get("indicadores", []):
        name = str(indicator.get("nombre", "")).strip()
        if not name:
            return "hay un indicador de la encuesta sin nombre."
        preguntas, respuestas = indicator["preguntas"], indicator["respuestas"]
        if not preguntas or not all(str(p).strip() for p in preguntas):
            return f"el indicador «{name}» no tiene preguntas."
        if len(respuestas) != len(preguntas) or not all(respuestas):
            return (
                f"el indicador «{name}» tiene {len(preguntas)} preguntas: dé las "
                "respuestas que cuentan para cada una, separadas con «|»."
            )
        if indicator["id"] in seen:
            return f"hay dos indicadores con el identificador «{indicator['id']}»."
        seen.add(indicator["id"])
    return ""


def _read_every_property(settings: Settings) -> None:
    """Fail here, not in the middle of a month, on a value of the wrong type."""
    for name in (
        "entidad", "estados_inactivos", "dias_moroso", "segmentos_dias",
        "edades_meses", "meses_prescripcion", "segmentos", "documentos_juridica",
        "escalas", "escala_de_pregunta", "indicadores", "logo", "firmas", "textos",
    ):
        getattr(settings, name)
    for catalog in ("uso", "estrato", "uso_por_estrato"):
        settings.catalog(catalog)
