"""WeasyPrint's C declarations parsed once, not at every start: cffi's out-of-line ABI mode.

At import, WeasyPrint gives cffi 450 lines of C declarations (Pango, HarfBuzz,
fontconfig: one ``ffi.cdef``), which cffi parses with pycparser, in Python:
0.1 s of every PDF step, and more later for each type name that ``ffi.new``
meets for the first time (parsed the same way). cffi can write parsed
declarations out as a Python module (``emit_python_code``, its "out-of-line
ABI mode"); the FFI object made by that module loads in a few milliseconds,
parses type names in C, and behaves the same at run time.

``import_weasyprint(folder)`` imports WeasyPrint with ``cffi.FFI`` replaced,
for the length of the import, by one of two classes:

- with a module in ``folder`` (``build/.cffi-cache``; ``make clean`` removes
  it), the FFI that module makes, whose ``cdef`` only checks that the
  declarations are the ones the module was made from (a digest);
- without one, or when the digest differs (another WeasyPrint or cffi),
  ``cffi.FFI`` itself, noting the declarations so that the module is written
  for the next build.

Any trouble with the cache costs only the time it was meant to save.
"""

import contextlib
import hashlib
import os
import sys
from pathlib import Path

from report.atomic import WriteError, write_atomic

MODULE = "weasyprint_ffi.py"
_DIGEST_LINE = "# cffi declarations sha256 "
_MAKES_FFI = "ffi = _cffi_backend.FFI("  # the line of cffi's module that makes the FFI


class _Stale(Exception):
    """The cached module was made from other declarations than WeasyPrint's."""


def digest(csource):
    """The cache key of ``csource``: its SHA-256 with cffi's version (the module's format)."""
    import cffi

    return hashlib.sha256(f"cffi {cffi.__version__}\n{csource}".encode()).hexdigest()


def _cached_factory(path):
    """A stand-in for ``cffi.FFI`` returning the FFI the module at ``path`` makes, or None."""
    import _cffi_backend

    try:
        first, _, code = path.read_text(encoding="utf-8").partition("\n")
    except (OSError, UnicodeDecodeError):
        return None
    if not first.startswith(_DIGEST_LINE) or _MAKES_FFI not in code:
        return None
    expected = first.removeprefix(_DIGEST_LINE)

    class DeclaredFFI(_cffi_backend.FFI):
        """The cached declarations; ``cdef`` checks that it was given the same ones."""

        def cdef(self, csource, override=False, packed=False, pack=None):
            if override or packed or pack or digest(csource) != expected:
                raise _Stale

    namespace = {"DeclaredFFI": DeclaredFFI}
    try:
        exec(compile(code.replace(_MAKES_FFI, "ffi = DeclaredFFI(", 1), str(path), "exec"), namespace)
    except Exception:  # damaged, or made by another cffi: no cache
        return None
    made = [namespace["ffi"]]

    def factory(*args, **kwargs):
        if args or kwargs or not made:  # an FFI made otherwise, or a second one: not what was cached
            raise _Stale
        return made.pop()

    return factory


@contextlib.contextmanager
def _ffi_class(stand_in):
    import cffi

    real = cffi.FFI
    cffi.FFI = stand_in
    try:
        yield
    finally:
        cffi.FFI = real


def _forget_weasyprint(before):
    for name in [name for name in sys.modules if name.partition(".")[0] == "weasyprint"]:
        if name not in before:
            del sys.modules[name]


def _write(folder, ffi, csource):
    """Write the module of ``ffi``'s declarations into ``folder``; on any trouble, nothing."""
    temporary = Path(folder) / f".{MODULE}.{os.getpid()}.tmp"
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
        ffi.set_source(Path(MODULE).stem, None)  # out-of-line ABI mode: no C compiler involved
        ffi.emit_python_code(str(temporary))
        code = temporary.read_text(encoding="utf-8")
        if _MAKES_FFI in code:
            write_atomic(Path(folder) / MODULE, f"{_DIGEST_LINE}{digest(csource)}\n{code}")
    except (Exception, WriteError):  # no cache: the next build parses the declarations again
        pass
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()


def import_weasyprint(folder):
    """Import WeasyPrint with its declarations from the module in ``folder``, writing it if needed.

    Raises what importing WeasyPrint raises (OSError: a library that cannot be loaded).
    """
    if "weasyprint" in sys.modules:
        return sys.modules["weasyprint"]
    before = set(sys.modules)
    factory = _cached_factory(Path(folder) / MODULE)
    if factory is not None:
        try:
            with _ffi_class(factory):
                import weasyprint

            return weasyprint
        except _Stale:
            _forget_weasyprint(before)
    import cffi

    declared = []

    class NotingFFI(cffi.FFI):
        def cdef(self, csource, **options):
            super().cdef(csource, **options)
            declared.append((self, csource, options))

    with _ffi_class(NotingFFI):
        import weasyprint
    if len(declared) == 1 and not declared[0][2]:  # the case the cache is made for: one plain cdef
        _write(folder, *declared[0][:2])
    return weasyprint
