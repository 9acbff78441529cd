"""report/settings.toml: every bad value is named, with what is allowed."""

import copy
import tomllib

import pytest

from report import paths
from report.settings import (
    MAX_STUDY_WORK,
    MAX_VALUES,
    SettingsError,
    check_settings,
    load_settings,
    study_work,
)
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
            [1.0, 1e308],
            r"\[study\] weight_scales = \[1.0, 1e\+308\]: must be a list of different numbers > 0 and "
            r"at most 1e100",
        ),
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


# --- probes of review-faults: a study too large, a BOM, a TOML mistake --------------------


def test_a_byte_order_mark_is_not_an_error(tmp_path):
    """Notepad and some other editors save UTF-8 with a BOM first: the file is still the same settings."""
    path = tmp_path / "settings.toml"
    path.write_bytes(b"\xef\xbb\xbf" + FIXTURE_SETTINGS.read_bytes().replace(b"\n", b"\r\n"))
    assert load_settings(path) == load_settings(FIXTURE_SETTINGS)


def test_a_toml_mistake_says_how_to_fix_it(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text(FIXTURE_SETTINGS.read_text().replace("seed = 7", "seed = 7\nseed = 8"))
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    where, what, fix = str(caught.value).split(": ", 2)
    assert where.endswith("settings.toml") and what == "not valid TOML"
    assert "(at line 1" in fix and "correct that line" in fix


@pytest.mark.parametrize("key", ["hidden_sizes", "learning_rates", "weight_scales"])
def test_a_list_longer_than_the_figures_can_show_is_refused(raw, key):
    raw["study"][key] = list(range(1, MAX_VALUES + 1))
    check_settings(raw)  # the limit itself is accepted
    raw["study"][key] = list(range(1, 1001))
    with pytest.raises(
        SettingsError, match=rf"\[study\] {key} = .*\(1000 values\): too many values \(1000\)"
    ):
        check_settings(raw)


@pytest.mark.parametrize(
    ("study", "runs"),
    [
        ({"repeats": 1000, "iterations": 100_000}, False),  # 5 configurations: days, not minutes
        ({"hidden_sizes": [1000, 999, 998, 997], "iterations": 100_000}, False),
        ({"repeats": 20, "iterations": 1000}, True),
    ],
)
def test_a_study_that_would_take_hours_is_refused_before_it_starts(raw, study, runs):
    raw["study"].update(study)
    # an independent count: the grid (the run's own values added) at scale 1, the scales at the run's
    # size and rate, x repeats x iterations x (M + 5); and the run's configuration for its own iterations
    run, s = raw["run"], raw["study"]
    sizes, rates = (
        set(s["hidden_sizes"]) | {run["hidden_size"]},
        set(s["learning_rates"]) | {run["learning_rate"]},
    )
    configs = {(M, eta, 1.0) for M in sizes for eta in rates}
    configs |= {(run["hidden_size"], run["learning_rate"], w) for w in s["weight_scales"] + [1.0]}
    work = s["repeats"] * s["iterations"] * sum(M + 5 for M, _, _ in configs)
    work += (
        s["repeats"] * run["iterations"] * (run["hidden_size"] + 5) * (run["iterations"] != s["iterations"])
    )
    assert (work <= MAX_STUDY_WORK) == runs
    if runs:
        check_settings(copy.deepcopy(raw))
    else:
        with pytest.raises(SettingsError, match=r"\[study\] too large: .* lower repeats, iterations"):
            check_settings(raw)


def test_the_shipped_defaults_are_far_below_the_study_limit():
    """The limit is about 50 times the default study (see MAX_STUDY_WORK): a student has room to explore."""
    defaults = {"hidden_size": 10, "learning_rate": 0.1, "iterations": 1000}
    study = {
        "repeats": 20,
        "iterations": 1000,
        "hidden_sizes": [1, 2, 3, 4, 6, 8, 10, 15, 20, 30],
        "learning_rates": [0.01, 0.03, 0.1, 0.3, 1.0, 3.0],
        "weight_scales": [0.01, 0.1, 0.3, 1.0, 3.0, 10.0],
    }
    assert 40 <= MAX_STUDY_WORK / study_work(defaults, study) <= 60


@pytest.mark.parametrize("value", [1e308, 1000.5, 1e4])
def test_a_learning_rate_that_would_overflow_the_weights_is_refused(raw, value):
    """eta = 1e308 was accepted, and the graded run then failed as if the graded code were wrong."""
    raw["run"]["learning_rate"] = 1000  # the largest accepted
    raw["study"]["learning_rates"] = [0.1, 1000]
    check_settings(copy.deepcopy(raw))
    raw["run"]["learning_rate"] = value
    with pytest.raises(
        SettingsError, match=r"\[run\] learning_rate = .*: must be a number > 0 and at most 1000"
    ):
        check_settings(copy.deepcopy(raw))
    raw["run"]["learning_rate"] = 0.1
    raw["study"]["learning_rates"] = [0.1, value]
    with pytest.raises(SettingsError, match=r"\[study\] learning_rates = .*at most 1000"):
        check_settings(raw)
