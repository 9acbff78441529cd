"""make bench's build timings: the steps it runs are the pipeline's, and a failing step is reported."""

import sys

import pytest

from report import bench_build


def test_the_steps_write_into_the_scratch_folder(tmp_path):
    commands = bench_build.steps(tmp_path)
    assert list(commands) == ["experiments", "figures", "html", "pdf", "html+pdf"]
    for command in commands.values():
        assert command[:2] == [sys.executable, "-m"]
        outputs = [arg for arg in command if arg.startswith(str(tmp_path))]
        assert outputs, command  # never the student's build/
    assert commands["html+pdf"][2:5] == ["report.render", "html", "pdf"]


def test_timed_adds_up_the_steps_and_a_failure_stops_it():
    ok = [sys.executable, "-c", "pass"]
    found = bench_build.timed(["a", "b"], {"a": ok, "b": ok})
    assert set(found["steps"]) == {"a", "b"}
    assert found["wall_s"] == pytest.approx(sum(s["wall_s"] for s in found["steps"].values()), abs=2e-3)
    assert all(s["wall_s"] >= 0 and s["cpu_s"] >= 0 for s in found["steps"].values())
    with pytest.raises(RuntimeError, match="failed"):
        bench_build.timed(["bad"], {"bad": [sys.executable, "-c", "raise SystemExit(3)"]})


def test_an_edit_changes_the_partials_source_and_not_what_it_renders(tmp_path):
    import jinja2

    partial = tmp_path / "fixture.html.j2"
    partial.write_text("<p>{{ n }} points.</p>\n", encoding="utf-8")
    before = partial.read_text(encoding="utf-8")
    bench_build.edit(partial, 0)
    once = partial.read_text(encoding="utf-8")
    bench_build.edit(partial, 1)
    twice = partial.read_text(encoding="utf-8")
    assert len({before, once, twice}) == 3  # each edit is a new source: compiled again
    env = jinja2.Environment(keep_trailing_newline=True)
    assert {env.from_string(text).render(n=3) for text in (before, once, twice)} == {"<p>3 points.</p>\n"}
