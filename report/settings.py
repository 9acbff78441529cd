"""Read and check ``report/settings.toml``: everything a student changes.

Every key is known, typed and range-checked; a bad value stops the build
with one line naming the key and what is allowed, before anything runs.
"""

import math
import tomllib
from dataclasses import dataclass
from pathlib import Path

from report import paths


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
        if self.is_list and (not isinstance(value, list) or not value):
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


def _text(allowed="a string"):
    return Rule(str, allowed)


def _positive_int(allowed="a whole number >= 1", upper=None):
    if upper is None:
        return Rule(int, allowed, lambda v: v >= 1)
    return Rule(int, allowed, lambda v: 1 <= v <= upper)


_NUMBER = (int, float)
SCHEMA = {
    "report": {
        "name": _text("a string (your name, as it appears on the title page)"),
        "course": _text(),
        "title": _text(),
    },
    "run": {
        "seed": Rule(int, "a whole number from 0 to 2**32 - 1", lambda v: 0 <= v < 2**32),
        "hidden_size": _positive_int("a whole number from 1 to 1000", 1000),
        "learning_rate": Rule(_NUMBER, "a number > 0 (for example 0.1)", lambda v: v > 0),
        "iterations": _positive_int("a whole number from 1 to 100000", 100_000),
        "train_ratio": Rule(
            _NUMBER, "a number strictly between 0 and 1 (for example 0.8)", lambda v: 0 < v < 1
        ),
    },
    "study": {
        "repeats": Rule(int, "a whole number from 2 to 1000", lambda v: 2 <= v <= 1000),
        "iterations": _positive_int("a whole number from 1 to 100000", 100_000),
        "hidden_sizes": Rule(
            int, "a list of different whole numbers from 1 to 1000", lambda v: 1 <= v <= 1000, True
        ),
        "learning_rates": Rule(_NUMBER, "a list of different numbers > 0", lambda v: v > 0, True),
        "weight_scales": Rule(_NUMBER, "a list of different numbers > 0", lambda v: v > 0, True),
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
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except FileNotFoundError:
        raise SettingsError(
            f"{shown}: not found. Restore it with `git checkout -- report/settings.toml`"
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"{shown}: not valid TOML: {error}") from None
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
                raise SettingsError(f"{shown}: [{section}] {key} = {value!r}: must be {rule.allowed}")
            checked[section][key] = (
                [float(v) for v in value] if rule.is_list and rule.kind is _NUMBER else value
            )
            if rule.kind is _NUMBER and not rule.is_list:
                checked[section][key] = float(value)
    return checked
