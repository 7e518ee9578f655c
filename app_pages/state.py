"""Session state of the app: the current scenario is the single source of truth.

Everything the user chose lives in ``st.session_state``:

* ``scenario`` – the current :class:`~footprint.scenario.Scenario` (policy + hubs);
* ``baseline`` – the baseline scenario (today's estate) the deltas are measured from;
* ``org_key`` – which organisation is loaded (``"demo"`` or ``"ws:<id>"``, see ``workspace.py``);
* ``saved`` – up to six scenarios kept for the Compare page;
* ``optimisation`` / ``sweep`` – the last optimiser run and hub-count sweep.

The scenario is mirrored into the URL's query parameters after every run
(:func:`write_query_params`) and read back once when a session starts
(:func:`init_state`), so a browser refresh or a shared link reproduces it.
Widgets never own state: they are seeded from the scenario and write back to it.
"""

from __future__ import annotations

import base64
import json
import zlib
from dataclasses import MISSING, asdict, fields, replace
from pathlib import Path
from typing import Any

import streamlit as st

from footprint.errors import InputError, Problem
from footprint.inputs import Policy
from footprint.inputs.policy import POLICY_FIELDS
from footprint.scenario import HubChoice, Scenario, load_scenario
from footprint.scenario.files import scenario_from_dict, scenario_to_dict

ROOT = Path(__file__).resolve().parent.parent
SCENARIO_DIR = ROOT / "scenarios"
MAX_SAVED = 6
DEMO = "demo"

#: Workshop sliders: policy field → (step, display scale, display unit). Ranges come
#: from the Policy metadata; the scale turns shares into percentages for display.
WORKSHOP_SLIDERS: dict[str, tuple[float, float, str]] = {
    "office_days_per_week": (0.5, 1.0, "days/week"),
    "video_share": (5.0, 100.0, "%"),
    "desk_sharing_ratio": (0.05, 1.0, "desks/peak attendee"),
    "m2_per_desk": (0.5, 1.0, "m²/desk"),
    "hub_electricity_kwh_per_m2": (5.0, 1.0, "kWh/m²/yr"),
    "hub_heating_kwh_per_m2": (5.0, 1.0, "kWh/m²/yr"),
}
WORKSHOP_LABELS = {
    "office_days_per_week": ("Office days", "%.1f"),
    "video_share": ("Cross-site meetings by video", "%.0f"),
    "desk_sharing_ratio": ("Desk sharing", "%.2f"),
    "m2_per_desk": ("Floor area per desk", "%.1f"),
    "hub_electricity_kwh_per_m2": ("Hub electricity intensity", "%.0f"),
    "hub_heating_kwh_per_m2": ("Hub heating intensity", "%.0f"),
}
#: Workshop slider ranges narrower than the model's (easier to hit on a projector).
WORKSHOP_RANGES: dict[str, tuple[float, float]] = {
    "desk_sharing_ratio": (0.3, 1.5),
    "m2_per_desk": (6.0, 20.0),
    "hub_electricity_kwh_per_m2": (0.0, 200.0),
    "hub_heating_kwh_per_m2": (0.0, 200.0),
}
WIDGET_PREFIX = "w_"


# --- defaults ----------------------------------------------------------------------
def default_baseline() -> Scenario:
    """The shipped baseline scenario (today's estate), or a built-in equivalent."""
    path = SCENARIO_DIR / "baseline.toml"
    if path.exists():
        try:
            return load_scenario(path)
        except InputError:
            pass
    return Scenario(name="Baseline: today's estate")


def default_scenario() -> Scenario:
    """The scenario the app opens on: the 30 largest offices as hubs."""
    path = SCENARIO_DIR / "hubs-30.toml"
    if path.exists():
        try:
            return load_scenario(path)
        except InputError:
            pass
    return Scenario(name="30 hubs", hubs=HubChoice(selection="largest", count=30))


