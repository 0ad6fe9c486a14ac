"""One Hypothesis setting for the fuzz-style tests: fixed seed, bounded budget, no example
database, no per-example deadline. ``HANDBOOK_FUZZ_EXAMPLES`` sets the budget (each test module
has its own default), ``HANDBOOK_FUZZ_SEED`` explores other examples, ``HANDBOOK_FUZZ_SHRINK=1``
shrinks a failure."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, Phase, seed, settings

SEED = os.environ.get("HANDBOOK_FUZZ_SEED")
SHRINK = os.environ.get("HANDBOOK_FUZZ_SHRINK") == "1"


def examples(default: int) -> int:
    return int(os.environ.get("HANDBOOK_FUZZ_EXAMPLES", str(default)))


def fuzzer(default_examples: int) -> Callable[[Any], Any]:
    """A decorator for ``@given`` tests with the shared settings."""

    def fuzz(test: Any) -> Any:
        test = settings(
            max_examples=examples(default_examples),
            derandomize=SEED is None,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate, *([Phase.shrink] if SHRINK else [])],
            suppress_health_check=list(HealthCheck),
        )(test)
        return seed(int(SEED))(test) if SEED is not None else test

    return fuzz
