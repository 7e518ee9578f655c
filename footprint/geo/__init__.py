"""Geography: geodesic distances and commute distance and time."""

from footprint.geo.distance import distance_km, distance_matrix_km

__all__ = ["distance_km", "distance_matrix_km"]
