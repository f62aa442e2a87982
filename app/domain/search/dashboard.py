"""The dashboard's panels: a chart and the table of its numbers, from the period's figures."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.domain.search.charts import bar_chart

#: Authorities shown in a chart (the file of the table has them all).
TOP = 15

#: On-page table columns: (header, attribute, is a per cent).
NAME = (_l("Name"), "label", False)
TOTAL = (_l("Total"), "total", False)
IMPLEMENTED = (_l("Implemented"), "implemented", False)
PARTIALLY = (_l("Partially implemented"), "partially", False)
OVERDUE = (_l("Overdue"), "overdue", False)
RATE = (_l("Implementation rate, %"), "rate", True)
IN_TIME = (_l("Answered in time, %"), "in_time_share", True)
RATE_COLUMNS = (NAME, TOTAL, IMPLEMENTED, PARTIALLY, RATE)


@dataclass
class Panel:
    """A chart beside its table; ``table`` names the file the export button gives."""

    id: str
    title: object
    svg: object
    rows: list
    columns: tuple
    table: str
    #: How many rows the full table has (more than shown when the chart keeps the top ones).
    of: int


def panels(fig):
    """The panels of the dashboard for ``fig`` (stats.Figures), in page order."""
    t = fig.tables
    out = [
        _panel("state", _l("Recommendations by state"), t["state"], (NAME, TOTAL), "total"),
    ]
    for name, title in (
        ("authority", _l("Implementation rate by authority")),
        ("region", _l("Implementation rate by region")),
        ("facility_type", _l("Implementation rate by facility type")),
        ("theme", _l("Implementation rate by theme")),
    ):
        rows = t[name][:TOP] if name == "authority" else t[name]
        out.append(
            _panel(name, title, rows, RATE_COLUMNS, "rate", unit="%", maximum=100, of=len(t[name]))
        )
    overdue = sorted((g for g in t["authority"] if g.overdue), key=lambda g: -g.overdue)
    out.append(
        _panel(
            "overdue",
            _l("Overdue by authority"),
            overdue[:TOP],
            (NAME, OVERDUE, TOTAL),
            "overdue",
            table="authority",
            of=len(overdue),
        )
    )
    years = t["year"]
    out.append(
        Panel(
            "year",
            _l("Trends by year"),
            bar_chart(
                _l("Trends by year"),
                [(g.label, [g.total, g.implemented]) for g in years],
                [str(_l("Total")), str(_l("Implemented"))],
            ),
            years,
            (NAME, TOTAL, IMPLEMENTED, RATE, IN_TIME),
            "year",
            len(years),
        )
    )
    out.append(
        _panel(
            "timeliness",
            _l("Answered in time by year"),
            years,
            (NAME, IN_TIME),
            "in_time_share",
            unit="%",
            maximum=100,
            table="year",
        )
    )
    return out


def summary(fig):
    """The period's headline figures: [(label, value)] (values formatted, "—" when none)."""
    t = fig.totals
    return [
        (_l("Total"), t.total),
        (_l("Implemented"), t.implemented),
        (RATE[0], _fmt(t.rate)),
        (_l("Partially implemented"), t.partially),
        (_l("Overdue"), t.overdue),
        (IN_TIME[0], _fmt(t.in_time_share)),
        (_l("Answered in time"), f"{t.in_time} / {t.settled}"),
        (_l("Median days to answer"), _fmt(fig.median_days)),
    ]


def _fmt(value):
    from app.core.i18n import fmt_number

    return fmt_number(value)


def _panel(id_, title, rows, columns, measure, unit="", maximum=None, table=None, of=None):
    header = next(h for h, attr, _pc in columns if attr == measure) if measure else title
    svg = bar_chart(
        title, [(g.label, [getattr(g, measure)]) for g in rows], [str(header)], unit, maximum
    )
    return Panel(id_, title, svg, rows, columns, table or id_, len(rows) if of is None else of)
