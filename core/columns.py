"""Which column of a file is which field: aliases, precedence, questions,
and the answers the user gave for layouts the aliases cannot place.

The aliases live in `resources/config/columnas.toml`. Headers and aliases
are compared by `header_key` (case, accents, spaces and dots do not count).
The user's answers are kept by layout (`layout_key`) in the data folder.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from core.applog import data_dir
from core.atomic import atomic_path
from core.errors import ConfigError
from core.normalize import header_key
from core.resources import resource_path

logger = logging.getLogger(__name__)

ALIASES_FILE = "columnas.toml"
# Where the app remembers the user's answers, one per file layout.
REMEMBERED_FILE = "mapas_columnas.json"
REMEMBERED_VERSION = 1
ROLES = ("usuarios", "cartera", "encuesta")

# Fields that take every matching column (their amounts are summed).
MULTI_FIELDS = ("componentes", "edades", "ignorar")
MONEY_FIELDS = ("deuda", "componentes", "edades", "ignorar")
AGE_FIELDS = ("dias", "meses", "facturas")

# Fields that only one role has: they tell a guía from a cartera.
ROLE_EVIDENCE = {
    "usuarios": {"tipo_documento", "documento", "tipo_persona", "servicios",
                 "consumo", "zona"},
    "cartera": {"deuda", "componentes", "ignorar", "dias", "meses",
                "facturas", "edades"},
    "encuesta": {"tipo_usuario", "canal", "fecha", "preguntas"},
}

# "P3", "Pregunta 3", or a number before the question's words ("3. ¿...").
_QUESTION_NUMBER = re.compile(
    r"^\s*(?:p(?:regunta)?\s*\.?\s*(\d{1,3})\b|(\d{1,3})\s*[.):\-]?\s*(?=[¿¡\w]))",
    re.IGNORECASE,
)
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True, eq=False)
class FieldAliases:
    """The aliases of one field, already in `header_key` form."""

    name: str
    aliases: tuple[str, ...]
    precedence: bool = False
    multiple: bool = False

    def rank(self, key: str) -> int | None:
        """Return the priority of the best alias matching `key` (0 best)."""
        index = self._exact.get(key)
        if index is None:
            index = next(
                (i for i, a in self._patterns if _alias_matches(a, key)), None
            )
        if index is None:
            return None
        return index if self.precedence else 0

    @functools.cached_property
    def _exact(self) -> dict[str, int]:
        exact: dict[str, int] = {}
        for index, alias in enumerate(self.aliases):
            if not _is_pattern(alias):
                exact.setdefault(alias, index)
        return exact

    @functools.cached_property
    def _patterns(self) -> list[tuple[int, str]]:
        return [(i, a) for i, a in enumerate(self.aliases) if _is_pattern(a)]


@dataclass
class ColumnMatch:
    """The columns found for each field of a role in one header row."""

    role: str
    headers: list[str]
    fields: dict[str, int] = field(default_factory=dict)
    multi: dict[str, list[int]] = field(default_factory=dict)
    questions: dict[str, int] = field(default_factory=dict)
    ambiguous: dict[str, list[int]] = field(default_factory=dict)

    def has(self, name: str) -> bool:
        """Tell whether the field was found (perhaps in two columns)."""
        return (
            name in self.fields
            or bool(self.multi.get(name))
            or name in self.ambiguous
        )

    def header(self, name: str) -> str:
        """Return the header text(s) as printed, `|`-joined for multi fields."""
        if name in self.fields:
            return self.headers[self.fields[name]]
        return " | ".join(self.headers[c] for c in self.multi.get(name, []))

    def missing(self) -> list[str]:
        """Return the required fields (or groups of fields) not found."""
        if self.role == "usuarios":
            return [f for f in ("cuenta", "estrato", "comuna") if not self.has(f)]
        if self.role == "cartera":
            missing = [] if self.has("cuenta") else ["cuenta"]
            if not (self.has("deuda") or self.has("componentes")):
                missing.append("deuda")
            if not any(self.has(f) for f in AGE_FIELDS):
                missing.append("dias")
            return missing
        return [] if self.questions else ["preguntas"]

    def score(self) -> int:
        """Return how many distinct fields matched (questions count once)."""
        found = set(self.fields) | {k for k, v in self.multi.items() if v}
        return len(found) + (1 if self.questions else 0)

    def evidence(self) -> int:
        """Return how many fields that only this role has were found."""
        found = set(self.fields) | {k for k, v in self.multi.items() if v}
        if self.questions:
            found.add("preguntas")
        return len(found & ROLE_EVIDENCE[self.role])


@functools.cache
def role_aliases(role: str) -> dict[str, FieldAliases]:
    """Return the shipped aliases of a role's fields, in file order."""
    path = resource_path("config", ALIASES_FILE)
    try:
        with open(path, "rb") as handle:
            raw = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(path, str(exc)) from None
    return {
        name: FieldAliases(
            name=name,
            aliases=tuple(_alias_key(a) for a in spec["alias"]),
            precedence=bool(spec.get("precedencia", False)),
            multiple=bool(spec.get("varias", False)),
        )
        for name, spec in raw.get(role, {}).items()
    }


