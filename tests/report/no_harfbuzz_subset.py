"""WeasyPrint as on a machine without Debian's libharfbuzz-subset0 (Pango present).

A pytest plugin (``pytest -p tests.report.no_harfbuzz_subset``) and an
importable module: loading the library fails exactly as when it is not
installed, so WeasyPrint warns as it would there (a DeprecationWarning at
import, a logger warning per font). Import it before anything imports
WeasyPrint.
"""

import cffi

_real_dlopen = cffi.FFI.dlopen


def _dlopen(self, name, *args, **kwargs):
    if name and "harfbuzz-subset" in str(name):
        raise OSError(f"cannot load library '{name}': {name}: cannot open shared object file: No such file")
    return _real_dlopen(self, name, *args, **kwargs)


cffi.FFI.dlopen = _dlopen


def simulated():
    """True once WeasyPrint is imported without HarfBuzz-Subset."""
    from weasyprint.text import ffi

    return ffi.harfbuzz_subset is None


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(f"no-harfbuzz-subset simulated: {simulated()}")
