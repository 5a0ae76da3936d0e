"""Figures for regional programme managers and the public map of needs and capabilities:
aggregate reads (selectors.py), server-rendered SVG (nuts_map.py, charts from
events/charts.py), pages (views.py, urls.py)."""
