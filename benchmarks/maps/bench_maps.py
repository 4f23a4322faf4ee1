"""Time-to-interactive and file size of influence maps, physics on versus a precomputed layout.

Run from the repository root after `make test` (it installs the `test` extra and a Chromium):

    .venv/bin/python benchmarks/maps/bench_maps.py --output benchmarks/maps/RESULTS.md

For each size (default 500 / 1,000 / 5,000 / 20,000 entities, 4 edges per entity, seeded),
`network.maps.render.render_map` writes a map; the script then derives two variants of the same
file by editing its embedded data, and opens each in headless Chromium from file://:

- precomputed: what render_map writes above PRECOMPUTED_LAYOUT_ABOVE entities: igraph
  positions, physics off, straight edges;
- physics, igraph start: the same positions, vis-network physics on, curved edges
  (what render_map writes for small maps);
- physics, random start: no positions, physics on, curved edges, vis-network's default
  1,000 stabilization iterations (pyvis's default behaviour).

"Interactive" is the first `afterDrawing` event, timed from navigation start
(`performance.mark("map:first-draw")` in the page): vis-network draws nothing until its
stabilization ends, so before that the user sees an empty canvas. "Select" is the time
from calling `influenceMap.selectEntity` on the biggest entity (panel, highlight) to the
end of the next drawing: how long a click takes to show. Precomputed cells are the median
of --repeats runs, physics cells one run each; physics runs stop at --physics-timeout
seconds, and larger sizes are skipped once a mode timed out. The machine's load average
is printed with the table: on a shared machine every number grows with it.
With --pages, the script renders nothing: it opens the given map files in turn (say, the same
map written before and after a change) and reports, per file, the median time to interactive
and the median time spent in each phase up to it, from the page script's performance.marks:
loading the file and vis-network, parsing the drawing data, building the items, legend and
filters, the DataSets, vis-network's setData (building every node and edge, measuring labels),
the first drawing.
Nothing here is asserted: tests never time things (see tests/browser/).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path


ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "browser"))  # the browser tests' synthetic network and Chromium settings
from browsers import find_chromium  # noqa: E402
from map_tables import CHROMIUM_ARGS, synthetic_tables  # noqa: E402
from network.maps.page import PRECOMPUTED_LAYOUT_ABOVE, as_columns, embed_json, from_columns  # noqa: E402
from network.maps.render import render_map  # noqa: E402

CHROMIUM = find_chromium()  # the browser `make test` provisions (tests/browser/browsers.py)

DATA_BLOCK = re.compile(r'(<script type="application/json" id="influence-map-data">)(.*?)(</script>)', re.DOTALL)
MODES = ("precomputed", "physics, igraph start", "physics, random start")
VIS_DEFAULT_STABILIZATION = 1000  # vis-network's (and pyvis's) default stabilization iterations


def variant(html: str, mode: str) -> str:
    """The same page with its layout mode changed by editing the embedded data."""
    match = DATA_BLOCK.search(html)
    data = json.loads(match.group(2))
    vis_nodes, vis_edges = from_columns(data["vis"]["nodes"]), from_columns(data["vis"]["edges"])
    physics = mode != "precomputed"
    data["physics"] = physics
    data["vis"]["options"]["physics"]["enabled"] = physics
    data["vis"]["options"]["edges"]["smooth"] = (
        {"enabled": True, "type": "continuous", "roundness": 0.35} if physics else False)
    if mode == "physics, random start":
        for node in vis_nodes:
            node.update(x=None, y=None)
        data["vis"]["options"]["physics"]["stabilization"]["iterations"] = VIS_DEFAULT_STABILIZATION
    if physics:
        data["arrowsFromScale"] = None
        for edge in vis_edges:
            if edge.get("arrows") is None and edge["directed"]:
                edge["arrows"] = "to"
    data["vis"].update(nodes=as_columns(vis_nodes), edges=as_columns(vis_edges))
    return html[:match.start(2)] + embed_json(data) + html[match.end(2):]


@contextmanager
def drawn_page(browser, path: Path, timeout_s: float):
    """A page of ``path`` (requests other than file: and data: refused) once it has drawn for the first time."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
               else route.abort())
    try:
        page.goto(path.as_uri(), timeout=timeout_s * 1000)
        page.wait_for_function("() => window.influenceMap && influenceMap.status().firstDrawMs !== null",
                               timeout=timeout_s * 1000)
        yield page
    finally:
        context.close()


