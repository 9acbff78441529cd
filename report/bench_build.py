"""``make bench``, the build's part: a clean ``make report`` and a re-render after editing a partial.

Each step runs in its own process, as ``make`` runs it, into a scratch folder
(``build/bench-build/``, inside the project so that the PDF step may read
it), from the student's own settings and templates. Wall time is what a
student waits; CPU time (user + system of the step's process) is less moved
by other work on a shared machine, so both are kept.

    clean build  = experiments -> figures -> html -> pdf   (html and pdf timed apart)
    re-render    = render html+pdf, one process (what ``make report`` runs after a partial is saved)

The templates are a scratch copy of the student's: before each re-render one
discussion partial gets a new Jinja comment, as if it had been edited and
saved, so that the re-render compiles it again as after a real edit (the
other templates come from the cache of compiled templates, as in a build).
The clean build starts without any cache, as after ``make clean``.
"""

import os
import resource
import shutil
import subprocess
import sys
import time

from report import paths

SCRATCH = paths.BUILD / "bench-build"
RERENDER_REPEATS = 3  # the best of these: the re-render is short and the machine noisy


def steps(scratch=SCRATCH):
    """{step: command line}, in build order: the recipes of the Makefile, with outputs in ``scratch``."""
    results, figures = scratch / "results.json", scratch / "figures"
    html, pdf, templates = scratch / "report.html", scratch / "report.pdf", scratch / "templates"
    python = [sys.executable, "-m"]
    return {
        "experiments": python + ["report.experiments", "--output", str(results)],
        "figures": python + ["report.figures", "--results", str(results), "--output", str(figures)],
        "html": python + ["report.render", "html", "--results", str(results), "--html", str(html),
                          "--templates", str(templates)],
        "pdf": python + ["report.render", "pdf", "--html", str(html), "--pdf", str(pdf)],
        "html+pdf": python + ["report.render", "html", "pdf", "--results", str(results),
                              "--html", str(html), "--pdf", str(pdf), "--templates", str(templates)],
    }  # fmt: skip


def copy_templates(scratch=SCRATCH):
    """Copy the student's templates into ``scratch``; return the discussion partial to edit."""
    shutil.copytree(paths.TEMPLATES, scratch / "templates")
    return min((scratch / "templates" / "discussion").glob("*.j2"))


def edit(partial, n):
    """Save ``partial`` with a new Jinja comment: a different source, the same HTML."""
    text = partial.read_text(encoding="utf-8")
    partial.write_text(f"{text}{{# make bench: edit {n} #}}", encoding="utf-8")


def run(command):
    """Run one step; return (wall seconds, CPU seconds of its process)."""
    environment = {**os.environ, "PYTHONPATH": str(paths.ROOT), "MPLBACKEND": "Agg"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=paths.ROOT, env=environment, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[2:4])} failed:\n{done.stderr.strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def timed(names, commands):
    """Run ``names`` in order; return {"wall_s", "cpu_s", "steps": {name: {"wall_s", "cpu_s"}}}."""
    found = {}
    for name in names:
        wall, cpu = run(commands[name])
        found[name] = {"wall_s": round(wall, 3), "cpu_s": round(cpu, 3)}
    return {
        "wall_s": round(sum(s["wall_s"] for s in found.values()), 3),
        "cpu_s": round(sum(s["cpu_s"] for s in found.values()), 3),
        "steps": found,
    }


def measure(scratch=SCRATCH, say=print):
    """Return the timings of a clean build and of a re-render (best of ``RERENDER_REPEATS``)."""
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    partial = copy_templates(scratch)
    commands = steps(scratch)
    say("Build: a clean `make report` at your settings, step by step ...")
    clean = timed(["experiments", "figures", "html", "pdf"], commands)
    say(f"Build: re-render after editing a partial (best of {RERENDER_REPEATS}) ...")
    rerenders = []
    for n in range(RERENDER_REPEATS):
        edit(partial, n)
        rerenders.append(timed(["html+pdf"], commands))
    rerender = min(rerenders, key=lambda r: r["wall_s"])
    shutil.rmtree(scratch, ignore_errors=True)
    return {"clean_build": clean, "rerender": rerender, "targets_s": {"clean_build": 10, "rerender": 1.5}}


def show(timings):
    titles = {"clean_build": "Clean make report", "rerender": "Re-render after editing a partial"}
    for key, title in titles.items():
        found = timings[key]
        print(f"{title}: {found['wall_s']:.2f} s wall, {found['cpu_s']:.2f} s CPU "
              f"(target {timings['targets_s'][key]} s)")  # fmt: skip
        for name, step in found["steps"].items():
            print(f"  {name:<12} {step['wall_s']:6.2f} s wall {step['cpu_s']:6.2f} s CPU")


def main():
    timings = measure()
    show(timings)
    return timings


if __name__ == "__main__":
    main()
