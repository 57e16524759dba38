"""The user's settings file: round trip, only differences, broken files, limits."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from core.errors import ConfigError
from core.settings import load_settings
from core.user_settings import (
    load_user_settings,
    rules_differ,
    save_user_settings,
    user_settings_file,
)


@pytest.fixture(autouse=True)
def data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CARACTERIZACION_DATOS", str(tmp_path))
    return tmp_path


def saved() -> dict:
    with open(user_settings_file(), "rb") as handle:
        return tomllib.load(handle)


def test_the_file_lives_in_the_data_folder(data_folder: Path) -> None:
    assert user_settings_file() == data_folder / "ajustes.toml"


def test_without_a_file_the_defaults_are_in_force() -> None:
    assert load_user_settings().raw == load_settings().raw


def test_saved_values_come_back() -> None:
    save_user_settings({
        "entidad": {"nombre": "ACUEDUCTO DE PRUEBA"},
        "reglas": {"dias_moroso": 61, "segmentos_dias": [30, 90, 180]},
        "informe": {"firmas": {"reviso": {"nombre": "Ana Pérez"}}},
    })

    settings = load_user_settings()
    assert settings.entidad["nombre"] == "ACUEDUCTO DE PRUEBA"
    assert settings.dias_moroso == 61
    assert settings.segmentos_dias == [30, 90, 180]
    assert settings.firmas[1].nombre == "Ana Pérez"
    assert settings.firmas[1].cargo == "Subgerencia comercial"


def test_only_the_differences_are_saved() -> None:
    defaults = load_settings().raw
    changes = {
        "entidad": {**defaults["entidad"], "nombre": "OTRA E.S.P."},
        "reglas": {**defaults["reglas"], "dias_moroso": 61},
        "informe": {"textos": dict(defaults["informe"]["textos"])},
    }

    save_user_settings(changes)

    assert saved() == {
        "entidad": {"nombre": "OTRA E.S.P."}, "reglas": {"dias_moroso": 61},
    }


def test_a_removed_code_stays_removed() -> None:
    uso = load_settings().catalog("uso")
    del uso["02"]

    save_user_settings({"catalogos": {"uso": uso}})

    assert "02" not in load_user_settings().catalog("uso")
    assert saved()["catalogos"]["uso"] == uso


def test_saving_again_keeps_earlier_changes_and_drops_reverted_ones() -> None:
    save_user_settings({
        "entidad": {"nombre": "OTRA E.S.P."}, "reglas": {"dias_moroso": 61},
    })
    save_user_settings({"reglas": {"dias_moroso": 31}})

    assert saved() == {"entidad": {"nombre": "OTRA E.S.P."}}


@pytest.mark.parametrize(
    "content",
    ["[reglas\ndias_moroso = 3", "[reglas]\nsegmentos_dias = [60, 30, 120]\n",
     "[reglas]\ndias_moroso = \"treinta\"\n"],
    ids=["not TOML", "edges not increasing", "days not a number"],
)
def test_a_broken_file_falls_back_to_the_defaults(content: str, caplog) -> None:
    user_settings_file().write_text(content, encoding="utf-8")
    problems: list[str] = []

    settings = load_user_settings(problems.append)

    assert settings.raw == load_settings().raw
    assert len(problems) == 1 and "valores de fábrica" in problems[0]
    assert "no válidos" in caplog.text


def test_saving_over_a_broken_file_keeps_a_copy_of_it(data_folder: Path) -> None:
    user_settings_file().write_text("[reglas\n", encoding="utf-8")

    save_user_settings({"reglas": {"dias_moroso": 61}})

    assert saved() == {"reglas": {"dias_moroso": 61}}
    assert (data_folder / "ajustes.danado.toml").read_text() == "[reglas\n"


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"reglas": {"segmentos_dias": [60, 30, 120]}}, "crecientes"),
        ({"reglas": {"segmentos_dias": [30, 60]}}, "escriba 3 límites"),
        ({"reglas": {"edades_meses": [0, 60]}}, "edades de cartera"),
        ({"reglas": {"dias_moroso": 0}}, "días para moroso"),
        ({"reglas": {"meses_prescripcion": -1}}, "prescripción"),
        ({"entidad": {"nombre": "  "}}, "nombre de la entidad"),
        ({"informe": {"logo": "/no/existe/logo.png"}}, "logo"),
        ({"catalogos": {"uso": {"01": ""}}}, "no tiene descripción"),
        ({"encuesta": {"indicadores": [
            {"id": "x", "nombre": "X", "preguntas": ["6", "7"], "respuestas": [["No"]]},
        ]}}, "«|»"),
    ],
)
def test_invalid_values_are_refused_and_nothing_is_saved(changes, words) -> None:
    save_user_settings({"entidad": {"nombre": "ANTES"}})
    before = user_settings_file().read_bytes()

    with pytest.raises(ConfigError) as raised:
        save_user_settings(changes)

    assert words in raised.value.detail
    assert user_settings_file().read_bytes() == before
    assert list(user_settings_file().parent.glob(".ajustes-*")) == []


def test_rules_differ_only_when_a_figure_can_change() -> None:
    defaults = load_settings()
    save_user_settings({"entidad": {"nombre": "OTRA"}})
    assert not rules_differ(defaults, load_user_settings())

    save_user_settings({"reglas": {"dias_moroso": 61}})
    assert rules_differ(defaults, load_user_settings())
