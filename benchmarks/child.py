"""The loader in a process of its own, so its peak RSS is its own: `python benchmarks/child.py DIR`.

The parent passes the connection settings as JSON on standard input (never argv or the
environment: a password stays off the process list) and reads one JSON line back:
elapsed seconds, the loader's summary, Neo4j's update counters summed over the load
(`properties_set`, ...), how many facts and entities its retraction step took back, and
the peak RSS before and after loading: the process's own high-water mark (VmHWM) where
/proc has it, getrusage's ru_maxrss otherwise (on Linux ru_maxrss includes the parent's size
at fork, so it is reported beside it only).
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def _maxrss_mb() -> float:
    """getrusage's ru_maxrss in MB (Linux reports kilobytes, macOS bytes).

    On Linux it is carried across fork + exec: it is never below the RSS the parent had
    when it started this process, so it cannot show a loader smaller than its parent.
    """
    raw = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return raw / (1024 * 1024) if sys.platform == "darwin" else raw / 1024


def _hwm_mb() -> float | None:
    """This process's own peak RSS (VmHWM of its address space, new at exec), or None without /proc."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _peak_mb() -> tuple[float, str]:
    hwm = _hwm_mb()
    return (hwm, "VmHWM") if hwm is not None else (_maxrss_mb(), "ru_maxrss")


def main(argv: list[str]) -> int:
    from motorgraph.db import open_driver
    from motorgraph.loaders import load
    from motorgraph.settings import Settings

    cfg = json.loads(sys.stdin.read())
    batch_size = int(cfg.pop("batch_size_override", 0) or 0)
    mode = cfg.pop("load_mode", "online")
    cfg["home"] = Path(cfg["home"])
    settings = Settings(**cfg)
    paths = [Path(p) for p in argv]
    driver = open_driver(settings)
    try:
        baseline, _ = _peak_mb()
        t0 = time.perf_counter()
        summary = load(paths, driver=driver, database=settings.database,
                       batch_size=batch_size or settings.batch_size, show_progress=False,
                       max_input_bytes=settings.max_input_bytes, settings=settings, mode=mode)
        elapsed = time.perf_counter() - t0
    finally:
        driver.close()
    peak, how = _peak_mb()
    print(json.dumps({"elapsed_s": elapsed, "summary": summary.as_dict(), "counters": dict(summary.counters),
                      "retraction": {k: len(v) for k, v in summary.retraction.as_dict().items()},
                      "baseline_rss_mb": round(baseline, 1),
                      "peak_rss_mb": round(peak, 1), "peak_rss_source": how,
                      "ru_maxrss_mb": round(_maxrss_mb(), 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
