"""The rules' settings: shipped defaults, optionally overridden by a TOML file."""

from __future__ import annotations

import copy
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import ConfigError
from core.resources import resource_path

DEFAULTS_FILE = "ajustes.toml"


@dataclass(frozen=True)
class Indicator:
    id: str
    nombre: str
    preguntas: tuple[str, ...]
    respuestas: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Signatory:
    """One signature of the report: its role (Proyectó...), name and position."""

    rol: str
    nombre: str
    cargo: str


SIGNATURE_ROLES = (
    ("proyecto", "Proyectó"), ("reviso", "Revisó"), ("aprobo", "Aprobó"),
)


@dataclass(frozen=True)
class Settings:
    """The values in force for one run, read from the TOML files."""

    raw: dict[str, Any]

    @property
    def entidad(self) -> dict[str, str]:
        return dict(self.raw.get("entidad", {}))

    @property
    def estados_inactivos(self) -> frozenset[str]:
        return frozenset(s.upper() for s in self.raw["reglas"]["estados_inactivos"])

    @property
    def dias_moroso(self) -> int:
        return int(self.raw["reglas"]["dias_moroso"])

    @property
    def segmentos_dias(self) -> list[int]:
        return [int(x) for x in self.raw["reglas"]["segmentos_dias"]]

    @property
    def edades_meses(self) -> list[int]:
        return [int(x) for x in self.raw["reglas"]["edades_meses"]]

    @property
    def meses_prescripcion(self) -> int:
        return int(self.raw["reglas"]["meses_prescripcion"])

    @property
    def segmentos(self) -> dict[str, list[str]]:
        return {k: list(v) for k, v in self.raw["segmentos"].items()}

    def catalog(self, name: str) -> dict[str, str]:
        return dict(self.raw["catalogos"][name])

    @property
    def documentos_juridica(self) -> frozenset[str]:
        tipos = self.raw["catalogos"]["documentos_juridica"]["tipos"]
        return frozenset(t.upper() for t in tipos)

    @property
    def escalas(self) -> dict[str, list[str]]:
        return {k: list(v) for k, v in self.raw["encuesta"]["escalas"].items()}

    @property
    def escala_de_pregunta(self) -> dict[str, str]:
        return dict(self.raw["encuesta"].get("preguntas", {}))

    @property
    def indicadores(self) -> list[Indicator]:
        return [
            Indicator(
                id=ind["id"],
                nombre=ind["nombre"],
                preguntas=tuple(str(p) for p in ind["preguntas"]),
                respuestas=tuple(tuple(r) for r in ind["respuestas"]),
            )
            for ind in self.raw["encuesta"].get("indicadores", [])
        ]

    @property
    def logo(self) -> Path | None:
        """Return the entity's logo for the report's cover, if one is set."""
        text = str(self.raw.get("informe", {}).get("logo", "")).strip()
        return Path(text).expanduser() if text else None

    @property
    def firmas(self) -> list[Signatory]:
        """Return the report's signatories, in signing order."""
        firmas = self.raw.get("informe", {}).get("firmas", {})
        return [
            Signatory(
                rol=label,
                nombre=str(firmas.get(key, {}).get("nombre", "")),
                cargo=str(firmas.get(key, {}).get("cargo", "")),
            )
            for key, label in SIGNATURE_ROLES
        ]

    @property
    def textos(self) -> dict[str, str]:
        """Return the report's template texts (introduccion, objetivos...)."""
        textos = self.raw.get("informe", {}).get("textos", {})
        return {key: str(value).strip() for key, value in textos.items()}


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(path, "no existe") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, str(exc)) from None


def _validate(raw: dict[str, Any], path: Path | None) -> None:
    reglas = raw["reglas"]
    for key in ("segmentos_dias", "edades_meses"):
        edges = reglas[key]
        ok = (
            isinstance(edges, list)
            and edges
            and all(isinstance(e, int) and e > 0 for e in edges)
            and edges == sorted(set(edges))
        )
        if not ok:
            raise ConfigError(path, f"«{key}» debe ser una lista creciente de enteros")
    n_segments = len(reglas["segmentos_dias"]) + 1
    for key, values in raw["segmentos"].items():
        if len(values) != n_segments:
            raise ConfigError(
                path, f"«segmentos.{key}» debe tener {n_segments} elementos"
            )


def load_settings(override: Path | str | None = None) -> Settings:
    """Return the shipped defaults, merged with `override` when given."""
    raw = _read_toml(resource_path("config", DEFAULTS_FILE))
    path = Path(override) if override else None
    if path is not None:
        raw = _merge(raw, _read_toml(path))
    try:
        _validate(raw, path)
    except (KeyError, TypeError) as exc:
        raise ConfigError(path, f"falta o sobra el ajuste {exc}") from None
    return Settings(raw)
