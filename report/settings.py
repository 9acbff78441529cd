"""Read and check ``report/settings.toml``: everything a student changes.

Every key is known, typed and range-checked; a bad value stops the build
with one line naming the key and what is allowed, before anything runs.
"""

import math
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from assignment.tools import IRIS_POINTS
from report import paths

# A study's size: each list at most MAX_VALUES values (one tick or heatmap cell
# each in the figures), and the whole study at most MAX_STUDY_WORK "unit
# iterations": repeats x iterations x the sum over configurations of (M + 5),
# the engine's cost of one network-iteration, roughly. The default study is
# about 2e7 (one to two minutes); the limit, 50 times that, about an hour on a
# slow laptop, instead of days for `repeats = 1000` with `iterations = 100000`.
MAX_VALUES = 15
# The largest learning rate: far past where training diverges (about 1), and
# small enough that the weights stay finite for any accepted iterations (they
# grow at most like eta**2 * iterations**2), so that the graded train_nn,
# called in chunks, is never handed inf weights (eta = 1e308 was).
MAX_ETA = 1000
# The largest initial weight scale: with it and MAX_ETA, no weight, sum or product of either
# train_nn or the engine comes near the largest float (1.8e308) in any accepted run (the weights
# stay below about 1e110), so no network diverges. Near 1e308, train_nn's elementwise sums
# overflow to nan where the engine's matmuls (fused multiply-adds) do not: the two would part.
MAX_SCALE = 1e100
MAX_STUDY_WORK = 1_000_000_000
TEXT_LIMIT = 200  # characters of a name, course or title: one or two lines on the title page
# The characters every face of the report's fonts (DejaVu Serif and Sans) can
# print: Latin (with Vietnamese), Greek, Cyrillic, common punctuation and the
# euro sign. Anything else (CJK, emoji) would print as empty boxes.
PRINTABLE = (
    (0x20, 0x7E), (0xA0, 0x24F), (0x300, 0x33F), (0x370, 0x3E1), (0x3F0, 0x45F), (0x490, 0x491),
    (0x1E00, 0x1EF9), (0x2010, 0x2026), (0x2030, 0x203A), (0x20AC, 0x20AC),
)  # fmt: skip


class SettingsError(ValueError):
    """A settings file that cannot be used; the message names the key."""


@dataclass(frozen=True)
class Rule:
    """What one key may hold: a type, and a check with its description."""

    kind: type
    allowed: str
    check: object = None
    is_list: bool = False

    def accepts(self, value):
        items = value if self.is_list else [value]
        if self.is_list and (not isinstance(value, list) or not 1 <= len(value) <= MAX_VALUES):
            return False
        for item in items:
            if isinstance(item, bool) or not isinstance(item, self.kind):
                return False
            if isinstance(item, float) and not math.isfinite(item):
                return False
            if self.check is not None and not self.check(item):
                return False
        if self.is_list and len(set(items)) != len(items):
            return False
        return True


def _unprintable(text):
    """The first character of ``text`` the report's fonts cannot print, or None."""
    for char in text:
        code = ord(char)
        if unicodedata.category(char) in ("Cc", "Cf", "Cn") or not any(a <= code <= b for a, b in PRINTABLE):
            return char
    return None


def _printable_text(value):
    return 0 < len(value.strip()) and len(value) <= TEXT_LIMIT and _unprintable(value) is None


def _text(allowed=f"a text of 1 to {TEXT_LIMIT} characters"):
    return Rule(str, allowed, _printable_text)


def _positive_int(allowed="a whole number >= 1", upper=None):
    if upper is None:
        return Rule(int, allowed, lambda v: v >= 1)
    return Rule(int, allowed, lambda v: 1 <= v <= upper)