# --- session ---------------------------------------------------------------------
def init_state() -> None:
    """Set up the session once (the entry point calls this on every run)."""
    ss = st.session_state
    ss.pop("page_params", None)  # a page names its own link parameters on every run (set_page_params)
    if "scenario" in ss:
        return
    ss.baseline = default_baseline()
    ss.org_key = DEMO
    ss.saved = []
    ss.optimisation = None
    ss.sweep = None
    ss.url_problems = ()
    scenario, org_key, problems = scenario_from_params(dict(st.query_params), default_scenario())
    ss.scenario = scenario
    ss.org_key = org_key
    ss.url_problems = tuple(problems)
    # the workspace link (``ws``) and the uploads it may open
    from app_pages import workspace

    workspace.init_session(dict(st.query_params))
    # the Trade-off form and the Compare list a copied link carries (after the workspace: it decides the data)
    ss.url_problems = (*ss.url_problems, *page_state_from_params(dict(st.query_params)))


def scenario() -> Scenario:
    """The current scenario."""
    return st.session_state.scenario


def baseline() -> Scenario:
    """The baseline scenario (today's estate)."""
    return st.session_state.baseline


def org_key() -> str:
    return st.session_state.get("org_key", DEMO)


def set_scenario(s: Scenario, *, reset_widgets: bool = True) -> None:
    """Replace the current scenario (widgets are re-seeded from it on their next run)."""
    st.session_state.scenario = s
    if reset_widgets:
        for key in [k for k in st.session_state if str(k).startswith(WIDGET_PREFIX)]:
            del st.session_state[key]


def set_policy(policy: Policy) -> None:
    """Change the current scenario's policy (from the workshop sliders)."""
    s = scenario()
    if policy != s.policy:
        st.session_state.scenario = replace(s, policy=policy)


def saved() -> list[Scenario]:
    return st.session_state.setdefault("saved", [])


def save_for_compare(s: Scenario) -> str:
    """Keep ``s`` for the Compare page (replacing one of the same name); returns a message."""
    items = [x for x in saved() if x.name != s.name]
    if len(items) >= MAX_SAVED:
        return f"Up to {MAX_SAVED} scenarios can be compared: remove one first."
    items.append(s)
    st.session_state.saved = items
    from app_pages import workspace

    # the first one kept makes the workspace: scenarios a link brought are kept along with it
    for x in (items if workspace.current() is None else [s]):
        workspace.saved_for_compare(x)
    return f"Saved “{s.name}” for comparison ({len(items)} of {MAX_SAVED})."


def remove_saved(index: int) -> None:
    """Take the ``index``-th scenario off the Compare page (and out of the workspace)."""
    items = saved()
    if 0 <= index < len(items):
        st.session_state.saved = [x for j, x in enumerate(items) if j != index]
        from app_pages import workspace

        workspace.removed_from_compare(items[index].name)


# --- widgets <-> scenario ----------------------------------------------------------
def widget_key(field: str) -> str:
    return WIDGET_PREFIX + field


def seed_widget(field: str, value: Any) -> str:
    """Put the scenario's value into a widget's key unless the widget already holds one."""
    key = widget_key(field)
    if key not in st.session_state:
        st.session_state[key] = value
    return key


def slider_spec(field: str) -> dict[str, Any]:
    """Label, range, step and help of a workshop slider, from the Policy metadata."""
    step, scale, unit = WORKSHOP_SLIDERS[field]
    md = POLICY_FIELDS[field].metadata
    lo, hi = WORKSHOP_RANGES.get(field, (md["lo"], md["hi"]))
    label, fmt = WORKSHOP_LABELS[field]
    return {
        "label": f"{label} [{unit}]",
        "min_value": float(lo * scale),
        "max_value": float(hi * scale),
        "step": float(step),
        "format": fmt,
        "help": f"{md['help']} [{md['unit']}]",
        "scale": scale,
    }


# --- URL (query parameters) --------------------------------------------------------
def _encode(obj: Any) -> str:
    raw = zlib.compress(json.dumps(obj, separators=(",", ":")).encode(), 9)
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(text: str) -> Any:
    pad = "=" * (-len(text) % 4)
    return json.loads(zlib.decompress(base64.urlsafe_b64decode(text + pad)).decode())


