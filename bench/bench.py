"""Speed and memory of `scan` against icalendar's full parse, and start-up against gcalcli.

Prints ratios measured in this run; nothing here is a pass/fail test.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
NOW = "2026-11-28T10:00:00+00:00"

WORKER = r"""
import json, resource, sys, time
from datetime import datetime, timedelta
def rss_kb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
mode, path, now = sys.argv[1], sys.argv[2], datetime.fromisoformat(sys.argv[3])
from callfirst.config import Config
from callfirst.model import Window
from callfirst import api
from callfirst.triage import assess_events, interviews
import icalendar, recurring_ical_events
window = Window(now, now + timedelta(days=90))
base = rss_kb()
start = time.perf_counter()
if mode == "callfirst":
    result = api.scan([path], Config(), now=now, window=window)
    found = sorted((a.event.uid, a.event.start.isoformat()) for a in result.assessments)
else:
    from callfirst.ical.convert import to_event as _to_event
    from zoneinfo import ZoneInfo
    zone = ZoneInfo("UTC")
    calendar = icalendar.Calendar.from_ical(open(path, "rb").read())
    events = [_to_event(c, path, 0, zone, {}, True) for c in recurring_ical_events.of(calendar).between(window.start, window.end)]
    found = sorted((a.event.uid, a.event.start.isoformat()) for a in interviews(assess_events(events, now, Config())))
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": elapsed, "peak_mb": (peak - base) / 1024, "found": found}))
"""


def measure(mode: str, path: Path) -> dict:
    env = dict(os.environ, CALLFIRST_HOME=tempfile.mkdtemp(), TZ="UTC")
    out = subprocess.run(
        [sys.executable, "-c", WORKER, mode, str(path), NOW], capture_output=True, text=True, env=env, check=True
    )
    return json.loads(out.stdout)


def startup(command: list[str], runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    from exports import generate

    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "5000,20000,50000").split(",")]
    folder = Path(tempfile.mkdtemp(prefix="callfirst-bench-"))
    print(
        f"{'events':>7} {'MB':>6} {'callfirst s':>12} {'full parse s':>13} {'speed-up':>9} "
        f"{'callfirst MB':>13} {'full MB':>8} {'memory':>7}  same"
    )
    for size in sizes:
        path = folder / f"export-{size}.ics"
        path.write_text(generate(size))
        ours, peer = measure("callfirst", path), measure("full", path)
        same = "yes" if ours["found"] == peer["found"] else f"NO ({len(ours['found'])} vs {len(peer['found'])})"
        print(
            f"{size:>7} {path.stat().st_size / 1e6:>6.1f} {ours['seconds']:>12.2f} {peer['seconds']:>13.2f} "
            f"{peer['seconds'] / ours['seconds']:>8.1f}x {ours['peak_mb']:>13.1f} {peer['peak_mb']:>8.1f} "
            f"{ours['peak_mb'] / max(peer['peak_mb'], 0.1):>6.2f}x  {same}"
        )
    shutil.rmtree(folder, ignore_errors=True)
    ours = startup([sys.executable, "-m", "callfirst", "--help"])
    peer = os.environ.get("BENCH_PEER", "")
    gcalcli = peer if peer and os.access(peer, os.X_OK) else shutil.which("gcalcli")
    if gcalcli:
        theirs = startup([gcalcli, "--help"])
        print(
            f"start-up: callfirst --help {ours * 1000:.0f} ms, gcalcli --help {theirs * 1000:.0f} ms, "
            f"ratio {ours / theirs:.2f} (target ≤ 0.25)"
        )
    else:
        print(f"start-up: callfirst --help {ours * 1000:.0f} ms; gcalcli not installed, no ratio")
    return 0


if __name__ == "__main__":
    sys.exit(main())