_NUMBER = (int, float)
SCHEMA = {
    "report": {
        "name": _text(f"a text of 1 to {TEXT_LIMIT} characters (your name, as it appears on the title page)"),
        "course": _text(),
        "title": _text(),
    },
    "run": {
        "seed": Rule(int, "a whole number from 0 to 2**32 - 1", lambda v: 0 <= v < 2**32),
        "hidden_size": _positive_int("a whole number from 1 to 1000", 1000),
        "learning_rate": Rule(
            _NUMBER, f"a number > 0 and at most {MAX_ETA:g} (for example 0.1)", lambda v: 0 < v <= MAX_ETA
        ),
        "iterations": _positive_int("a whole number from 1 to 100000", 100_000),
        "train_ratio": Rule(
            _NUMBER, "a number strictly between 0 and 1 (for example 0.8)", lambda v: 0 < v < 1
        ),
    },
    "study": {
        "repeats": Rule(int, "a whole number from 2 to 1000", lambda v: 2 <= v <= 1000),
        "iterations": _positive_int("a whole number from 1 to 100000", 100_000),
        "hidden_sizes": Rule(
            int,
            f"a list of different whole numbers from 1 to 1000, at most {MAX_VALUES} of them",
            lambda v: 1 <= v <= 1000,
            True,
        ),
        "learning_rates": Rule(
            _NUMBER,
            f"a list of different numbers > 0 and at most {MAX_ETA:g}, at most {MAX_VALUES} of them",
            lambda v: 0 < v <= MAX_ETA,
            True,
        ),
        "weight_scales": Rule(
            _NUMBER,
            f"a list of different numbers > 0 and at most 1e100, at most {MAX_VALUES} of them",
            lambda v: 0 < v <= MAX_SCALE,
            True,
        ),
    },
}


@dataclass(frozen=True)
class Settings:
    """The checked settings, grouped as in the file."""

    report: dict
    run: dict
    study: dict

    def as_dict(self):
        return {"report": dict(self.report), "run": dict(self.run), "study": dict(self.study)}


