"""NUTS-2 regions of Europe as SVG paths, projected once per process from the shipped
Eurostat GISCO boundaries (accounts/data/gisco/README.md names source and licence).

Lambert azimuthal equal-area centred on 10° E, 52° N (the projection of EPSG:3035, on a
sphere): areas compare fairly, which matters when colour stands for a count per region.
Coordinates are rounded to whole units of a 1000-wide drawing and repeated points
dropped, which keeps the whole map near 150 kB of SVG."""

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

BOUNDARIES = (
    Path(__file__).resolve().parents[2]
    / "accounts"
    / "data"
    / "gisco"
    / "NUTS_RG_20M_2021_4326_LEVL_2.geojson"
)
WIDTH = 1000
CENTRE_LON, CENTRE_LAT = math.radians(10.0), math.radians(52.0)
# Left out of the drawing: Turkey (it would double the width) and the EU's outermost
# regions far out in the Atlantic and overseas.
OMITTED_PREFIXES = ("TR", "FRY", "PT20", "PT30", "ES70")


@dataclass(frozen=True)
class RegionShape:
    code: str
    country: str
    name: str
    path: str


@dataclass(frozen=True)
class MapGeometry:
    width: int
    height: int
    regions: tuple[RegionShape, ...]


def _project(lon: float, lat: float) -> tuple[float, float]:
    """Spherical Lambert azimuthal equal-area; y grows southwards (SVG)."""
    lam, phi = math.radians(lon), math.radians(lat)
    k = math.sqrt(
        2
        / (
            1
            + math.sin(CENTRE_LAT) * math.sin(phi)
            + math.cos(CENTRE_LAT) * math.cos(phi) * math.cos(lam - CENTRE_LON)
        )
    )
    x = k * math.cos(phi) * math.sin(lam - CENTRE_LON)
    y = k * (
        math.cos(CENTRE_LAT) * math.sin(phi)
        - math.sin(CENTRE_LAT) * math.cos(phi) * math.cos(lam - CENTRE_LON)
    )
    return x, -y


def _polygons(geometry: dict) -> list:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return geometry["coordinates"]


@cache
def map_geometry() -> MapGeometry:
    """All drawn regions, projected and scaled to a WIDTH-wide drawing."""
    features = [
        feature
        for feature in json.loads(BOUNDARIES.read_text(encoding="utf-8"))["features"]
        if not feature["properties"]["NUTS_ID"].startswith(OMITTED_PREFIXES)
    ]
    projected = [
        (
            feature["properties"],
            [
                [[_project(lon, lat) for lon, lat in ring] for ring in polygon]
                for polygon in _polygons(feature["geometry"])
            ],
        )
        for feature in features
    ]
    xs = [x for _p, polys in projected for poly in polys for ring in poly for x, _y in ring]
    ys = [y for _p, polys in projected for poly in polys for ring in poly for _x, y in ring]
    scale = WIDTH / (max(xs) - min(xs))
    left, top = min(xs), min(ys)
    regions = []
    for properties, polygons in projected:
        rings = []
        for polygon in polygons:
            for ring in polygon:
                points = []
                for x, y in ring:
                    point = (round((x - left) * scale), round((y - top) * scale))
                    if not points or points[-1] != point:
                        points.append(point)
                if len(points) >= 3:
                    rings.append("M" + "L".join(f"{x} {y}" for x, y in points) + "Z")
        regions.append(
            RegionShape(
                code=properties["NUTS_ID"],
                country=properties["CNTR_CODE"],
                name=properties["NAME_LATN"],
                path="".join(rings),
            )
        )
    height = round((max(ys) - top) * scale)
    return MapGeometry(width=WIDTH, height=height, regions=tuple(regions))
