"""The Streamlit front end: one module per page, plus state, caching, charts, map and errors.

Pages only draw; every number comes from ``footprint`` through :mod:`app_pages.cached`.
"""