def match_columns(
    headers: Sequence[str],
    role: str,
    groups: Sequence[str] | None = None,
    mapping: Mapping[str, str] | None = None,
) -> ColumnMatch:
    """Find each field's column among `headers` (texts as printed).

    `groups` holds the group title above each header in a two-row header
    (or ""); a header that matches nothing alone is tried with its group.
    `mapping` (field -> header as printed) overrides the aliases.
    """
    match = ColumnMatch(role=role, headers=[str(h) for h in headers])
    keys = [header_key(h) for h in headers]
    group_keys = [header_key(g) for g in groups] if groups else [""] * len(keys)
    taken = _apply_mapping(match, keys, group_keys, mapping or {})

    candidates = _alias_candidates(role, keys, group_keys, taken)
    for name, ranked in candidates.items():
        _assign(match, role_aliases(role)[name], ranked)

    if role == "encuesta":
        used = taken | set(match.fields.values())
        _find_questions(match, used)
    return match


def question_number(header: str) -> int | None:
    """Return a question's number from its header (`3. ¿...?`, `P3`)."""
    found = _QUESTION_NUMBER.match(header)
    if not found or not _LETTER.search(header):
        return None
    return int(found.group(1) or found.group(2))


def is_question(header: str) -> bool:
    """Tell whether a survey header is a question (numbered or ending in ?)."""
    if question_number(header) is not None:
        return True
    return header.strip().endswith("?") and _LETTER.search(header) is not None


def _alias_key(alias: str) -> str:
    if alias.startswith("re:"):
        return alias
    star = alias.endswith("*")
    key = header_key(alias.rstrip("*"))
    return key + "*" if star else key


def _is_pattern(alias: str) -> bool:
    return alias.startswith("re:") or alias.endswith("*")


def _alias_matches(alias: str, key: str) -> bool:
    if not key:
        return False
    if alias.startswith("re:"):
        return re.search(alias[3:], key) is not None
    if alias.endswith("*"):
        return key.startswith(alias[:-1])
    return key == alias


def _apply_mapping(
    match: ColumnMatch,
    keys: list[str],
    group_keys: list[str],
    mapping: Mapping[str, str],
) -> set[int]:
    """Place the user's chosen columns first; return the columns they use."""
    taken: set[int] = set()
    for name, wanted in mapping.items():
        columns = []
        for text in str(wanted).split("|"):
            wanted_key = header_key(text)
            for col, key in enumerate(keys):
                combined = group_keys[col] + key
                if wanted_key and wanted_key in (key, combined):
                    columns.append(col)
        if not columns:
            continue
        taken.update(columns)
        if name in MULTI_FIELDS:
            match.multi[name] = columns
        elif name.startswith("p") and name[1:].isdigit():
            match.questions[name] = columns[0]
        else:
            match.fields[name] = columns[0]
    return taken


def _alias_candidates(
    role: str, keys: list[str], group_keys: list[str], taken: set[int]
) -> dict[str, list[tuple[int, int]]]:
    """Return field -> [(rank, column)], each column given to one field."""
    aliases = role_aliases(role)
    found: dict[str, list[tuple[int, int]]] = {}
    for col, key in enumerate(keys):
        if col in taken or not key:
            continue
        best = _best_field(aliases, key)
        if best is None and group_keys[col]:
            best = _best_field(aliases, group_keys[col] + key)
        if best is not None:
            name, rank = best
            found.setdefault(name, []).append((rank, col))
    return found


