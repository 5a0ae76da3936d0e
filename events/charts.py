"""Server-rendered SVG bar charts for the organiser's dashboard: no script, no CDN, and
readable by screen readers (a title and one labelled bar per value)."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

BAR_HEIGHT = 18
GAP = 6
LABEL_WIDTH = 170
CHART_WIDTH = 560


def bar_chart(*, title: str, rows: list[tuple[str, float]]) -> SafeString:
    """Horizontal bars, one per (label, value); labels and title are escaped."""
    top = max((value for _label, value in rows), default=0) or 1
    span = CHART_WIDTH - LABEL_WIDTH - 50
    height = max(1, len(rows)) * (BAR_HEIGHT + GAP) + 30
    bars = format_html_join(
        "",
        '<g><text x="{}" y="{}" text-anchor="end" font-size="12">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="#2b6cb0"><title>{}: {}</title></rect>'
        '<text x="{}" y="{}" font-size="12">{}</text></g>',
        (
            (
                LABEL_WIDTH - 6,
                30 + i * (BAR_HEIGHT + GAP) + BAR_HEIGHT - 5,
                label,
                LABEL_WIDTH,
                30 + i * (BAR_HEIGHT + GAP),
                round(span * value / top, 1),
                BAR_HEIGHT,
                label,
                _number(value),
                LABEL_WIDTH + round(span * value / top, 1) + 4,
                30 + i * (BAR_HEIGHT + GAP) + BAR_HEIGHT - 5,
                _number(value),
            )
            for i, (label, value) in enumerate(rows)
        ),
    )
    return format_html(
        '<svg class="chart" role="img" aria-label="{}" viewBox="0 0 {} {}" width="100%" '
        'xmlns="http://www.w3.org/2000/svg"><title>{}</title>'
        '<text x="0" y="16" font-size="14" font-weight="bold">{}</text>{}</svg>',
        title,
        CHART_WIDTH,
        height,
        title,
        title,
        bars,
    )


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
