"""The figures' labels drawn by WeasyPrint as whole strings, not one letter at a time.

WeasyPrint 70 lays out and draws every character of an SVG ``<text>`` on its own
(to honour per-character ``x``, ``dx``, ``rotate`` lists), one Pango layout per
letter: about 900 of them for the report's figures, a fifth of the PDF step.
Matplotlib's labels place only the string: one ``x`` and one ``y``. Such a text
is shaped here as one string (with the font's kerning, as matplotlib measured it)
and drawn in one piece; any other text is left to WeasyPrint. The same approach
was proposed to WeasyPrint upstream ("Fix SVG text chunk shaping", Kozea/WeasyPrint
pull request 2754).

This replaces a function inside WeasyPrint, so it is done only for the version
it was written against (``VERSION``, the one requirements.lock pins); with any
other version WeasyPrint draws the text itself, as before. ``install`` is called
by ``report.render`` once WeasyPrint is imported.
"""

import sys
from math import inf

VERSION = "70.0"
# Attributes that place or space single characters: a text holding any is WeasyPrint's
PER_CHARACTER = ("dx", "dy", "rotate", "textLength", "lengthAdjust", "letter-spacing")
# Vertical alignments WeasyPrint's own code computes: left to it as well
ALIGNMENT = ("display-anchor", "dominant-baseline", "alignment-baseline")


def _one_number(value):
    """Whether an ``x`` or ``y`` attribute holds at most one length."""
    return value is None or len(value.replace(",", " ").split()) <= 1


def whole(node):
    """Whether ``node``'s text may be drawn as one string: nothing placed per character."""
    attributes = node.attrib
    return (
        bool(node.text)
        and _one_number(attributes.get("x"))
        and _one_number(attributes.get("y"))
        and not any(name in attributes for name in PER_CHARACTER + ALIGNMENT)
        and attributes.get("direction", "ltr") == "ltr"
    )


def install(weasyprint):
    """Draw simple SVG texts whole in this process; return whether it was done (the version fits)."""
    if weasyprint.__version__ != VERSION:
        return False
    svg = sys.modules["weasyprint.svg"]
    module = sys.modules["weasyprint.svg.text"]
    if getattr(svg.text, "draws_whole", False):
        return True
    letter_by_letter = module.text

    from weasyprint.css.properties import INITIAL_VALUES
    from weasyprint.draw.text import draw_emojis, draw_first_line
    from weasyprint.matrix import Matrix
    from weasyprint.text.line_break import split_first_line

    def text(image, node, font_size):
        if not whole(node):
            return letter_by_letter(image, node, font_size)
        # the style as WeasyPrint's text() builds it
        style = module.Style()
        style.update(INITIAL_VALUES)
        style.font_config = image.font_config
        families = node.get("font-family", "sans-serif").split(",")
        style["font_family"] = [font.strip("\"'") for font in families]
        style["font_style"] = node.get("font-style", "normal")
        weight = node.get("font-weight", 400)
        weight = {"normal": 400, "bold": 700}.get(weight, weight)
        try:
            style["font_weight"] = int(weight)
        except ValueError:
            style["font_weight"] = 400
        style["font_size"] = font_size
        layout, _, _, width, height, baseline = split_first_line(node.text, style, image.context, inf, 0)
        x, y = node.attrib.get("x"), node.attrib.get("y")
        if x:
            image.cursor_d_position[0] = 0
        if y:
            image.cursor_d_position[1] = 0
        x = module.size(x, font_size, image.inner_width) if x else image.cursor_position[0]
        y = module.size(y, font_size, image.inner_height) if y else image.cursor_position[1]
        image.cursor_position = x + width, y
        left, base = x + image.cursor_d_position[0], y + image.cursor_d_position[1]
        node.text_bounding_box = module.extend_bounding_box(
            node.text_bounding_box, ((left, base - baseline), (left + width, base - baseline + height))
        )
        image.stream.push_state()
        fill, stroke = image.set_graphical_state(node, font_size)
        image.stream.begin_text()
        layout.reactivate(style)
        image.fill_stroke(fill, stroke, text=True)
        box = module.TextBox(layout, style)
        box.baseline = baseline
        emojis = draw_first_line(image.stream, box, "none", "none", Matrix(a=1, d=-1, e=left, f=base))
        image.stream.end_text()
        image.stream.pop_state()
        draw_emojis(image.stream, style, x, y, emojis)

    text.draws_whole = True
    # WeasyPrint finds the text function by tag, and tells text nodes by comparing with it
    for tag, function in list(svg.TAGS.items()):
        if function is letter_by_letter:
            svg.TAGS[tag] = text
    svg.text = text
    return True