def _best_field(
    aliases: dict[str, FieldAliases], key: str
) -> tuple[str, int] | None:
    """Return the field a header belongs to: movements first, then by file order."""
    ignored = aliases.get("ignorar")
    if ignored is not None and ignored.rank(key) is not None:
        return "ignorar", 0
    for name, spec in aliases.items():
        if key in spec._exact:
            return name, spec.rank(key) or 0
    for name, spec in aliases.items():
        rank = spec.rank(key)
        if rank is not None:
            return name, rank
    return None


def _assign(
    match: ColumnMatch, spec: FieldAliases, ranked: list[tuple[int, int]]
) -> None:
    if spec.name in match.fields or match.multi.get(spec.name):
        return  # the user's mapping already chose
    if spec.multiple:
        match.multi[spec.name] = sorted(col for _, col in ranked)
        return
    best = min(rank for rank, _ in ranked)
    columns = [col for rank, col in ranked if rank == best]
    if len(columns) == 1:
        match.fields[spec.name] = columns[0]
    else:
        match.ambiguous[spec.name] = columns


def _find_questions(match: ColumnMatch, used: set[int]) -> None:
    """Name question columns p1, p2...: their own number, or the next free."""
    numbered: list[tuple[int, int | None]] = []
    for col, header in enumerate(match.headers):
        if col not in used and is_question(header):
            numbered.append((col, question_number(header)))

    names = set(match.questions)
    pending = []
    for col, number in numbered:
        if number is not None and f"p{number}" not in names:
            match.questions[f"p{number}"] = col
            names.add(f"p{number}")
        else:
            pending.append(col)
    counter = 1
    for col in pending:
        while f"p{counter}" in names:
            counter += 1
        match.questions[f"p{counter}"] = col
        names.add(f"p{counter}")
    match.questions = dict(
        sorted(match.questions.items(), key=lambda item: item[1])
    )


# --- the user's mappings ----------------------------------------------------


def layout_key(role: str, headers: Sequence[str]) -> str:
    """Return the key of a file layout: its role and its set of headers.

    Headers are compared by `header_key`, so a file saved again with other
    capitals, accents, column order or blank columns keeps its key.
    """
    keys = sorted({header_key(h) for h in headers} - {""})
    digest = hashlib.sha256("\x1f".join(keys).encode("utf-8")).hexdigest()
    return f"{role}:{digest[:20]}"


def known_fields(role: str) -> set[str]:
    """Return the field names a mapping may give for a role."""
    return set(role_aliases(role))


def mapping_problems(role: str, mapping: Mapping[str, str]) -> list[str]:
    """Return the mapping's field names the role does not have."""
    fields = known_fields(role)
    return sorted(
        name for name in mapping
        if name not in fields
        and not (role == "encuesta" and re.fullmatch(r"p\d{1,3}", name))
    )


def remembered_file() -> Path:
    """Return the file where the app keeps the user's column answers."""
    return data_dir() / REMEMBERED_FILE


def remembered_mappings(path: Path | None = None) -> dict[str, dict[str, str]]:
    """Return the mappings the user gave, by layout key.

    A missing or unreadable file gives none (the app asks again).
    """
    path = path or remembered_file()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        layouts = raw["formatos"]
        return {
            str(key): {str(k): str(v) for k, v in entry["mapa"].items()}
            for key, entry in layouts.items()
        }
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        logger.warning("mapas de columnas recordados ilegibles; se ignoran")
        return {}


def remember_mapping(
    layout: str,
    mapping: Mapping[str, str],
    headers: Sequence[str] = (),
    path: Path | None = None,
) -> Path:
    """Save the user's answer for a layout (headers kept for reference)."""
    path = path or remembered_file()
    entries = _remembered_entries(path)
    entries[layout] = {
        "mapa": {str(k): str(v) for k, v in mapping.items()},
        "encabezados": [h for h in headers if h],
    }
    text = json.dumps(
        {"version": REMEMBERED_VERSION, "formatos": entries},
        ensure_ascii=False, indent=2,
    )
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    logger.info("mapa de columnas recordado para un formato de %s",
                layout.split(":")[0])
    return path


def _remembered_entries(path: Path) -> dict[str, dict]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        entries = raw.get("formatos", {})
        return dict(entries) if isinstance(entries, dict) else {}
    except (OSError, ValueError, AttributeError):
        return {}
