"""Studies: many solves (a grid of levers × Monte Carlo draws), serially or on Dask.

::

    study = load_study("scenarios/study-hubs.toml")
    run = run_study(study, "results.parquet")                 # local Dask cluster
    run = run_study(study, "results.parquet", scheduler="tcp://host:8786")
    study_report(read_results("results.parquet"), "pdf")       # bytes

See :mod:`footprint.study.spec` for the study file, :mod:`footprint.study.engine`
for how it runs, and :mod:`footprint.study.report` for the front.
"""

from footprint.study.engine import StudyRun, connect, local_cluster, run_study
from footprint.study.results import read_results, write_results
from footprint.study.spec import Study, StudyError, StudyPoint, load_study, parse_study

__all__ = [
    "Study",
    "StudyError",
    "StudyPoint",
    "StudyRun",
    "connect",
    "load_study",
    "local_cluster",
    "parse_study",
    "read_results",
    "run_study",
    "write_results",
]
