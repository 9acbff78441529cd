"""``make preview``: the report in a browser, rebuilt and reloaded on every save.

    python -m report.preview [--port 8000]

Serves ``build/report.html`` (with its figures and ``templates/report.css``)
on 127.0.0.1 only, and watches the templates, the stylesheet and
``report/settings.toml``. On every save it runs ``make html``, which redoes
only the steps whose inputs changed (a discussion edit re-renders the HTML; a
settings edit reruns the experiments and the figures first). The page polls
``/__build`` and reloads itself when a build has finished. A failed build
shows its ``error: templates/...:LINE: message`` as a banner over the last
good page; the next good build clears it. Ctrl-C stops the server and any
running build.

The reload script and the banner are added to the page as it is served: the
file on disk, and so the PDF, never contain them. Only files inside
``build/`` and ``templates/`` are served.
"""

import argparse
import errno
import html
import json
import mimetypes
import os
import signal
import subprocess
import sys
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

from report import paths

HOST = "127.0.0.1"  # never another interface: the preview is for the student's own browser
DEFAULT_PORT = 8000
PORTS_TRIED = 20  # DEFAULT_PORT, DEFAULT_PORT + 1, ... until one is free
POLL_SECONDS = 0.25  # how often the watched files' mtimes are read
SETTLE_ROUNDS = 8  # polls to wait at most for a file being saved to stop changing
STATUS_PATH = "/__build"
WATCHED_SUFFIXES = (".j2", ".css")  # in a watched folder; editors' backup and swap files are not
MAKE_ENV_DROPPED = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")  # the child make is a fresh, top-level one


def default_command():
    return ["make", "--no-print-directory", "html"]


# --- watching --------------------------------------------------------------------


def watched_files(watch):
    """The files of ``watch`` (files, and folders searched for templates and stylesheets)."""
    files = []
    for path in map(Path, watch):
        if path.is_dir():
            files += [p for p in path.rglob("*") if p.suffix in WATCHED_SUFFIXES and p.is_file()]
        else:
            files.append(path)
    return sorted(files)


def snapshot(watch):
    """{file: (mtime_ns, size)} of the watched files that exist: any save, creation or removal changes it."""
    state = {}
    for path in watched_files(watch):
        try:
            st = path.stat()
        except OSError:  # removed between listing and stat: it counts as absent
            continue
        state[path] = (st.st_mtime_ns, st.st_size)
    return state


def changed(before, after):
    """The files saved, created or removed between two snapshots."""
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


