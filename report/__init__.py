"""The report pipeline around the hand-in: settings -> results -> figures -> HTML -> PDF.

``assignment/`` is the exercise (numpy only); this package is everything
around it. Imports flow one way: ``paths``, ``settings`` and ``protocol``
at the bottom; then ``engine``; ``experiments`` and ``verification`` (which
use the graded code); ``findings`` and ``figures`` (which read only the
results); ``render`` at the top. ``submit`` and ``bench`` stand aside.
"""
