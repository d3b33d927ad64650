"""Responses per day as a small SVG bar chart, drawn on the server (no script, no library).

The chart is a picture with a name and a description; the table beside it holds the same
figures and is what a screen reader is pointed to. The SVG scales to its container through
its viewBox, so it never makes a narrow screen scroll sideways.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from portal.staff.queries import Day

WIDTH = 640
HEIGHT = 200
LEFT = 36  # room for the axis figures
BOTTOM = 24  # room for the first and last dates
TOP = 8
MAX_BAR = 48


def nice_top(highest: int) -> int:
    """A round number at or above ``highest`` for the top of the axis."""
    if highest <= 5:
        return max(highest, 1)
    step = 1
    while step * 10 < highest:
        step *= 10
    for multiple in (1, 2, 5, 10):
        if step * multiple >= highest:
            return step * multiple
    return highest


def bars(days: Sequence[Day], title_id: str, desc_id: str, title: str, desc: str) -> str:
    """The SVG markup (safe to put in a page as it is)."""
    top = nice_top(max((d.count for d in days), default=0))
    plot_w = WIDTH - LEFT - 4
    plot_h = HEIGHT - TOP - BOTTOM
    # A bar is at most MAX_BAR wide: one day alone is a bar, not a wall.
    slot = min(plot_w / max(len(days), 1), MAX_BAR)
    gap = slot * 0.15 if slot > 3 else 0
    parts = [
        f'<svg class="portal-staff-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{title_id}" aria-describedby="{desc_id}" '
        'preserveAspectRatio="xMinYMin meet" focusable="false">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(desc)}</desc>',
        # Axis: zero and the top figure, with a line for each.
        f'<line class="portal-staff-chart__axis" x1="{LEFT}" y1="{TOP + plot_h}" '
        f'x2="{WIDTH - 4}" y2="{TOP + plot_h}"/>',
        f'<line class="portal-staff-chart__grid" x1="{LEFT}" y1="{TOP}" x2="{WIDTH - 4}" '
        f'y2="{TOP}"/>',
        f'<text class="portal-staff-chart__label" x="{LEFT - 6}" y="{TOP + plot_h}" '
        'text-anchor="end" dominant-baseline="middle">0</text>',
        f'<text class="portal-staff-chart__label" x="{LEFT - 6}" y="{TOP}" text-anchor="end" '
        f'dominant-baseline="hanging">{top}</text>',
    ]
    for index, day in enumerate(days):
        if day.count == 0:
            continue
        height = plot_h * day.count / top
        x = LEFT + index * slot + gap / 2
        y = TOP + plot_h - height
        parts.append(
            f'<rect class="portal-staff-chart__bar" x="{x:.2f}" y="{y:.2f}" '
            f'width="{max(slot - gap, 0.5):.2f}" height="{height:.2f}"/>'
        )
    if days:
        baseline = HEIGHT - 6
        parts.append(
            f'<text class="portal-staff-chart__label" x="{LEFT}" y="{baseline}">'
            f"{days[0].day.day} {days[0].day:%b}</text>"
        )
        if len(days) > 1:
            parts.append(
                f'<text class="portal-staff-chart__label" x="{LEFT + len(days) * slot:.2f}" '
                f'y="{baseline}" '
                f'text-anchor="end">{days[-1].day.day} {days[-1].day:%b}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
