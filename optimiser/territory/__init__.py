"""Stage 1 — the territory: communes, polygons, neighbours."""

from .geojson import load_geojson_territory
from .lookup import CommuneLookup
from .territory import Territory, build_territory

__all__ = ["Territory", "CommuneLookup", "build_territory", "load_geojson_territory"]
