"""The report pipeline around the hand-in: settings -> results -> figures -> HTML -> PDF.

``assignment/`` is the exercise (numpy only); this package is everything
around it. Imports flow one way: ``paths``, ``settings`` and ``protocol``
at the bottom; then ``engine``; ``experiments`` and ``verification`` (which
use the graded code); ``findings`` and ``figures`` (which read only the
results); ``render`` at the top. ``submit`` and ``bench`` stand aside.
"""

import sys as _sys


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