def error_lines(output):
    """The build's own ``error: ...`` lines; without any, its last lines."""
    lines = [line.rstrip() for line in output.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error:")]
    return errors or lines[-15:] or ["the build failed without a message"]


# --- the page as served ----------------------------------------------------------

_SCRIPT = """<script>
/* Added by `make preview` as the page is served: not in build/report.html, not in the PDF. */
(function () {
  var version = %(version)d, key = "preview-scroll:" + location.pathname;
  window.addEventListener("load", function () {
    var y = sessionStorage.getItem(key);
    if (y !== null) { sessionStorage.removeItem(key); window.scrollTo(0, Number(y)); }
  });
  function poll() {
    fetch("%(status)s", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
      var note = document.getElementById("preview-building");
      if (note) { note.hidden = !s.building; }
      if (s.version !== version) {
        sessionStorage.setItem(key, String(window.scrollY));
        location.reload();
      } else {
        setTimeout(poll, 400);
      }
    }, function () { setTimeout(poll, 2000); });  /* the preview is stopped: wait for it */
  }
  poll();
})();
</script>"""

_LINE = (
    "font: 13px/1.4 'DejaVu Sans Mono', monospace; margin: 0; padding: 8px 12px; "
    "text-align: left; white-space: pre-wrap; overflow-wrap: anywhere;"
)
_BUILDING = (
    f'<div id="preview-building" hidden style="{_LINE} background: #fff7d6; color: #5c4400; '
    'border-bottom: 1px solid #d9b600;">Rebuilding… the page reloads when the build is done.</div>'
)


def banner(errors):
    """The failed build's messages, as a block shown at the top of the page."""
    text = "\n".join(html.escape(line) for line in errors)
    return (
        f'<div id="preview-error" role="alert" style="{_LINE} background: #fde8e8; color: #8a0000; '
        f'border-bottom: 2px solid #b30000;"><strong>The last build failed</strong> '
        f"(below: the last good build; save a fix and the page reloads)\n{text}</div>"
    )


def inject(page, version, errors=None):
    """``page`` with the reload script, the building note and, after a failed build, its errors.

    The note and the errors stay at the top of the window while the page scrolls.
    """
    top = (
        '<div id="preview-bar" style="position: sticky; top: 0; z-index: 1000; max-height: 45vh; '
        f'overflow: auto;">{_BUILDING}{banner(errors) if errors else ""}</div>'
    )
    bottom = _SCRIPT % {"version": version, "status": STATUS_PATH}
    lower = page.lower()
    body = lower.find("<body")
    if body >= 0 and (end := lower.find(">", body)) >= 0:
        page = page[: end + 1] + top + page[end + 1 :]
    else:
        page = top + page
    close = page.lower().rfind("</body>")
    if close < 0:
        return page + bottom
    return page[:close] + bottom + page[close:]


PLACEHOLDER = (
    "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>Preview</title></head>"
    "<body><p style='font: 16px sans-serif; margin: 2em'>No report yet: the first build is running. "
    "This page reloads itself when it is done.</p></body></html>"
)


# --- the server ------------------------------------------------------------------


class Preview:
    """A preview of ``page`` served from ``root``, rebuilt by ``command`` when a file of ``watch`` changes.

    ``served`` are the folders (inside ``root``) whose files may be fetched; the
    URL of a file is its path relative to ``root``, so the page's relative links
    (``figures/...``, ``../templates/report.css``) resolve as on disk.
    """

    def __init__(
        self,
        root=paths.ROOT,
        page=paths.HTML,
        served=(paths.BUILD, paths.TEMPLATES),
        watch=(paths.TEMPLATES, paths.SETTINGS),
        command=None,
        port=DEFAULT_PORT,
        tries=PORTS_TRIED,
        poll=POLL_SECONDS,
        out=None,
    ):
        self.root = Path(root).resolve()
        self.page = Path(page).resolve()
        self.served = [Path(folder).resolve() for folder in served]
        self.watch = [Path(path) for path in watch]
        self.command = list(command) if command is not None else default_command()
        self.poll = poll
        self.out = out if out is not None else sys.stderr
        self.version = 0  # finished builds, good or failed: a page with an older one reloads
        self.building = False
        self.errors = None  # the last build's messages when it failed
        self.last_good = None  # the page as last read from disk, shown while the file is missing
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._child = None
        self._threads = []
        self.server = _bind(port, tries, self)

    @property
    def port(self):
        return self.server.server_address[1]

    @property
    def url(self):
        return f"http://{HOST}:{self.port}/{self.page.relative_to(self.root).as_posix()}"

    def say(self, message):
        print(message, file=self.out, flush=True)

    # --- lifecycle

    def start(self, build_first=True):
        """Serve and watch in background threads; with ``build_first``, build once at once."""
        serve = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
        # The files as they are now: a save from the moment start() returns is seen.
        before = snapshot(self.watch)
        watch = threading.Thread(target=self._watch, args=(before, build_first), daemon=True)
        for thread in (serve, watch):
            thread.start()
            self._threads.append(thread)  # only started threads: stop() waits for these
        return self

    def stop(self, timeout=10):
        """Stop watching, terminate a running build, stop serving and free the port."""
        self._stop.set()
        self._terminate_child()
        if self._threads:  # shutdown() waits for serve_forever(), which must have been started
            self.server.shutdown()
        self.server.server_close()
        for thread in self._threads:
            thread.join(timeout)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # --- building

    def status(self):
        with self._lock:
            return {"version": self.version, "building": self.building, "errors": self.errors}

    def _watch(self, before, build_first):
        if build_first:
            self.rebuild("first build")
        while not self._stop.wait(self.poll):
            after = snapshot(self.watch)
            if after == before:
                continue
            # An editor may write a file in several steps: build once it has settled (or after
            # SETTLE_ROUNDS polls, for an editor that saves all the time).
            for _ in range(SETTLE_ROUNDS):
                if self._stop.wait(self.poll) or (settled := snapshot(self.watch)) == after:
                    break
                after = settled
            if self._stop.is_set():
                break
            saved = ", ".join(str(paths.shown(path)) for path in changed(before, after))
            before = after  # a save during the build is seen on the next round, and built again
            self.rebuild(f"saved {saved}")

    def rebuild(self, reason):
        """Run the build command once; record whether it failed and with which messages."""
        with self._lock:
            self.building = True
        self.say(f"preview: {reason}: {' '.join(self.command)}")
        started = time.monotonic()
        env = {k: v for k, v in os.environ.items() if k not in MAKE_ENV_DROPPED}
        output, code = "", None
        try:
            # Its own session: Ctrl-C in the terminal reaches the preview, which then ends
            # the build's whole process group itself (make and the Python it runs).
            child = subprocess.Popen(
                self.command,
                cwd=self.root,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                errors="replace",
                start_new_session=True,
            )
        except OSError as error:
            output = f"error: cannot run {self.command[0]}: {error.strerror}"
        else:
            with self._lock:
                self._child = child
            if self._stop.is_set():  # stop() came between its check and this start
                self._terminate_child()
            lines = []
            with child.stdout:
                for line in child.stdout:
                    lines.append(line)
                    if not self._stop.is_set():  # a build ended by Ctrl-C says nothing more
                        self.out.write(line)
            self.out.flush()
            code = child.wait()
            output = "".join(lines)
            with self._lock:
                self._child = None
        if self._stop.is_set():
            return
        failed = code != 0
        with self._lock:
            self.errors = error_lines(output) if failed else None
            self.building = False
            self.version += 1
        seconds = time.monotonic() - started
        if failed:
            self.say(f"preview: the build failed ({seconds:.1f} s); the page shows the error")
        else:
            self.say(f"preview: built in {seconds:.1f} s; the page reloads")

    def _terminate_child(self):
        with self._lock:
            child = self._child
        if child is None or child.poll() is not None:
            return
        try:
            os.killpg(child.pid, signal.SIGTERM)
            child.wait(5)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait(5)
        except ProcessLookupError:
            pass

    # --- serving

    def resolve(self, url_path):
        """The file a URL path names, or None when it is outside the served folders."""
        path = unquote(_path_of(url_path))
        parts = [part for part in path.split("/") if part]
        if "\x00" in path or "\\" in path or any(part in (".", "..") for part in parts):
            return None
        target = self.root.joinpath(*parts).resolve()  # symlinks followed: where it really is
        if any(target.is_relative_to(folder) for folder in self.served):
            return target
        return None

    def page_bytes(self):
        """The page as served: the file on disk (or the last good copy) with the script injected."""
        try:
            text = self.page.read_text(encoding="utf-8")
            self.last_good = text
        except OSError:
            text = self.last_good or PLACEHOLDER
        status = self.status()
        return inject(text, status["version"], status["errors"]).encode("utf-8")


def _path_of(request_path):
    """The path of a request's target, without its query or fragment."""
    return request_path.split("?", 1)[0].split("#", 1)[0]


class _Handler(BaseHTTPRequestHandler):
    preview = None  # set on the subclass made for each server
    server_version = "report-preview"

    def do_GET(self):
        self._answer(body=True)

    def do_HEAD(self):
        self._answer(body=False)

    def _answer(self, body):
        preview = self.preview
        url_path = _path_of(self.path)
        # Only pages the student opened at this address: a web page elsewhere that renames its own
        # host to 127.0.0.1 (DNS rebinding) sends its own name here, and gets nothing.
        if self.headers.get("Host", "").lower() not in (
            f"127.0.0.1:{preview.port}",
            f"localhost:{preview.port}",
        ):
            return self._send(
                HTTPStatus.MISDIRECTED_REQUEST, b"open the address the preview printed\n", "text/plain", body
            )
        if url_path == "/favicon.ico":
            return self._send(HTTPStatus.NO_CONTENT, b"", "text/plain", body)
        if url_path == "/":
            return self._send(HTTPStatus.FOUND, b"", "text/plain", body, location=preview.url)
        if url_path == STATUS_PATH:
            data = json.dumps(preview.status()).encode()
            return self._send(HTTPStatus.OK, data, "application/json", body)
        target = preview.resolve(self.path)
        if target is None:
            return self._send(HTTPStatus.FORBIDDEN, b"outside the preview\n", "text/plain", body)
        if target == preview.page:
            return self._send(HTTPStatus.OK, preview.page_bytes(), "text/html; charset=utf-8", body)
        try:
            data = target.read_bytes()
        except (IsADirectoryError, FileNotFoundError, NotADirectoryError):
            return self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain", body)
        except OSError:
            return self._send(HTTPStatus.FORBIDDEN, b"cannot be read\n", "text/plain", body)
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind.startswith("text/"):
            kind += "; charset=utf-8"
        return self._send(HTTPStatus.OK, data, kind, body)

    def _send(self, code, data, kind, body, location=None):
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")  # a reload fetches the new CSS and figures
        if location:
            self.send_header("Location", location)
        self.end_headers()
        if body:
            self.wfile.write(data)

    def log_message(self, format, *args):  # noqa: A002 - the page polls twice a second: keep quiet
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True  # a port left in TIME_WAIT by a stopped preview can be taken again

    def handle_error(self, request, client_address):
        # A browser closing a connection mid-answer is routine, not worth a traceback.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def _bind(port, tries, preview):
    handler = type("Handler", (_Handler,), {"preview": preview})
    last = None
    for candidate in range(port, port + tries) if port else [0]:
        try:
            return _Server((HOST, candidate), handler)
        except OSError as error:
            if error.errno != errno.EADDRINUSE:
                raise
            last = error
    raise OSError(errno.EADDRINUSE, f"ports {port} to {port + tries - 1} are all in use ({last.strerror})")


mimetypes.add_type("image/svg+xml", ".svg")
mimetypes.add_type("text/css", ".css")


def serve(preview):
    """Run ``preview`` until Ctrl-C (or SIGTERM); then stop it cleanly and free its port."""
    # Ctrl-C, even when started from a shell that ignores it for background jobs; and `kill`
    # (or the make running this being stopped) ends it as cleanly.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    try:
        preview.say(f"preview: open {preview.url}  (edit and save a template or the settings; Ctrl-C stops)")
        preview.start()
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the cleanup short
        preview.stop()
        preview.say("\npreview: stopped")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="the first port tried (default 8000)")
    args = parser.parse_args(argv)
    try:
        preview = Preview(port=args.port)
    except OSError as error:
        print(f"preview: cannot listen on {HOST}: {error.strerror}: pass another --port", file=sys.stderr)
        return 1
    return serve(preview)


if __name__ == "__main__":
    sys.exit(main())