def load_settings(path=paths.SETTINGS):
    """Read ``path`` and return checked ``Settings``, or raise SettingsError."""
    path = Path(path)
    shown = paths.shown(path)
    try:
        # utf-8-sig: a byte-order mark, which some editors put first, is not an error
        raw = tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except FileNotFoundError:
        raise SettingsError(
            f"{shown}: not found. Restore it with `git checkout -- report/settings.toml`"
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(
            f"{shown}: not valid TOML: {error}: correct that line (each key once, `key = value`, texts in "
            "quotes; `git diff report/settings.toml` shows what you changed)"
        ) from None
    except UnicodeDecodeError as error:
        raise SettingsError(
            f"{shown}: not UTF-8 text (byte {error.start}: {error.object[error.start : error.start + 1]!r}): "
            "save it as UTF-8 in your editor"
        ) from None
    except OSError as error:
        raise SettingsError(f"{shown}: cannot be read ({error.strerror}): restore it with "
                            "`git checkout -- report/settings.toml`") from None  # fmt: skip
    return Settings(**check_settings(raw, shown))


def check_settings(raw, shown="settings.toml"):
    """Check a parsed settings table; return {section: {key: value}}."""
    checked = {}
    for section in raw:
        if section not in SCHEMA:
            raise SettingsError(f"{shown}: unknown section [{section}]; allowed: {', '.join(SCHEMA)}")
    for section, rules in SCHEMA.items():
        table = raw.get(section)
        if not isinstance(table, dict):
            raise SettingsError(f"{shown}: missing section [{section}]")
        for key in table:
            if key not in rules:
                raise SettingsError(f"{shown}: unknown key [{section}] {key}; allowed: {', '.join(rules)}")
        checked[section] = {}
        for key, rule in rules.items():
            if key not in table:
                raise SettingsError(f"{shown}: missing key [{section}] {key}: must be {rule.allowed}")
            value = table[key]
            if not rule.accepts(value):
                raise SettingsError(
                    f"{shown}: [{section}] {key} = {_shown_value(value)}: {_why(value, rule)}"
                )
            checked[section][key] = (
                [float(v) for v in value] if rule.is_list and rule.kind is _NUMBER else value
            )
            if rule.kind is _NUMBER and not rule.is_list:
                checked[section][key] = float(value)
    _check_split(checked["run"]["train_ratio"], shown)
    _check_study_size(checked["run"], checked["study"], shown)
    return checked


def study_values(run, study):
    """The values each factor takes: the study's, plus the run's own when the grid lacks it."""
    return {
        "hidden_sizes": sorted(set(study["hidden_sizes"]) | {run["hidden_size"]}),
        "learning_rates": sorted(set(study["learning_rates"]) | {run["learning_rate"]}),
        "weight_scales": sorted(set(study["weight_scales"]) | {1.0}),
    }


def study_configurations(run, study):
    """The (hidden size, learning rate, weight scale) triples the study trains.

    The grid of hidden sizes and learning rates at scale 1, and the scales at
    the run's size and rate: the run's configuration is always among them.
    """
    values = study_values(run, study)
    M0, eta0 = run["hidden_size"], run["learning_rate"]
    configs = {(M, eta, 1.0) for M in values["hidden_sizes"] for eta in values["learning_rates"]}
    configs |= {(M0, eta0, s) for s in values["weight_scales"]}
    return sorted(configs)


def study_work(run, study):
    """The study's cost in unit iterations (see MAX_STUDY_WORK), with the run's configuration
    retrained for the run's iterations when they differ from the study's."""
    work = study["repeats"] * study["iterations"] * sum(M + 5 for M, _, _ in study_configurations(run, study))
    if run["iterations"] != study["iterations"]:
        work += study["repeats"] * run["iterations"] * (run["hidden_size"] + 5)
    return work


def _check_study_size(run, study, shown):
    """A study that would run for many hours is refused before it starts, with what to reduce."""
    work = study_work(run, study)
    if work > MAX_STUDY_WORK:
        configs = len(study_configurations(run, study))
        raise SettingsError(
            f"{shown}: [study] too large: {configs} configurations x {study['repeats']} repeats x "
            f"{study['iterations']} iterations is about {work / MAX_STUDY_WORK * 50:.0f} times the default "
            "study's work (which takes a minute or two), and would take hours: the limit is 50 times; "
            "lower repeats, iterations, the hidden sizes or the number of values"
        )


def split_sizes(train_ratio, points=IRIS_POINTS):
    """(training, test) points of the course's split: int(N * ratio) and the rest less the dropped one."""
    train = int(points * train_ratio)
    return train, points - train - 1


def _check_split(train_ratio, shown):
    """Both sides of the split must hold at least one point (training and testing need one)."""
    train, test = split_sizes(train_ratio)
    if train < 1 or test < 1:
        low = next(r / 1000 for r in range(1, 1000) if split_sizes(r / 1000)[0] >= 1)
        high = next(r / 1000 for r in range(999, 0, -1) if split_sizes(r / 1000)[1] >= 1)
        raise SettingsError(
            f"{shown}: [run] train_ratio = {train_ratio!r} gives {train} training and {test} test points "
            f"(of {IRIS_POINTS}, the last shuffled one dropped): must leave at least one on each side, "
            f"for example from {low} to {high}"
        )


def _shown_value(value):
    """The value as the message shows it: long texts cut short."""
    text = repr(value)
    unit = "values" if isinstance(value, list) else "characters"
    return text if len(text) <= 60 else f"{text[:50]}... ({len(value)} {unit})"


def _why(value, rule):
    """What is wrong with a refused value, and what is allowed."""
    if rule.kind is str and isinstance(value, str):
        if len(value) > TEXT_LIMIT:
            return f"too long ({len(value)} characters): must be at most {TEXT_LIMIT}"
        char = _unprintable(value)
        if char is not None:
            return (
                f"holds {char!r} (U+{ord(char):04X}), which the report's fonts cannot print: "
                "use Latin, Greek or Cyrillic letters (for example a transliteration)"
            )
    if rule.is_list and isinstance(value, list) and len(value) > MAX_VALUES:
        return f"too many values ({len(value)}): must be {rule.allowed}"
    return f"must be {rule.allowed}"
