"""``optimise`` and ``sweep``: choose hubs, and trade emissions against commutes."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import click
from tqdm import tqdm

from footprint.cli.common import EXIT_INPUT, fail, main, user_errors
from footprint.safeio import write_atomic
from footprint.scenario import load_scenario, run_scenario, save_scenario
from footprint.scenario.run import load_organisation
from footprint.scenario.schema import HubChoice
from footprint.scenario.summary import format_summary, result_to_dict


class _Bar:
    """A tqdm progress bar on stderr fed by the optimiser's ``progress(fraction, message)``."""

    def __init__(self, desc: str, enabled: bool):
        self.bar = tqdm(total=1000, desc=desc, disable=not enabled, leave=False,
                        bar_format="{desc}: {percentage:3.0f}%|{bar}| {elapsed} {postfix}")

    def __call__(self, fraction: float, message: str) -> bool:
        self.bar.n = int(1000 * min(max(fraction, 0.0), 1.0))
        self.bar.set_postfix_str(message[:60], refresh=True)
        return False

    def close(self) -> None:
        self.bar.close()


def _with_overrides(scenario, hubs, method, time_limit, offices_whole):
    opt = scenario.optimiser
    if method:
        opt = replace(opt, method=method)
    if time_limit:
        opt = replace(opt, time_limit_s=time_limit)
    count = hubs if hubs is not None else scenario.hubs.count
    assignment = scenario.hubs.assignment if offices_whole is None else (
        "offices_whole" if offices_whole else "nearest")
    return replace(scenario, hubs=HubChoice(selection="optimise", count=count, assignment=assignment),
                   optimiser=opt)


@main.command()
@click.argument("scenario_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--hubs", type=click.IntRange(1, 100_000), help="Number of hubs (default: the scenario's hubs.count).")
@click.option("--method", type=click.Choice(["auto", "exact", "heuristic"]), help="Solver method.")
@click.option("--time-limit", type=click.FloatRange(0.1, 86_400), help="Time limit [s].")
@click.option("--offices-whole/--by-group", default=None,
              help="Move offices as a whole, or assign staff groups individually.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--save", type=click.Path(dir_okay=False, path_type=Path),
              help="Write a scenario file with the chosen hubs, to reload and compare.")
@user_errors
def optimise(scenario_file, hubs, method, time_limit, offices_whole, as_json, save) -> None:
    """Choose hubs for SCENARIO_FILE and show the footprint against its baseline."""
    scenario = _with_overrides(load_scenario(scenario_file), hubs, method, time_limit, offices_whole)
    if scenario.hubs.count < 1 and scenario.optimiser.fixed_hub_tco2e <= 0:
        fail("say how many hubs: --hubs N or hubs.count in the scenario file (or hubs.count = 0 with "
             "optimiser.fixed_hub_tco2e > 0 for a free number)", EXIT_INPUT)
    bar = _Bar(f"optimising {scenario.hubs.count or 'a free number of'} hubs", not as_json)
    try:
        result = run_scenario(scenario, progress=bar)
    finally:
        bar.close()
    click.echo(json.dumps(result_to_dict(result), indent=2) if as_json else format_summary(result))
    if save is not None:
        report = result.optimisation
        offices = report.office_to_hub()  # by group: with the groups that split off
        moves = tuple(sorted(offices.items()))
        groups = tuple(sorted(report.group_to_hub(result.organisation.staff, offices).items()))
        baseline = ""
        if scenario.baseline:  # keep the baseline reachable, relative to where the new file is written
            baseline = os.path.relpath(Path(scenario.resolve(scenario.baseline)).resolve(), save.resolve().parent)
        saved = replace(
            scenario,
            name=f"{scenario.name} (optimised)",
            description=(
                f"{report.n_hubs} hubs chosen by the optimiser from '{scenario.name}' "
                f"({'offices moved whole' if report.keep_offices_whole else 'staff groups assigned individually'}, "
                f"desk capacities {'respected' if scenario.optimiser.respect_capacity else 'ignored'}): "
                f"{report.proven_statement}. Made with: python -m footprint optimise {scenario_file.name}"
                + (" --offices-whole" if report.keep_offices_whole else " --by-group")
                + f" --save {save.name}"
            ),
            baseline=baseline,
            hubs=HubChoice(selection="explicit", sites=report.hub_ids, assignment=scenario.hubs.assignment,
                           office_to_hub=moves, group_to_hub=groups),
        )
        save_scenario(saved, save)
        click.echo(f"Scenario with the chosen hubs written to {save}", err=as_json)