def hubs_to_param(h: HubChoice) -> str:
    """``current`` | ``largest:30:nearest`` | ``optimise:30:offices_whole`` | ``x:<packed>``."""
    if h.selection == "current":
        return "current"
    if h.selection in ("largest", "optimise") and not h.office_to_hub:
        return f"{h.selection}:{h.count}:{h.assignment}"
    d = asdict(h)
    d["office_to_hub"] = [list(p) for p in h.office_to_hub]
    # a link cannot carry thousands of staff groups: it keeps the office moves (the
    # scenario file and the workspace keep every group's hub)
    d.pop("group_to_hub", None)
    return "x:" + _encode(d)


def hubs_from_param(text: str) -> dict[str, Any]:
    """The ``[hubs]`` table a ``hubs`` query parameter stands for (validated later)."""
    if text == "current":
        return {"selection": "current"}
    if text.startswith("x:"):
        d = _decode(text[2:])
        d["office_to_hub"] = dict(d.get("office_to_hub", []))
        return d
    selection, count, assignment = text.split(":")
    return {"selection": selection, "count": int(count), "assignment": assignment}


def scenario_to_params(s: Scenario, key: str = DEMO) -> dict[str, str]:
    """Query parameters that reproduce ``s``: policy values that differ from the defaults."""
    params: dict[str, str] = {"name": s.name}
    default = Policy()
    for f in fields(Policy):
        v = getattr(s.policy, f.name)
        if v != getattr(default, f.name) and v is not None:
            params[f.name] = ("true" if v else "false") if isinstance(v, bool) else f"{v:g}" if isinstance(
                v, float) else str(v)
    params["hubs"] = hubs_to_param(s.hubs)
    if key != DEMO:
        params["org"] = key
    return params


def _policy_value(name: str, text: str) -> Any:
    f = POLICY_FIELDS[name]
    default = f.default if f.default is not MISSING else None
    if isinstance(default, bool):
        return {"true": True, "false": False}.get(text.lower(), text)
    if isinstance(default, str):
        return text
    try:
        return float(text)
    except ValueError:
        return text


def _builtin_factor_set(text: Any) -> bool:
    """True when ``text`` is the id of a built-in factor set (never a path)."""
    from footprint.factors import available_factor_sets

    return isinstance(text, str) and text in available_factor_sets()


def scenario_from_params(params: dict[str, str], fallback: Scenario,
                         extra: dict[str, Any] | None = None) -> tuple[Scenario, str, list[Problem]]:
    """The scenario a URL describes; ``fallback`` (with the problems) when it is invalid.

    ``extra`` holds scenario-file entries a link may carry besides (``description``, ``optimiser``).
    """
    if not params or ("hubs" not in params and not any(k in POLICY_FIELDS for k in params)):
        return fallback, DEMO, []
    key = params.get("org", DEMO)
    policy = fallback.policy.to_mapping()
    problems: list[Problem] = []
    for name, text in params.items():
        if name in POLICY_FIELDS:
            policy[name] = _policy_value(name, text)
    if "factor_set" in params and not _builtin_factor_set(params["factor_set"]):  # a link never names a file
        from footprint.factors import available_factor_sets

        problems.append(Problem(f"'{str(params['factor_set'])[:60]}' is not a built-in factor set; a link can only "
                                f"name one of: {', '.join(available_factor_sets())}. The default is used.",
                                "link", None, "factor_set"))
        policy["factor_set"] = fallback.policy.factor_set
    data: dict[str, Any] = {
        "schema_version": 1,
        "name": params.get("name", fallback.name),
        "description": "Opened from a shared link.",
        "organisation": {"source": "demo" if key == DEMO else "files"},
        "policy": policy,
        "optimiser": asdict(fallback.optimiser),
    }
    for k in ("description", "optimiser"):
        if extra and k in extra:
            data[k] = extra[k]
    if key != DEMO:
        data["organisation"].update(sites="uploaded offices", staff="uploaded staff")
    try:
        data["hubs"] = hubs_from_param(params["hubs"]) if "hubs" in params else scenario_to_dict(fallback)["hubs"]
    except (ValueError, KeyError, TypeError, AttributeError, zlib.error):  # any text: never a crash
        problems.append(Problem("cannot be read; the default hubs are used", "link", None, "hubs"))
        data["hubs"] = scenario_to_dict(fallback)["hubs"]
    try:
        return scenario_from_dict(data, "link"), key, problems
    except InputError as e:
        return fallback, DEMO, [*problems, *e.problems]


