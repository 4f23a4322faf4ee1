"""The hostile corpus's helpers on the path, and Hypothesis profiles.

``ci`` (the default) runs 200 examples per entry point; ``long`` runs 10,000
(``HYPOTHESIS_PROFILE=long .venv/bin/python -m pytest tests/hostile/test_properties.py``).
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

try:
    from hypothesis import HealthCheck, settings
except ImportError:  # the test extra installs it; without it test_properties.py fails to import, loudly
    pass
else:
    common = dict(deadline=None, database=None, derandomize=False, print_blob=True,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                         HealthCheck.data_too_large, HealthCheck.filter_too_much])
    settings.register_profile("ci", max_examples=200, **common)
    settings.register_profile("long", max_examples=10_000, **common)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
