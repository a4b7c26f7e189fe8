"""Chart geometry: the numbers an SVG template draws (templates/jinja2/reports/charts/), worked
out here so the templates only place them. No markup is built in Python: a chart is coordinates,
labels and CSS classes; the template escapes every label. Each chart is drawn beside a table of
the same figures (its accessible twin) and offered as CSV.
"""

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 640
HEIGHT = 200
PLOT_TOP = 10
PLOT_BOTTOM = 170  # below it: the labels of the x axis
PLOT_LEFT = 36  # left of it: the labels of the y axis
PLOT_RIGHT = WIDTH - 8
MAX_X_LABELS = 10


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    css: str
    title: str  # its tooltip: "2026-12-01 · Created: 4"


@dataclass(frozen=True, slots=True)
class AxisLabel:
    x: float
    y: float
    text: str


@dataclass(frozen=True, slots=True)
class Line:
    css: str
    name: str
    segments: tuple[str, ...]  # polyline `points`, one per run of days with a value


@dataclass(frozen=True, slots=True)
class Chart:
    title: str
    description: str
    bars: tuple[Bar, ...] = ()
    lines: tuple[Line, ...] = ()
    x_labels: tuple[AxisLabel, ...] = ()
    y_labels: tuple[AxisLabel, ...] = ()
    legend: tuple[tuple[str, str], ...] = ()  # (css, name)
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = PLOT_BOTTOM


def _nice_top(value: float) -> float:
    """The y axis' top: the value rounded up to 1, 2 or 5 times a power of ten."""
    if value <= 0:
        return 1.0
    power = 1.0
    while power * 10 <= value:
        power *= 10
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return float(step * power)
    return value


def _x_labels(labels: Sequence[str], centre_of: list[float]) -> tuple[AxisLabel, ...]:
    every = max(1, -(-len(labels) // MAX_X_LABELS))
    return tuple(
        AxisLabel(centre_of[i], PLOT_BOTTOM + 16, labels[i]) for i in range(0, len(labels), every)
    )


def _y_labels(top: float, fmt: str = "{:g}") -> tuple[AxisLabel, ...]:
    return tuple(
        AxisLabel(PLOT_LEFT - 4, _y(top * share, top) + 4, fmt.format(top * share))
        for share in (0, 0.5, 1)
    )


def _y(value: float, top: float) -> float:
    return PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * value / top


def grouped_bars(
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[int]]],  # (name, css, values)
) -> Chart:
    """Bars side by side for each label, one per series."""
    count = max(1, len(labels))
    slot = (PLOT_RIGHT - PLOT_LEFT) / count
    bar_width = slot * 0.8 / max(1, len(series))
    top = _nice_top(max((max(values, default=0) for _n, _c, values in series), default=0))
    bars = []
    for index, label in enumerate(labels):
        for position, (name, css, values) in enumerate(series):
            value = values[index]
            y = _y(value, top)
            bars.append(
                Bar(
                    x=round(PLOT_LEFT + slot * index + slot * 0.1 + bar_width * position, 2),
                    y=round(y, 2),
                    width=round(max(bar_width - 0.5, 0.5), 2),
                    height=round(PLOT_BOTTOM - y, 2),
                    css=css,
                    title=f"{label} · {name}: {value}",
                )
            )
    centres = [PLOT_LEFT + slot * (i + 0.5) for i in range(count)]
    return Chart(
        title=title,
        description=description,
        bars=tuple(bars),
        x_labels=_x_labels(labels, centres),
        y_labels=_y_labels(top),
        legend=tuple((css, name) for name, css, _values in series),
    )


def lines(
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[float | None]]],
    top: float,
) -> Chart:
    """One line per series over the labels; a missing value breaks the line."""
    count = max(1, len(labels))
    step = (PLOT_RIGHT - PLOT_LEFT) / max(1, count - 1)
    drawn = []
    for name, css, values in series:
        segments: list[str] = []
        run: list[str] = []
        for index, value in enumerate(values):
            if value is None:
                if run:
                    segments.append(" ".join(run))
                run = []
                continue
            run.append(f"{PLOT_LEFT + step * index:.1f},{_y(value, top):.1f}")
        if run:
            segments.append(" ".join(run))
        drawn.append(Line(css=css, name=name, segments=tuple(segments)))
    centres = [PLOT_LEFT + step * i for i in range(count)]
    return Chart(
        title=title,
        description=description,
        lines=tuple(drawn),
        x_labels=_x_labels(labels, centres),
        y_labels=_y_labels(top, "{:.1f}"),
        legend=tuple((line.css, line.name) for line in drawn),
    )


@dataclass(frozen=True, slots=True)
class Sparkline:
    """A card's small trend: the values' polyline in a 100 × 24 box."""

    points: str
    values: tuple[int, ...]
    labels: tuple[str, ...]

    @property
    def summary(self) -> str:
        return ", ".join(
            f"{label}: {value}" for label, value in zip(self.labels, self.values, strict=True)
        )


def sparkline(labels: Sequence[str], values: Sequence[int]) -> Sparkline | None:
    if len(values) < 2:
        return None
    top = max(max(values), 1)
    step = 100 / (len(values) - 1)
    points = " ".join(
        f"{step * i:.1f},{22 - 20 * value / top:.1f}" for i, value in enumerate(values)
    )
    return Sparkline(points, tuple(values), tuple(labels))


# Colours of the series, as CSS classes (static/css/app.css): the CSP allows no inline style.
SERIES_CSS = tuple(f"sb-series-{n}" for n in range(1, 9))
