"""Footprint: a workplace footprint and sustainability planner.

The package is pure Python (no Streamlit). Its layers, from the bottom up:

- :mod:`footprint.inputs`     validated, immutable inputs: sites, staff groups,
  collaboration, policy, the organisation that ties them together;
- :mod:`footprint.factors`    emission-factor sets as data, each factor with unit,
  year and source;
- :mod:`footprint.geo`        distances (vectorised geodesic);
- :mod:`footprint.accounting` the annual footprint by GHG Protocol scope and category;
- :mod:`footprint.locate`     the generic facility-location solver (exact and heuristic),
  importing nothing else of Footprint;
- :mod:`footprint.hubs`       choosing hubs: Footprint's hub model on top of the solver;
- :mod:`footprint.scenario`   scenario files (TOML) and running them;
- :mod:`footprint.reports`    PDF, XLSX and CSV exporters (each returns bytes);
- :mod:`footprint.imports`    reading a user's own offices and staff;
- :mod:`footprint.demo`       the built-in demo organisation;
- :mod:`footprint.cli`        ``python -m footprint …``.
"""

__version__ = "0.1.0"