def open_once(browser, path: Path, timeout_s: float) -> tuple[float | None, float | None]:
    """(ms from navigation to the first drawing, ms to select the biggest entity), or (None, None) on timeout."""
    try:
        with drawn_page(browser, path, timeout_s) as page:
            first_draw = page.evaluate("performance.getEntriesByName('map:first-draw')[0].startTime")
            page.wait_for_timeout(300)
            select = page.evaluate("""async () => {
                const biggest = nodes.get().reduce((a, b) => ((b.size || 0) > (a.size || 0) ? b : a));
                const before = influenceMap.status().drawCount;
                const start = performance.now();
                influenceMap.selectEntity(biggest.id);
                while (influenceMap.status().drawCount <= before) await new Promise((done) => requestAnimationFrame(done));
                return performance.now() - start;
            }""")
            return first_draw, select
    except Exception:  # a Playwright timeout: the page never drew in time
        return None, None


PHASES = (  # (column, mark where it ends): the page script's performance.marks, from navigation start
    ("load + vis-network", "map:start"), ("parse data", "map:data-parsed"), ("items, legend", "map:controls-built"),
    ("DataSets", "map:datasets-built"), ("setData", "map:network-built"), ("first drawing", "map:first-draw"))


def open_phases(browser, path: Path, timeout_s: float = 120.0) -> list[float]:
    """ms spent in each of PHASES, from navigation start to the first drawing."""
    with drawn_page(browser, path, timeout_s) as page:
        ends = page.evaluate("(names) => names.map((name) => performance.getEntriesByName(name)[0].startTime)",
                             [mark for _, mark in PHASES])
    return [end - start for start, end in zip([0.0, *ends], ends)]


