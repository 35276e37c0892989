"""Bar charts for printed documents (ReportLab graphics), in the document's direction.

Labels are shaped and put in visual order (app/pdf/arabic_text.py) and set in the bundled
font that has their letters (app/pdf/fonts.py), so Arabic prints joined and embedded. In
a right-to-left document the charts read right to left too: categories start at the
right, the value axis stands on the right, horizontal bars grow leftwards. Bars are
shades of grey with black outlines: most centres print in black and white.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors

from app.pdf import arabic_text, fonts

# Counts and rates are set in the Latin font: it has the digits and the percent sign.
NUMBER_FONT = "SijillLatin"
SHADES = (colors.Color(0.25, 0.25, 0.25), colors.Color(0.6, 0.6, 0.6), colors.white)
LABEL_SIZE = 7.5


def _drawing(width: float, height: float) -> Drawing:
    drawing = Drawing(width, height)
    # The renderer sets this font first: a bundled one, or Helvetica is left in the file,
    # unembedded, though nothing is written in it.
    drawing.initialFontName = NUMBER_FONT
    return drawing


def shade(index: int) -> colors.Color:
    return SHADES[index % len(SHADES)]


def _font(shown: str, *, rtl: bool) -> str:
    """The bundled font for a label already in visual order: the document's own, unless
    the label is all in the other script."""
    runs = fonts.runs(shown, rtl=rtl)
    return runs[0].font if len(runs) == 1 else fonts.font_names(rtl=rtl, bold=False)[0]


def _label_axis(axis: object, labels: Sequence[str], *, rtl: bool) -> None:
    shown = [arabic_text.visual(label, rtl=rtl) for label in labels]
    axis.categoryNames = shown
    axis.labels.fontSize = LABEL_SIZE
    for index, text in enumerate(shown):
        axis.labels[index].fontName = _font(text, rtl=rtl)


def _value_axis(axis: object, *, high: float, step: float | None) -> None:
    axis.valueMin = 0
    axis.valueMax = high
    if step is not None:
        axis.valueStep = step
    axis.labels.fontName = NUMBER_FONT
    axis.labels.fontSize = LABEL_SIZE
    axis.visibleGrid = True
    axis.gridStrokeColor = colors.Color(0.85, 0.85, 0.85)
    axis.strokeWidth = 0.5


def _step(high: float) -> float:
    """A round step giving four to eight gridlines up to ``high``."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if high / step <= 8:
            return step
    return high / 5


def horizontal_bars(
    categories: Sequence[str],
    series: Sequence[Sequence[int]],
    *,
    width: float,
    height: float,
    rtl: bool,
    label_width: float,
) -> Drawing:
    """Groups of horizontal bars, one group per category (top to bottom in the given
    order), one bar per series, counts printed at the bars' ends."""
    drawing = _drawing(width, height)
    chart = HorizontalBarChart()
    chart.width, chart.height = width - label_width - 24, height - 20
    chart.x = 12 if rtl else label_width + 12
    chart.y = 14
    # ReportLab draws the first category, and within it the first series, at the bottom:
    # both reversed, the first of each comes on top.
    chart.data = [list(reversed(values)) for values in reversed(series)]
    chart.categoryAxis.reverseDirection = 0
    _label_axis(chart.categoryAxis, list(reversed(categories)), rtl=rtl)
    chart.categoryAxis.strokeWidth = 0.5
    chart.categoryAxis.visibleTicks = False
    high = max((v for values in series for v in values), default=0)
    top = max(_step(max(high, 1)) * (int(max(high, 1) / _step(max(high, 1))) + 1), 1)
    _value_axis(chart.valueAxis, high=top, step=_step(top))
    if rtl:
        chart.valueAxis.reverseDirection = 1
        chart.categoryAxis.joinAxisMode = "right"
        chart.categoryAxis.labels.boxAnchor = "w"
        chart.categoryAxis.labels.dx = 6
    else:
        chart.categoryAxis.labels.boxAnchor = "e"
        chart.categoryAxis.labels.dx = -6
    chart.barSpacing = 1
    chart.groupSpacing = 6
    chart.bars.strokeColor = colors.black
    chart.bars.strokeWidth = 0.4
    for index in range(len(series)):
        chart.bars[index].fillColor = shade(len(series) - 1 - index)
    # A zero has no bar to label; the table beside the chart gives it.
    chart.barLabelFormat = lambda value: f"{value:.0f}" if value else ""
    chart.barLabels.fontName = NUMBER_FONT
    chart.barLabels.fontSize = 6.5
    # Past the bar's end; ReportLab mirrors the anchor of bars that grow leftwards.
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    return drawing


def vertical_bars(
    categories: Sequence[str],
    values: Sequence[float | None],
    *,
    width: float,
    height: float,
    rtl: bool,
    high: float,
    step: float,
    label: Callable[[float], str],
) -> Drawing:
    """One bar per category (in reading order: from the right in a right-to-left
    document) up to ``high``, each labelled with ``label(value)``; None draws no bar."""
    drawing = _drawing(width, height)
    chart = VerticalBarChart()
    chart.width, chart.height = width - 50, height - 34
    chart.x = 14 if rtl else 36
    chart.y = 22
    chart.data = [[0 if v is None else v for v in values]]
    _label_axis(chart.categoryAxis, categories, rtl=rtl)
    chart.categoryAxis.strokeWidth = 0.5
    chart.categoryAxis.labels.boxAnchor = "n"
    chart.categoryAxis.labels.dy = -4
    _value_axis(chart.valueAxis, high=high, step=step)
    if rtl:
        chart.categoryAxis.reverseDirection = 1
        chart.valueAxis.joinAxisMode = "right"
        chart.valueAxis.labels.boxAnchor = "w"
        chart.valueAxis.labels.dx = 6
    chart.bars.strokeColor = colors.black
    chart.bars.strokeWidth = 0.4
    chart.bars[0].fillColor = shade(1)
    chart.barLabelFormat = lambda v: label(v) if v else ""
    chart.barLabels.fontName = NUMBER_FONT
    chart.barLabels.fontSize = 6.5
    chart.barLabels.boxAnchor = "s"
    chart.barLabels.dy = 2
    drawing.add(chart)
    return drawing
