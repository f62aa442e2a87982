"""Bar charts drawn on the server as inline SVG: no script, no CDN, printable.

Every chart stands beside a table with the same numbers; the SVG is a picture of them (its
<title> and <desc> say what it shows, each bar's <title> gives the exact value).
"""

from markupsafe import Markup

#: Bootstrap's palette, one colour per series.
COLOURS = ("#0d6efd", "#198754", "#dc3545", "#6c757d")
ROW, LABEL_WIDTH, BAR_WIDTH, VALUE_WIDTH = 22, 260, 360, 70
MAX_LABEL = 34  # fits LABEL_WIDTH at the chart font size


def _short(label):
    label = str(label)
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def _number(value, unit):
    from app.core.i18n import fmt_number

    return "—" if value is None else fmt_number(value) + unit


def bar_chart(title, rows, series, unit="", maximum=None):
    """A horizontal bar chart.

    ``rows``: [(label, [value per series])]; ``series``: the series' names (a legend when more
    than one); ``maximum``: the full scale (100 for per cents), else the largest value.
    """
    rows = list(rows)
    values = [v for _label, vs in rows for v in vs if v is not None]
    top = maximum or max(values, default=0) or 1
    per_row = ROW * len(series)
    legend = 20 if len(series) > 1 else 0
    height = legend + per_row * len(rows) + 8 * len(rows) + 4
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    parts = [
        Markup(
            '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
            'viewBox="0 0 %s %s" width="100%%" preserveAspectRatio="xMinYMin meet" '
            'font-family="system-ui, sans-serif" font-size="12">'
        )
        % (width, max(height, 30)),
        Markup("<title>%s</title>") % title,
    ]
    if legend:
        x = LABEL_WIDTH
        for i, name in enumerate(series):
            parts.append(
                Markup(
                    '<rect x="%s" y="4" width="10" height="10" fill="%s"/>'
                    '<text x="%s" y="13">%s</text>'
                )
                % (x, COLOURS[i % len(COLOURS)], x + 14, name)
            )
            x += 14 + 8 * len(str(name)) + 16
    y = legend
    for label, vs in rows:
        parts.append(
            Markup('<text x="%s" y="%s" text-anchor="end"><title>%s</title>%s</text>')
            % (LABEL_WIDTH - 6, y + per_row / 2 + 4, label, _short(label))
        )
        for i, value in enumerate(vs):
            length = 0 if value is None else max(0.0, BAR_WIDTH * float(value) / top)
            parts.append(
                Markup(
                    '<rect x="%s" y="%s" width="%.1f" height="%s" fill="%s">'
                    "<title>%s: %s</title></rect>"
                    '<text x="%.1f" y="%s">%s</text>'
                )
                % (
                    LABEL_WIDTH,
                    y + i * ROW + 2,
                    length,
                    ROW - 6,
                    COLOURS[i % len(COLOURS)],
                    series[i],
                    _number(value, unit),
                    LABEL_WIDTH + length + 4,
                    y + i * ROW + 14,
                    _number(value, unit),
                )
            )
        y += per_row + 8
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)