def write_query_params() -> None:
    """Mirror the current scenario into the URL (only when it changed)."""
    from app_pages import workspace

    params = scenario_to_params(scenario(), org_key()) | workspace.link_params()
    params |= st.session_state.get("page_params") or {}
    current = {k: st.query_params.get(k) for k in st.query_params}
    if current != params:
        st.query_params.from_dict(params)


# --- page settings in the URL (Trade-off form, Compare list) -----------------------
#: Trade-off form: query key → (widget key, what it is). Written only on the Trade-off page.
TRADEOFF_PARAMS: dict[str, tuple[str, str]] = {
    "sw_from": ("t_from", "the first number of hubs"),
    "sw_to": ("t_to", "the last number of hubs"),
    "sw_step": ("t_step", "the step in hubs"),
    "sw_time": ("t_time", "the time limit per point [s]"),
    "sw_method": ("t_method", "the method"),
    "sw_whole": ("t_whole", "whether offices move as a whole"),
}
SWEEP_METHODS = ("heuristic", "auto", "exact")
SWEEP_TIME_S = (1.0, 300.0)  #: range of the time limit per point [s]
COMPARE_PARAM = "cmp"  #: the scenarios saved for comparison (packed)
COMPARE_MAPS_PARAM = "cmp_maps"  #: the two compared maps, as ``left,right`` indices (0: the baseline)


def set_page_params(params: dict[str, str]) -> None:
    """Add the current page's own settings to the link for this run (see :func:`write_query_params`)."""
    st.session_state.page_params = {**(st.session_state.get("page_params") or {}), **params}


def tradeoff_to_params(inputs: dict[str, Any]) -> dict[str, str]:
    """Query parameters of the Trade-off form (``inputs``: widget key → value)."""
    out: dict[str, str] = {}
    for name, (wkey, _) in TRADEOFF_PARAMS.items():
        v = inputs.get(wkey)
        if v is None:
            continue
        out[name] = ("true" if v else "false") if isinstance(v, bool) else f"{v:g}" if isinstance(v, float) else str(v)
    return out


def tradeoff_from_params(params: dict[str, str], n_candidates: int) -> tuple[dict[str, Any], list[Problem]]:
    """The Trade-off form a link describes (widget key → value) and the problems with it.

    A bad value is left out (the form keeps its default) and named in a :class:`Problem`.
    """
    out: dict[str, Any] = {}
    problems: list[Problem] = []

    def bad(name: str, why: str) -> None:
        what = TRADEOFF_PARAMS[name][1]
        problems.append(Problem(f"'{str(params[name])[:40]}' is not {why} for {what}; the default is used.",
                                "link", None, name))

    for name in ("sw_from", "sw_to", "sw_step"):
        if name in params:
            try:
                v = int(str(params[name]).strip())
            except ValueError:
                bad(name, "a whole number")
                continue
            if not 1 <= v <= n_candidates:
                bad(name, f"between 1 and {n_candidates} (the offices that can be hubs)")
                continue
            out[TRADEOFF_PARAMS[name][0]] = v
    if "sw_time" in params:
        try:
            v = float(str(params["sw_time"]).strip())
        except ValueError:
            v = float("nan")
        lo, hi = SWEEP_TIME_S
        if lo <= v <= hi:  # also False for NaN
            out["t_time"] = v
        else:
            bad("sw_time", f"a number of seconds from {lo:g} to {hi:g}")
    if "sw_method" in params:
        if params["sw_method"] in SWEEP_METHODS:
            out["t_method"] = params["sw_method"]
        else:
            bad("sw_method", "one of " + ", ".join(SWEEP_METHODS))
    if "sw_whole" in params:
        v = {"true": True, "false": False}.get(str(params["sw_whole"]).lower())
        if v is None:
            bad("sw_whole", "true or false")
        else:
            out["t_whole"] = v
    return out, problems


