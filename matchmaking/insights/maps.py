"""The shaded map: region shapes (nuts_map.py) joined with counts, ready to render."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from accounts.models import Region
from matchmaking.insights.nuts_map import RegionShape, map_geometry

# Sequential blues, light to dark; EMPTY for regions without postings, OUTSIDE for regions
# the platform does not cover (drawn for context only).
SHADES = ("#cfe0f7", "#8fb6ea", "#4f86d6", "#1f56b0", "#0b2f6e")
EMPTY = "#eef1f5"
OUTSIDE = "#d9dce1"


@dataclass(frozen=True)
class ShadedRegion:
    shape: RegionShape
    name: str
    count: int
    fill: str
    href: str


@dataclass(frozen=True)
class ShadedMap:
    width: int
    height: int
    regions: list[ShadedRegion]
    legend: list[tuple[str, str]]

    @property
    def with_postings(self) -> list[ShadedRegion]:
        return sorted((r for r in self.regions if r.count), key=lambda r: (-r.count, r.name))


def _thresholds(top: int) -> list[int]:
    """Upper bounds of the shades: equal steps up to the largest count."""
    steps = len(SHADES)
    return [max(1, round(top * (i + 1) / steps)) for i in range(steps)]


def shaded_map(*, counts: dict[str, int], show: str, technique: str = "") -> ShadedMap:
    """Every drawn region with its count, shade and marketplace link (filtered to the
    region, the kind and the technique, so the link shows exactly the counted postings)."""
    known = dict(Region.objects.values_list("code", "name"))
    top = max(counts.values(), default=0)
    bounds = _thresholds(top) if top else []
    marketplace = reverse("matchmaking:marketplace")
    regions = []
    for shape in map_geometry().regions:
        count = counts.get(shape.code, 0)
        if shape.code not in known:
            regions.append(ShadedRegion(shape, shape.name, 0, OUTSIDE, ""))
            continue
        fill = next((SHADES[i] for i, bound in enumerate(bounds) if count <= bound), EMPTY)
        query = {"show": show, "region": shape.code}
        if technique:
            query["techniques"] = technique
        href = f"{marketplace}?{urlencode(query)}" if count else ""
        regions.append(
            ShadedRegion(shape, known[shape.code], count, fill if count else EMPTY, href)
        )
    lower = 1
    legend = []
    for shade, bound in zip(SHADES, bounds, strict=False):
        if bound >= lower:
            legend.append((shade, f"{lower}–{bound}" if bound > lower else str(bound)))
            lower = bound + 1
    geometry = map_geometry()
    return ShadedMap(geometry.width, geometry.height, regions, legend)