def _parse_range(text: str) -> list[int]:
    """``5:100:5`` → 5, 10, …, 100; ``10,20,30`` → those."""
    try:
        if ":" in text:
            parts = [int(p) for p in text.split(":")]
            start, stop, step = (parts + [1])[:3] if len(parts) == 2 else parts
            if step <= 0 or start < 1 or stop < start or stop > 100_000:
                raise ValueError
            values = list(range(start, stop + 1, step))
        else:
            values = [int(p) for p in text.split(",")]
        if min(values) < 1 or max(values) > 100_000 or len(values) > MAX_SWEEP_POINTS:
            raise ValueError
        return values
    except (ValueError, TypeError):
        raise click.BadParameter(f"'{text}' is not a range of hub counts; use START:STOP:STEP with 1 ≤ START ≤ "
                                 f"STOP (e.g. 5:100:5) or a list (e.g. 10,20,30), at most {MAX_SWEEP_POINTS} "
                                 "points", param_hint="--hubs") from None


MAX_WEIGHT = 100.0  #: largest commute weight λ, as optimiser.commute_weight_kg_per_km allows [kg CO2e/person-km]
MAX_SWEEP_POINTS = 1000  #: most points one sweep runs


def _number_list(text: str, hi: float, *, hint: str, what: str, unit: str, example: str) -> list[float]:
    """``a,b,c`` → those numbers, each finite and from 0 to ``hi``; a click usage error otherwise."""
    try:
        values = [float(w) for w in text.split(",")]
    except ValueError:
        raise click.BadParameter(f"'{text}' is not a comma list of numbers; use e.g. {example}",
                                 param_hint=hint) from None
    bad = [w for w in values if not (0 <= w <= hi)]  # also catches nan
    if bad:
        top = f"{hi:,.0f}" if hi >= 1000 else f"{hi:g}"
        raise click.BadParameter(f"{', '.join(f'{w:g}' for w in bad)}: each {what} must be a number from 0 to "
                                 f"{top} [{unit}]", param_hint=hint)
    if len(values) > MAX_SWEEP_POINTS:
        raise click.BadParameter(f"at most {MAX_SWEEP_POINTS} {what}s", param_hint=hint)
    return values


def _parse_weights(text: str) -> list[float]:
    """``0,0.05,0.1`` → those weights; each finite and from 0 to :data:`MAX_WEIGHT`."""
    return _number_list(text, MAX_WEIGHT, hint="--weights", what="weight", unit="kg CO2e per person-km",
                        example="0,0.05,0.1")


MAX_CARBON_PRICE = 100_000.0  #: dearest carbon price, as policy.carbon_price_gbp_per_t allows [GBP/t CO2e]


def _parse_prices(text: str) -> list[float]:
    """``0,50,100`` → those carbon prices; each finite and from 0 (money only) to :data:`MAX_CARBON_PRICE`."""
    return _number_list(text, MAX_CARBON_PRICE, hint="--carbon-prices", what="carbon price",
                        unit="GBP per t CO2e", example="0,50,100,250,1000")


@main.command()
@click.argument("scenario_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--hubs", "hubs_range", default="5:50:5", show_default=True,
              help="Numbers of hubs: START:STOP:STEP or a comma list (one number with --carbon-prices).")
@click.option("--weights", help="Instead: sweep the commute weight λ [kg CO2e per person-km], e.g. 0,0.05,0.1,0.2.")
@click.option("--carbon-prices", "carbon_prices",
              help="Instead: sweep the carbon price [GBP per t CO2e] the optimiser weighs cost with, e.g. "
                   "0,50,100,250,1000 (0: money only), and draw the carbon–cost front; hubs: one --hubs "
                   "number, else the scenario's hubs.count (0: a free number).")
