"""``make preview``: served on 127.0.0.1 only, rebuilt on save, errors in the page, nothing outside served.

Every test runs against a scratch project (fixture templates, a fixture page)
with a fake build command, so nothing here reads the student's files or runs
the real pipeline. Every wait is bounded.
"""

import http.client
import os
import select
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from report import preview as pv

WAIT = 30  # seconds: the longest any step may take on a loaded machine before the test fails
PAGE = "<!DOCTYPE html>\n<html><head><title>t</title></head>\n<body>\n<p>{text}</p>\n</body>\n</html>\n"
SECRET = "student_name = 'settings, not to be served'"
ERROR = "error: templates/discussion/part.html.j2:2: unexpected end of template"

# The fake build: renders templates/discussion/part.html.j2 into build/report.html, or fails with
# the build's own message format when the partial says BROKEN; SLEEP in it makes the build hang.
BUILDER = textwrap.dedent(
    f"""\
    import sys, time
    from pathlib import Path
    text = Path("templates/discussion/part.html.j2").read_text()
    if "SLEEP" in text:
        print("building slowly", flush=True)
        time.sleep({WAIT * 4})
    if "BROKEN" in text:
        print("rendering", flush=True)
        print({ERROR!r}, file=sys.stderr)
        print("The previous report, if any, is unchanged.", file=sys.stderr)
        sys.exit(1)
    Path("build/report.html").write_text({PAGE!r}.format(text=text.strip()))
    print("Wrote build/report.html")
    """
)


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "project"
    (root / "templates" / "discussion").mkdir(parents=True)
    (root / "templates" / "report.css").write_text("body { color: black; }\n")
    (root / "templates" / "discussion" / "part.html.j2").write_text("first words\n")
    (root / "build" / "figures").mkdir(parents=True)
    (root / "build" / "report.html").write_text(PAGE.format(text="first words"))
    (root / "build" / "figures" / "error.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (root / "report").mkdir()
    (root / "report" / "settings.toml").write_text(SECRET + "\n")
    (tmp_path / "builder.py").write_text(BUILDER)
    return root


def make_preview(root, port=0, **kwargs):
    return pv.Preview(
        root=root,
        page=root / "build" / "report.html",
        served=(root / "build", root / "templates"),
        watch=(root / "templates", root / "report" / "settings.toml"),
        command=[sys.executable, str(root.parent / "builder.py")],
        port=port,
        poll=0.05,
        out=open(os.devnull, "w"),  # noqa: SIM115 - closed by the fixture
        **kwargs,
    )


@pytest.fixture
def running(project):
    preview = make_preview(project).start(build_first=False)
    yield preview
    preview.stop()
    preview.out.close()


def get(preview, path):
    """(status, body) of GET ``path``, sent exactly as written (no client-side normalisation)."""
    connection = http.client.HTTPConnection(pv.HOST, preview.port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def save(path, text):
    """Write ``path`` and move its mtime on, so that a save within one clock tick is still seen."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text)
    os.utime(path, ns=(before + 10**9, before + 10**9))


def wait_for_version(preview, version):
    deadline = time.monotonic() + WAIT
    while preview.status()["version"] < version:
        assert time.monotonic() < deadline, f"no build finished within {WAIT} s"
        time.sleep(0.05)
    return preview.status()


def test_the_page_is_served_with_the_reload_script_and_the_file_on_disk_is_unchanged(project, running):
    on_disk = (project / "build" / "report.html").read_text()
    status, page = get(running, "/build/report.html")
    assert status == 200
    assert "<p>first words</p>" in page
    assert pv.STATUS_PATH in page and "location.reload()" in page
    assert page.index("</script>") < page.index("</body>")  # inside the body, where it runs
    assert (project / "build" / "report.html").read_text() == on_disk
    assert "<script" not in on_disk


def test_root_redirects_to_the_page_and_the_stylesheet_and_figures_resolve_as_on_disk(running):
    connection = http.client.HTTPConnection(pv.HOST, running.port, timeout=10)
    try:
        connection.request("GET", "/")
        response = connection.getresponse()
        response.read()
        assert response.status == 302
        assert response.getheader("Location").endswith("/build/report.html")
    finally:
        connection.close()
    # the page links ../templates/report.css and figures/error.svg, relative to /build/
    assert get(running, "/templates/report.css") == (200, "body { color: black; }\n")
    status, svg = get(running, "/build/figures/error.svg")
    assert status == 200 and svg.startswith("<svg")


def test_saving_a_watched_template_rebuilds_and_the_page_shows_the_change(project, running):
    save(project / "templates" / "discussion" / "part.html.j2", "second words\n")
    status = wait_for_version(running, 1)
    assert status == {"version": 1, "building": False, "errors": None}
    code, page = get(running, "/build/report.html")
    assert code == 200 and "<p>second words</p>" in page and "first words" not in page
    assert "var version = 1," in page  # a page served before (version 0) reloads itself


@pytest.mark.parametrize("watched", ["templates/report.css", "report/settings.toml"])
def test_the_stylesheet_and_the_settings_are_watched(project, running, watched):
    save(project / watched, "changed = 1\n")
    assert wait_for_version(running, 1)["errors"] is None


def test_a_file_outside_the_watched_set_starts_no_build(project, running):
    save(project / "templates" / "discussion" / "part.html.j2~", "an editor's backup\n")
    save(project / "build" / "other.html", "an output\n")
    time.sleep(0.5)  # ten polls: any build would have started
    assert running.status() == {"version": 0, "building": False, "errors": None}


def test_a_failed_build_shows_its_file_and_line_in_the_page_and_a_fix_clears_it(project, running):
    partial = project / "templates" / "discussion" / "part.html.j2"
    save(partial, "words\n{% if BROKEN\n")
    assert wait_for_version(running, 1)["errors"] == [ERROR]
    status, page = get(running, "/build/report.html")
    assert status == 200
    assert 'id="preview-error"' in page
    assert "templates/discussion/part.html.j2:2: unexpected end of template" in page
    assert "<p>first words</p>" in page  # over the last good page
    assert page.index('id="preview-error"') < page.index("<p>first words</p>")

    save(partial, "fixed words\n")
    assert wait_for_version(running, 2)["errors"] is None
    status, page = get(running, "/build/report.html")
    assert "<p>fixed words</p>" in page and 'id="preview-error"' not in page


def test_the_error_is_shown_escaped(project, running):
    fails = "import sys; print('error: t.j2:1: <b>&', file=sys.stderr); sys.exit(1)"
    running.command = [sys.executable, "-c", fails]
    save(project / "templates" / "discussion" / "part.html.j2", "BROKEN")
    wait_for_version(running, 1)
    _, page = get(running, "/build/report.html")
    assert "error: t.j2:1: &lt;b&gt;&amp;" in page and "<b>&" not in page


def this_machines_addresses():
    """The machine's own IPv4 addresses other than loopback (none when it has no network)."""
    found = set()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # a documentation address: UDP connect sends nothing
            found.add(probe.getsockname()[0])
        except OSError:
            pass
    try:
        found |= {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)}
    except OSError:
        pass
    return {address for address in found if not address.startswith("127.") and address != "0.0.0.0"}


def test_the_server_listens_on_the_loopback_address_only(running):
    assert running.server.socket.getsockname()[0] == "127.0.0.1"
    assert running.url.startswith(f"http://127.0.0.1:{running.port}/")
    for address in this_machines_addresses():  # from the network, nothing answers
        with pytest.raises(OSError):
            socket.create_connection((address, running.port), timeout=2).close()


def test_a_request_naming_another_host_is_refused(running):
    """A page elsewhere that points its own name at 127.0.0.1 (DNS rebinding) cannot read the preview."""
    connection = http.client.HTTPConnection(pv.HOST, running.port, timeout=10)
    try:
        connection.request("GET", "/build/report.html", headers={"Host": f"evil.example:{running.port}"})
        response = connection.getresponse()
        assert response.status == 421 and b"first words" not in response.read()
    finally:
        connection.close()


@pytest.mark.parametrize(
    "path",
    [
        "/report/settings.toml",
        "/../report/settings.toml",
        "/build/../report/settings.toml",
        "/%2e%2e/report/settings.toml",
        "/build/%2e%2e/report/settings.toml",
        "/build/%2E%2E%2freport%2fsettings.toml",
        "/templates/..%2f..%2fproject/report/settings.toml",
        "/build/link/settings.toml",
        "/%2e%2e/",
    ],
)
def test_a_path_outside_the_served_folders_is_refused(project, running, path):
    (project / "build" / "link").symlink_to(project / "report")
    status, body = get(running, path)
    assert status in (403, 404)
    assert "settings, not to be served" not in body


def test_without_a_page_yet_a_placeholder_reloads_itself_and_a_removed_page_shows_its_last_copy(project):
    page = project / "build" / "report.html"
    page.unlink()
    preview = make_preview(project).start(build_first=True)
    try:
        status, body = get(preview, "/build/report.html")
        assert status == 200
        assert "No report yet" in body or "<p>first words</p>" in body  # the first build may be done
        assert "location.reload()" in body
        wait_for_version(preview, 1)
        assert "<p>first words</p>" in get(preview, "/build/report.html")[1]
        page.unlink()  # e.g. `make clean` while the preview runs
        body = get(preview, "/build/report.html")[1]
        assert "<p>first words</p>" in body and "location.reload()" in body
    finally:
        preview.stop()
        preview.out.close()


def test_a_missing_file_is_not_found(running):
    assert get(running, "/build/figures/none.svg")[0] == 404
    assert get(running, "/build/figures")[0] == 404


def test_a_busy_port_falls_back_to_the_next_free_one(project):
    with socket.socket() as busy:
        busy.bind((pv.HOST, 0))
        busy.listen()
        port = busy.getsockname()[1]
        preview = make_preview(project, port=port)
        try:
            assert port < preview.port < port + pv.PORTS_TRIED
        finally:
            preview.stop()
            preview.out.close()


def test_stopping_ends_a_running_build_and_frees_the_port(project):
    preview = make_preview(project).start(build_first=False)
    port = preview.port
    try:
        save(project / "templates" / "discussion" / "part.html.j2", "SLEEP")
        deadline = time.monotonic() + WAIT
        while preview._child is None:
            assert time.monotonic() < deadline, "the build did not start"
            time.sleep(0.05)
        child = preview._child
    finally:
        preview.stop()
        preview.out.close()
    assert child.poll() is not None  # the build was ended, not left running
    with socket.socket() as again:
        again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as a new preview would
        again.bind((pv.HOST, port))


def test_ctrl_c_stops_cleanly_without_a_traceback(project):
    """The command-line loop: SIGINT (what Ctrl-C sends) ends it with exit code 0 and frees the port."""
    script = textwrap.dedent(
        f"""\
        import sys
        from pathlib import Path
        from report import preview as pv
        root = Path({str(project)!r})
        p = pv.Preview(root=root, page=root / "build" / "report.html", served=(root / "build",),
                       watch=(root / "templates",), command=[sys.executable, "-c", "pass"], port=0, poll=0.05)
        sys.exit(pv.serve(p))
        """
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=Path(pv.paths.ROOT),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        ready, _, _ = select.select([child.stderr], [], [], WAIT)
        assert ready, f"the preview printed no address within {WAIT} s"
        line = child.stderr.readline()  # "preview: open http://127.0.0.1:PORT/build/report.html ..."
        assert "http://127.0.0.1:" in line
        port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=WAIT)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    assert child.returncode == 0
    assert "Traceback" not in err and "preview: stopped" in err
    with socket.socket() as again:
        again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        again.bind((pv.HOST, port))


# --- the parts, one by one --------------------------------------------------------


def test_inject_adds_the_script_before_the_body_ends_and_the_banner_after_it_opens():
    page = pv.inject("<html><BODY class='x'><p>text</p></BODY></html>", 7, ["error: a.j2:3: bad"])
    assert page.startswith("<html><BODY class='x'><div id=\"preview-bar\"")
    assert page.endswith("</script></BODY></html>")
    assert "var version = 7," in page and "error: a.j2:3: bad" in page


def test_inject_without_a_body_still_works():
    page = pv.inject("<p>text</p>", 0)
    assert "<p>text</p>" in page and "location.reload()" in page and "preview-error" not in page


def test_error_lines_keeps_the_builds_own_errors_or_else_its_last_lines():
    output = f"make: html\n{ERROR}\nThe previous report, if any, is unchanged.\nmake: *** Error 1\n"
    assert pv.error_lines(output) == [ERROR]
    assert pv.error_lines("Traceback\n  boom\n") == ["Traceback", "  boom"]
    assert pv.error_lines("") == ["the build failed without a message"]


def test_a_snapshot_sees_saves_creations_and_removals(project):
    templates = project / "templates"
    before = pv.snapshot([templates])
    assert set(before) == {templates / "report.css", templates / "discussion" / "part.html.j2"}
    save(templates / "discussion" / "new.html.j2", "x")
    (templates / "report.css").unlink()
    after = pv.snapshot([templates])
    assert pv.changed(before, after) == [templates / "discussion" / "new.html.j2", templates / "report.css"]
