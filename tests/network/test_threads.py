"""Same input, same numbers: igraph's PageRank is repeatable once `network` is imported (it pins OpenMP to one thread)."""

import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import random
    {first}
    import igraph as ig
    random.seed(1)
    n = 30000
    graph = ig.Graph(n=n, edges=[(random.randrange(n), random.randrange(n)) for _ in range(150000)], directed=True)
    weights = [random.random() * 10 for _ in range(graph.ecount())]
    runs = [graph.pagerank(weights=weights) for _ in range(4)]
    print(sum(run != runs[0] for run in runs[1:]))
""")


def _differing_repeats(first: str) -> int:
    env = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}
    done = subprocess.run([sys.executable, "-c", SCRIPT.format(first=first)], env=env, capture_output=True,
                          text=True, check=True, timeout=300)
    return int(done.stdout.strip())


def test_pagerank_is_repeatable_after_importing_network():
    assert _differing_repeats("import network") == 0


def test_the_cli_pins_one_thread_before_igraph_loads():
    env = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}
    code = "import analysis.cli, os, sys; print(os.environ.get('OMP_NUM_THREADS'), 'igraph' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, timeout=120)
    assert done.stdout.split() == ["1", "True"]