def compared_to_param(items: list[Scenario]) -> str:
    """The scenarios saved for comparison as one packed query value."""
    packed = []
    for s in items:
        p: dict[str, Any] = scenario_to_params(s)
        if s.description:
            p["description"] = s.description
        p["optimiser"] = asdict(s.optimiser)
        packed.append(p)
    return _encode(packed)


def compared_from_param(text: str) -> tuple[list[Scenario], list[Problem]]:
    """The scenarios a ``cmp`` value packs (each validated like a link's scenario) and the problems."""
    try:
        packed = _decode(text)
        if not isinstance(packed, list) or not all(isinstance(p, dict) for p in packed):
            raise TypeError("not a list of scenarios")
    except (ValueError, TypeError, zlib.error, UnicodeDecodeError):
        return [], [Problem("cannot be read; nothing was added for comparison", "link", None, COMPARE_PARAM)]
    items: list[Scenario] = []
    problems: list[Problem] = []
    unreadable = Scenario(name="")  # the fallback: identity tells a rejected entry
    for i, p in enumerate(packed[:MAX_SAVED], start=1):
        extra = {k: p.pop(k) for k in ("description", "optimiser") if k in p}
        params = {str(k): str(v) for k, v in p.items() if k != "org"}
        params.setdefault("hubs", "current")
        got, _, found = scenario_from_params(params, unreadable, extra=extra)
        problems += [replace(q, source=f"link (compared scenario {i})") for q in found]
        if got is not unreadable:
            items.append(got)
        else:
            problems.append(Problem("is not valid and was left out", f"link (compared scenario {i})", None,
                                    COMPARE_PARAM))
    if len(packed) > MAX_SAVED:
        problems.append(Problem(f"names {len(packed)} scenarios; only the first {MAX_SAVED} are compared", "link",
                                None, COMPARE_PARAM))
    return items, problems


def compare_maps_from_param(text: str, n_choices: int) -> tuple[tuple[int, int] | None, list[Problem]]:
    """The two map choices of ``cmp_maps`` (``left,right``, 0 the baseline) among ``n_choices``."""
    try:
        left, right = (int(x) for x in str(text).split(","))
        if not (0 <= left < n_choices and 0 <= right < n_choices):
            raise ValueError
    except ValueError:
        return None, [Problem(f"'{str(text)[:40]}' is not two scenario numbers from 0 to {max(n_choices - 1, 0)} "
                              "(0: the baseline); the default maps are shown", "link", None, COMPARE_MAPS_PARAM)]
    return (left, right), []


def page_state_from_params(params: dict[str, str]) -> list[Problem]:
    """Seed the Trade-off form and the Compare list from a link; the problems found (never raises)."""
    ss = st.session_state
    problems: list[Problem] = []
    if any(k in params for k in TRADEOFF_PARAMS):
        from app_pages import cached

        try:
            n = int(cached.organisation(org_key()).sites.can_be_hub.sum())
        except Exception:  # noqa: BLE001 - data gone: the page says so itself; the form keeps its defaults
            n = 0
        inputs, problems = tradeoff_from_params(params, n) if n else ({}, [])
        ss.sweep_inputs = inputs
    if COMPARE_PARAM in params:
        items, found = compared_from_param(str(params[COMPARE_PARAM]))
        problems += found
        if ss.get("workspace") is None:  # an open workspace's own list is the live one, even empty
            ss.saved = items
    if COMPARE_MAPS_PARAM in params:
        picks, found = compare_maps_from_param(str(params[COMPARE_MAPS_PARAM]), len(ss.get("saved") or []) + 1)
        problems += found
        if picks is not None:
            ss.compare_maps = picks
    return problems
