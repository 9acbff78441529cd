"""Fixtures of the pipeline's tests: settings that do not come from the student's file."""

from pathlib import Path

import pytest

from report.settings import Settings, load_settings

FIXTURE_SETTINGS = Path(__file__).resolve().parent.parent / "fixtures" / "settings.toml"


def tiny_settings(**study):
    """The fixture settings (a small study), with study keys overridden."""
    base = load_settings(FIXTURE_SETTINGS)
    return Settings(report=base.report, run=dict(base.run), study={**base.study, **study})


@pytest.fixture
def settings_file(tmp_path):
    """A writable copy of the fixture settings file."""
    path = tmp_path / "settings.toml"
    path.write_text(FIXTURE_SETTINGS.read_text())
    return path
