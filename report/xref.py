"""Number the report's sections, figures and tables, and fill in every cross-reference.

Numbers are written into the HTML itself, not left to CSS counters: browsers
ignore paged-media counters such as ``target-counter``, and a PDF's bookmarks
and a screen reader read the text. So the preview in a browser, the PDF and
its bookmarks all show the same "Figure 2", "Section 3", "Appendix A".

What is numbered, in document order:
- ``<h2 id=...>``: "1", "2", ...; ``<h2 class="appendix" id=...>``: "Appendix A", ...
- ``<h3>``: "2.1", "2.2", ... within the current section (an id is optional);
- ``<figure id=...>`` with a ``<figcaption>``: "Figure 1", ...;
- ``<div class="table-block" id=...>`` with a ``<div class="table-caption">``: "Table 1", ...

A reference is ``<a class="xref" href="#ID"></a>`` (the ``ref`` macro of
``templates/macros.html.j2``); it gets the target's label as its text. A
reference to an id that nothing numbered carries is an error.
"""

import re

_TAG = re.compile(r"<(?P<tag>h2|h3|figure|figcaption|div)\b(?P<attrs>[^>]*)>")
_ID = re.compile(r'\bid="([^"]+)"')
_CLASS = re.compile(r'\bclass="([^"]*)"')
_XREF = re.compile(r'<a class="xref" href="#([^"]+)"></a>')


class ReferenceError(ValueError):
    """A cross-reference names an id that no section, figure or table has."""


def _letters(n):
    """1 -> 'A', 2 -> 'B', ..., 27 -> 'AA'."""
    text = ""
    while n:
        n, rest = divmod(n - 1, 26)
        text = chr(ord("A") + rest) + text
    return text


def number(html):
    """Return ``(html, labels)``: the HTML with numbers and references filled in, and {id: label}."""
    labels = {}
    counts = {"section": 0, "subsection": 0, "appendix": 0, "figure": 0, "table": 0}
    pending = None  # the label whose caption comes next: (kind, label)
    pieces, last = [], 0
    for match in _TAG.finditer(html):
        pieces.append(html[last : match.end()])
        last = match.end()
        tag, attrs = match.group("tag"), match.group("attrs")
        found = _ID.search(attrs)
        ident = found.group(1) if found else None
        found = _CLASS.search(attrs)
        classes = found.group(1).split() if found else []
        if tag == "figcaption" or (tag == "div" and "table-caption" in classes):
            if pending is not None:  # the caption of the figure or table just numbered
                pieces.append(f'<span class="label">{pending}.</span> ')
                pending = None
            continue
        if tag == "h2":
            if "appendix" in classes:
                counts["appendix"] += 1
                label, text = (
                    f"Appendix {_letters(counts['appendix'])}",
                    f"Appendix {_letters(counts['appendix'])}.",
                )
            else:
                counts["section"] += 1
                label, text = f"Section {counts['section']}", f"{counts['section']}"
            counts["subsection"] = 0
            pieces.append(f'<span class="number">{text}</span> ')
        elif tag == "h3":
            counts["subsection"] += 1
            number_text = f"{counts['section']}.{counts['subsection']}"
            label = f"Section {number_text}"
            pieces.append(f'<span class="number">{number_text}</span> ')
        elif tag == "figure" and ident and "equations" not in classes:
            counts["figure"] += 1
            label = pending = f"Figure {counts['figure']}"
        elif tag == "div" and "table-block" in classes and ident:
            counts["table"] += 1
            label = pending = f"Table {counts['table']}"
        else:
            continue
        if ident:
            labels[ident] = label
    pieces.append(html[last:])
    html = "".join(pieces)

    def fill(match):
        ident = match.group(1)
        if ident not in labels:
            known = ", ".join(sorted(labels)) or "none"
            raise ReferenceError(
                f"a reference to #{ident}, which no section, figure or table has (ids: {known})"
            )
        return f'<a class="xref" href="#{ident}">{labels[ident]}</a>'

    return _XREF.sub(fill, html), labels