@click.option("--method", type=click.Choice(["auto", "exact", "heuristic"]), default="heuristic", show_default=True)
@click.option("--time-limit", type=click.FloatRange(0.1, 86_400), default=10.0, show_default=True,
              help="Time limit per point [s].")
@click.option("--offices-whole/--by-group", default=True, show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write the points as CSV.")
@click.option("--json", "as_json", is_flag=True, help="Print the points as JSON.")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path),
              help="With --carbon-prices: also write the scenario's PDF report with the carbon–cost front drawn.")
@click.pass_context
@user_errors
def sweep(ctx, scenario_file, hubs_range, weights, carbon_prices, method, time_limit, offices_whole, out,
          as_json, report) -> None:
    """Sweep the number of hubs (or the commute weight, or the carbon price) and find the front and its knee."""
    from footprint.hubs.sweep import sweep_commute_weight, sweep_hubs

    if carbon_prices is not None:
        if weights:
            raise click.UsageError("give --weights or --carbon-prices, not both")
        hubs_given = ctx.get_parameter_source("hubs_range") != click.core.ParameterSource.DEFAULT
        prices = _parse_prices(carbon_prices)
        counts = _parse_range(hubs_range) if hubs_given else None
        if counts is not None and len(counts) != 1:
            raise click.BadParameter(f"'{hubs_range}': a carbon-price sweep takes one number of hubs",
                                     param_hint="--hubs")
        if report is not None and report.suffix.lower() != ".pdf":
            raise click.BadParameter(f"'{report}': the report is a PDF; name it .pdf", param_hint="--report")
        _price_sweep(scenario_file, prices, counts[0] if counts else None, method, time_limit, offices_whole,
                     out, as_json, report)
        return
    if report is not None:
        raise click.UsageError("--report goes with --carbon-prices (the hub sweep's chart is in the app's report)")
    lams = _parse_weights(weights) if weights else None  # usage errors first, before any slow work
    counts = None if weights else _parse_range(hubs_range)
    scenario = load_scenario(scenario_file)
    settings = replace(scenario.optimiser, method=method, time_limit_s=time_limit)
    org = load_organisation(scenario)
    bar = _Bar("sweep", not as_json)
    try:
        if weights:
            n = scenario.hubs.count or 30
            res = sweep_commute_weight(org, scenario.policy, n, lams, settings, keep_offices_whole=offices_whole,
                                       progress=bar)
        else:
            res = sweep_hubs(org, scenario.policy, counts, settings,
                             keep_offices_whole=offices_whole, progress=bar)
    finally:
        bar.close()
    if out is not None:
        write_atomic(out, res.to_csv())
    if as_json:
        click.echo(json.dumps(res.to_rows(), indent=2, default=float))
    else:
        click.echo(f"{'hubs':>5} {'λ':>6} {'t CO2e':>10} {'mean km':>8} {'>60 min':>8} {'gap %':>7}  front")
        for k, p in enumerate(res.points):
            mark = "knee" if k == res.knee_index else ("*" if k in res.pareto else "")
            if not p.feasible:
                click.echo(f"{p.n_hubs:>5} {p.commute_weight_kg_per_km:>6g}  infeasible: {p.message}")
                continue
            gap = f"{100 * p.gap:.2f}" if p.gap == p.gap else "–"
            click.echo(f"{p.n_hubs:>5} {p.commute_weight_kg_per_km:>6g} {p.total_tco2e:>10,.0f} "
                       f"{p.mean_commute_km:>8.1f} {p.staff_over_60_min:>8,.0f} {gap:>7}  {mark}")
        axes = {"n_hubs": "number of hubs", "total_tco2e": "total t CO2e", "mean_commute_km": "mean one-way commute"}
        knee = res.points[res.knee_index] if res.knee_index is not None else None
        click.echo(f"{len(res.pareto)} points on the Pareto front ({axes[res.axes[0]]} vs {axes[res.axes[1]]}, both "
                   f"minimised)" + (f"; knee at {knee.n_hubs} hubs, λ = {knee.commute_weight_kg_per_km:g}" if knee else "")
                   + f"; {res.seconds:.1f} s" + (f"; CSV written to {out}" if out else ""))
        for field, label in (("mean_commute_km", "mean one-way commute"), ("staff_over_60_min", "staff over 60 min")):
            if res.axes == ("total_tco2e", field):
                continue
            front, k = res.front("total_tco2e", field)
            where = (f"knee at {res.points[k].n_hubs} hubs, λ = {res.points[k].commute_weight_kg_per_km:g}"
                     if k is not None else "no knee")
            click.echo(f"total t CO2e vs {label}: {len(front)} points on the front; {where}")


