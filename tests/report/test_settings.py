"""report/settings.toml: every bad value is named, with what is allowed."""

import copy
import tomllib

import pytest

from report import paths
from report.settings import SettingsError, check_settings, load_settings
from tests.report.conftest import FIXTURE_SETTINGS


@pytest.fixture
def raw():
    with FIXTURE_SETTINGS.open("rb") as handle:
        return tomllib.load(handle)


def test_the_shipped_settings_file_loads():
    """Whatever values a student chose, the file in report/ must pass its own checks."""
    load_settings(paths.SETTINGS)


@pytest.mark.parametrize(
    ("section", "key", "value", "message"),
    [
        ("run", "learning_rate", -0.1, r"\[run\] learning_rate = -0.1: must be a number > 0"),
        ("run", "learning_rate", "fast", r"\[run\] learning_rate = 'fast': must be a number > 0"),
        ("run", "hidden_size", 0, r"\[run\] hidden_size = 0: must be a whole number from 1 to 1000"),
        ("run", "hidden_size", 2.5, r"\[run\] hidden_size = 2.5: must be a whole number"),
        ("run", "train_ratio", 1.0, r"\[run\] train_ratio = 1.0: must be a number strictly between 0 and 1"),
        ("run", "train_ratio", 0, r"\[run\] train_ratio = 0: must be a number strictly between 0 and 1"),
        ("run", "seed", -1, r"\[run\] seed = -1: must be a whole number from 0 to 2\*\*32 - 1"),
        ("run", "seed", True, r"\[run\] seed = True: must be a whole number"),
        ("run", "iterations", 0, r"\[run\] iterations = 0: must be a whole number from 1"),
        ("study", "repeats", 1, r"\[study\] repeats = 1: must be a whole number from 2 to 1000"),
        (
            "study",
            "hidden_sizes",
            [],
            r"\[study\] hidden_sizes = \[\]: must be a list of different whole numbers",
        ),
        ("study", "hidden_sizes", [1, 1], r"\[study\] hidden_sizes = \[1, 1\]: must be a list of different"),
        ("study", "learning_rates", [0.1, -1], r"\[study\] learning_rates = \[0.1, -1\]: must be a list of"),
        (
            "study",
            "weight_scales",
            1.0,
            r"\[study\] weight_scales = 1.0: must be a list of different numbers > 0",
        ),
        ("report", "name", 42, r"\[report\] name = 42: must be a text of 1 to 200 characters"),
        ("report", "name", "  ", r"\[report\] name = '  ': must be a text of 1 to 200 characters"),
        ("report", "title", "x" * 201, r"\[report\] title = 'xxx.*\(201 characters\): too long \(201"),
        (
            "report",
            "name",
            "王小明",
            r"name = '王小明': holds '王' \(U\+738B\), which the report's fonts cannot",
        ),
        ("report", "course", "ML 🎓", r"course = 'ML 🎓': holds '🎓' \(U\+1F393\), which the report's fonts"),
        ("report", "name", "A\x00B", r"name = 'A\\x00B': holds '\\x00' \(U\+0000\)"),
        (
            "run",
            "train_ratio",
            0.999,
            r"train_ratio = 0.999 gives 149 training and 0 test points .* from 0.007 to",
        ),
        (
            "run",
            "train_ratio",
            0.005,
            r"train_ratio = 0.005 gives 0 training and 149 test points .* to 0.993",
        ),
    ],
)
def test_a_bad_value_is_named(raw, section, key, value, message):
    raw[section][key] = value
    with pytest.raises(SettingsError, match=message):
        check_settings(raw)


def test_an_unknown_key_is_named(raw):
    raw["run"]["learnig_rate"] = 0.1
    with pytest.raises(SettingsError, match=r"unknown key \[run\] learnig_rate; allowed: seed, hidden_size"):
        check_settings(raw)


def test_an_unknown_section_is_named(raw):
    raw["extra"] = {}
    with pytest.raises(SettingsError, match=r"unknown section \[extra\]"):
        check_settings(raw)


def test_a_missing_key_is_named(raw):
    broken = copy.deepcopy(raw)
    del broken["study"]["repeats"]
    with pytest.raises(SettingsError, match=r"missing key \[study\] repeats: must be a whole number from 2"):
        check_settings(broken)


def test_invalid_toml_and_missing_file_are_named(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text("[run]\nseed = \n")
    with pytest.raises(SettingsError, match=r"settings.toml: not valid TOML"):
        load_settings(path)
    with pytest.raises(SettingsError, match=r"not found. Restore it"):
        load_settings(tmp_path / "missing.toml")


def test_integers_are_accepted_where_numbers_are_allowed(raw):
    raw["run"]["learning_rate"] = 1
    assert check_settings(raw)["run"]["learning_rate"] == 1.0


def test_names_in_latin_greek_and_cyrillic_scripts_are_accepted(raw):
    for name in (
        "José Núñez-Ødegård",
        "Łukasz Żółć",
        "Nguyễn Văn Ánh",
        "Αλέξης Παπαδόπουλος",
        "Дмитрий Ґалуза",
    ):
        raw["report"]["name"] = name
        assert check_settings(raw)["report"]["name"] == name


def test_every_accepted_train_ratio_leaves_a_point_on_each_side_of_the_real_split(raw, iris):
    """Accepted if and only if the course's split_train_test gives both sides at least one point."""
    import numpy as np

    from assignment.tools import split_train_test

    features, targets, _ = iris
    for ratio in [0.001, 0.005, 0.006, 0.0066, 0.0067, 0.007, 0.5, 0.99, 0.993, 0.9933, 0.9934, 0.995, 0.999]:
        raw["run"]["train_ratio"] = ratio
        np.random.seed(0)
        (X, _), (Xt, _) = split_train_test(features, targets, ratio)
        buildable = len(X) >= 1 and len(Xt) >= 1
        try:
            check_settings(raw)
            accepted = True
        except SettingsError:
            accepted = False
        assert accepted == buildable, (ratio, len(X), len(Xt))


def test_a_settings_file_that_is_not_utf8_is_one_line(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_bytes(FIXTURE_SETTINGS.read_bytes().replace(b"T. Tester", "T. Tëster".encode("latin-1")))
    with pytest.raises(
        SettingsError, match=r"settings.toml: not UTF-8 text \(byte \d+: b'\\xeb'\): save it as UTF-8"
    ):
        load_settings(path)


def test_a_settings_path_that_is_a_folder_is_one_line(tmp_path):
    with pytest.raises(SettingsError, match=r"cannot be read \(Is a directory\)"):
        load_settings(tmp_path)
