"""The report pipeline around the hand-in: settings -> results -> figures -> HTML -> PDF.

``assignment/`` is the exercise (numpy only); this package is everything
around it. Imports flow one way: ``paths``, ``settings`` and ``protocol``
at the bottom; then ``engine``; ``experiments`` and ``verification`` (which
use the graded code); ``findings`` and ``figures`` (which read only the
results); ``render`` at the top. ``submit`` and ``bench`` stand aside.
"""

import signal as _signal
import sys as _sys
import threading as _threading


def _interrupted_hook(kind, value, tb, _previous=_sys.excepthook):
    """Ctrl-C in any step (its imports included): one line, not Python's traceback.

    Outputs are written atomically, so an interrupted step leaves the previous
    ones as they were; Python still ends by SIGINT, so make sees the interrupt.
    """
    if issubclass(kind, KeyboardInterrupt):
        print("error: interrupted: nothing half-written was kept; run the same make command again",
              file=_sys.stderr)  # fmt: skip
    else:
        _previous(kind, value, tb)


_sys.excepthook = _interrupted_hook


def _terminated(signum, frame):
    """SIGTERM (``kill``, ``timeout``, a closing terminal): end as Ctrl-C does, by an exception.

    Python's default is to die on the spot, leaving a hidden temporary file
    beside an output; raised as SystemExit, every ``finally`` runs first.
    """
    print("error: terminated: nothing half-written was kept; run the same make command again",
          file=_sys.stderr)  # fmt: skip
    raise SystemExit(128 + signum)


if _threading.current_thread() is _threading.main_thread():
    _signal.signal(_signal.SIGTERM, _terminated)