def _price_sweep(scenario_file, prices, n_hubs, method, time_limit, offices_whole, out, as_json, report) -> None:
    """The carbon–cost front over carbon prices: print it (or JSON), write it as CSV."""
    from footprint.decisions.pricesweep import (
        COST_ONLY_PRICE_GBP_PER_T,
        carbon_price_front,
    )

    scenario = load_scenario(scenario_file)
    settings = replace(scenario.optimiser, method=method, time_limit_s=time_limit)
    if n_hubs is None:
        n_hubs = scenario.hubs.count or None
    org = load_organisation(scenario)
    bar = _Bar("carbon-price sweep", not as_json)
    try:
        front = carbon_price_front(org, scenario.policy, n_hubs, settings, prices, keep_offices_whole=offices_whole,
                                   progress=bar)
    finally:
        bar.close()
    if out is not None:
        write_atomic(out, front.to_csv())
    if report is not None:
        from footprint.reports import scenario_report

        write_atomic(report, scenario_report(run_scenario(scenario), "pdf", sweep=front))
        click.echo(f"PDF report with the carbon–cost front written to {report}", err=True)
    if as_json:
        click.echo(json.dumps(front.to_dict(), indent=2))
        return
    budget = front.budget_gbp
    click.echo(f"Carbon–cost front of '{scenario.name}' ({n_hubs or 'a free number of'} hubs; cost to the "
               "organisation: estate, energy, business travel)")
    click.echo(f"{'£/t CO2e':>9} {'t CO2e/yr':>11} {'£/yr':>14} {'hubs':>5}  ")
    on = front.on_front()
    for k, p in enumerate(front.points):
        marks = (["knee"] if k == front.knee else []) + ([] if on[k] else ["dominated"]) + (["over budget"] if p.within_budget is False else [])
        click.echo(f"{p.price_gbp_per_t:>9,.0f} {p.tco2e:>11,.0f} {p.cost_gbp:>14,.0f} {p.n_hubs:>5}  "
                   + ", ".join(marks))
    if front.knee is not None:
        k = front.points[front.knee]
        click.echo(f"Knee at £{k.price_gbp_per_t:,.0f}/t: {k.tco2e:,.0f} t CO2e a year for £{k.cost_gbp:,.0f} a year "
                   "(the point farthest from the line between the front's ends, both axes scaled to 0–1)")
    else:
        click.echo("No knee: fewer than three points on the front, or all on one line")
    if not on.all():
        click.echo("Dominated: another price's plan is cheaper and lower in carbon (the optimiser's plans are "
                   "not all proven optimal; raise --time-limit or use --method exact)")
    if front.points and front.points[0].price_gbp_per_t < COST_ONLY_PRICE_GBP_PER_T:
        click.echo(f"A price of 0 (money only) runs at £{COST_ONLY_PRICE_GBP_PER_T:g}/t, the lowest the policy "
                   "takes: emissions only break near-ties")
    if budget is not None:
        click.echo(f"Annual budget £{budget:,.0f}: points are optimised without it; "
                   f"{sum(p.within_budget is False for p in front.points)} of {len(front.points)} are over it")
    if out is not None:
        click.echo(f"CSV written to {out}")
