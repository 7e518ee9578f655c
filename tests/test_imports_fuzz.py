"""Any bytes in: either an ImportReport or an InputError out, never another exception."""

from __future__ import annotations

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from footprint.errors import InputError
from footprint.imports import ImportReport, read_sites, read_staff

SETTINGS = settings(max_examples=int(__import__("os").environ.get("FUZZ_EXAMPLES", "60")), deadline=None, suppress_health_check=[HealthCheck.too_slow])
HEADER = b"site_id,name,lat,lon,location,headcount,floor_area_m2,must_keep,heating_fuel\n"
STAFF = b"employee_id,home_location,home_lat,home_lon,current_site_id,commute_mode,count\n"


def _either(fn, data, name, **kw):
    try:
        out = fn(data, name, **kw)
    except InputError:
        return
    assert isinstance(out, ImportReport)
    assert out.n_valid + len(out.invalid_rows) == out.n_rows


@SETTINGS
@given(st.binary(max_size=400), st.sampled_from(["f.csv", "f.xlsx", "f.tsv", "f.txt", "f.xls", "f"]))
def test_any_bytes(data, name):
    _either(read_sites, data, name)
    _either(read_staff, data, name, site_ids=["A"])


cell = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=8) | st.sampled_from(
    ["", "52.5", "-1.9", "1e400", "nan", "inf", "-0", "1,234", "yes", "gas", "Leeds", "LS1", "car", "A", "°"])


@SETTINGS
@given(st.lists(st.lists(cell, min_size=1, max_size=10), max_size=6), st.sampled_from([",", ";", "\t"]))
def test_csv_like_rows(rows, sep):
    body = "\n".join(sep.join(r) for r in rows).encode("utf-8", "surrogatepass")
    _either(read_sites, HEADER.replace(b",", sep.encode()) + body, "o.csv")
    _either(read_staff, STAFF.replace(b",", sep.encode()) + body, "s.csv", site_ids=["A"])


@settings(max_examples=15, deadline=None)
@given(st.lists(st.lists(cell, min_size=9, max_size=9), min_size=1, max_size=4))
def test_xlsx_rows(rows):
    import pandas as pd

    buf = io.BytesIO()
    pd.DataFrame(rows, columns=HEADER.decode().strip().split(",")).to_excel(buf, index=False)
    _either(read_sites, buf.getvalue(), "o.xlsx")