def compare_pages(browser, paths: list[Path], repeats: int) -> list[str]:
    """Open each page in turn, ``repeats`` rounds, so that a busy spell hits all alike; median per phase."""
    runs: dict[Path, list[list[float]]] = {path: [] for path in paths}
    for _ in range(repeats):
        for path in paths:
            runs[path].append(open_phases(browser, path))
            print(path.name, [round(ms) for ms in runs[path][-1]], file=sys.stderr, flush=True)
    lines = ["| page | file (MB) | interactive (s), median | min | max | "
             + " | ".join(f"{name} (ms)" for name, _ in PHASES) + " |",
             "|---|---:|---:|---:|---:|" + "---:|" * len(PHASES)]
    for path, phases in runs.items():
        totals = [sum(run) / 1000 for run in phases]
        medians = [statistics.median(run[i] for run in phases) for i in range(len(PHASES))]
        lines.append(f"| {path.name} | {path.stat().st_size / 1e6:.1f} | {statistics.median(totals):.2f} | "
                     f"{min(totals):.2f} | {max(totals):.2f} | "
                     + " | ".join(f"{ms:.0f}" for ms in medians) + " |")
    return lines


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    chromium = subprocess.run([str(CHROMIUM), "--version"], capture_output=True, text=True).stdout.strip()
    return f"{os.cpu_count()} CPUs ({cpu}), {platform.system()} {platform.release()}, Python {platform.python_version()}, {chromium}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 5000, 20000])
    parser.add_argument("--edges-per-entity", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--physics-timeout", type=float, default=60.0)
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES), metavar="MODE",
                        help=f"layout modes to time (default: all of {', '.join(repr(m) for m in MODES)})")
    parser.add_argument("--output", type=Path, help="also write the Markdown here")
    parser.add_argument("--pages", type=Path, nargs="+", metavar="HTML",
                        help="instead, time these map files (say, one written before a change and one after) "
                             "in turn, --repeats rounds, with the time spent in each phase up to the first drawing")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    if args.pages:
        load_before = os.getloadavg()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            table = compare_pages(browser, [path.resolve() for path in args.pages], args.repeats)
            browser.close()
        load_after = os.getloadavg()
        text = "\n".join([
            f"Date: {datetime.date.today().isoformat()}", f"Machine: {machine()}",
            f"Load average (1/5/15 min) before: {load_before[0]:.2f}/{load_before[1]:.2f}/{load_before[2]:.2f}, "
            f"after: {load_after[0]:.2f}/{load_after[1]:.2f}/{load_after[2]:.2f}", "", *table]) + "\n"
        print(text)
        if args.output:
            args.output.write_text(text, encoding="utf-8")
        return 0

    load_before = os.getloadavg()
    rows, timed_out = [], set()
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for size in args.sizes:
            tables = synthetic_tables(size, size * args.edges_per_entity, seed=0)
            started = time.perf_counter()
            path = render_map(tables["nodes"], tables["edges"], tables["relationships"], tables["sources"],
                              Path(folder) / f"map-{size}.html", max_entities=max(size, 20000))
            render_s = time.perf_counter() - started
            html = path.read_text(encoding="utf-8")
            for mode in args.modes:
                if mode in timed_out:
                    rows.append((size, len(tables["edges"]), mode, None, None, None, None, "skipped: smaller map timed out"))
                    continue
                page_path = Path(folder) / f"map-{size}-{mode.replace(', ', '-').replace(' ', '-')}.html"
                page_path.write_text(variant(html, mode), encoding="utf-8")
                timeout = args.physics_timeout if mode != "precomputed" else 120.0
                runs = [open_once(browser, page_path, timeout) for _ in range(args.repeats if mode == "precomputed" else 1)]
                draws = [d for d, _ in runs if d is not None]
                selects = [s for _, s in runs if s is not None]
                if not draws:
                    timed_out.add(mode)
                note = "" if draws else f"no drawing within {timeout:.0f} s"
                rows.append((size, len(tables["edges"]), mode, render_s, page_path.stat().st_size,
                             statistics.median(draws) if draws else None,
                             statistics.median(selects) if selects else None, note))
                print(rows[-1], file=sys.stderr, flush=True)
        browser.close()
    load_after = os.getloadavg()

    def cell(value, scale=1.0, digits=1):
        return "" if value is None else f"{value / scale:.{digits}f}"

    lines = [
        f"Date: {datetime.date.today().isoformat()}",
        f"Machine: {machine()}",
        f"Load average (1/5/15 min) before: {load_before[0]:.2f}/{load_before[1]:.2f}/{load_before[2]:.2f}, "
        f"after: {load_after[0]:.2f}/{load_after[1]:.2f}/{load_after[2]:.2f}",
        f"Command: `.venv/bin/python benchmarks/maps/bench_maps.py {' '.join(argv if argv is not None else sys.argv[1:])}`",
        f"render_map precomputes the layout above {PRECOMPUTED_LAYOUT_ABOVE} entities.",
        "",
        "| entities | edges | mode | render_map (s) | file (MB) | interactive (s) | select (ms) | note |",
        "|---:|---:|---|---:|---:|---:|---:|---|",
    ]
    for size, edge_count, mode, render_s, size_bytes, draw_ms, select_ms, note in rows:
        lines.append(f"| {size:,} | {edge_count:,} | {mode} | {cell(render_s)} | {cell(size_bytes, 1e6)} | "
                     f"{cell(draw_ms, 1000, 2)} | {cell(select_ms, 1, 0)} | {note} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
