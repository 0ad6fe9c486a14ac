"""Benchmark: `handbook check` and a full build, on the sample and on a scaled-up plan.

Run: .venv/bin/python -m tests.benchmark
Prints median wall times; no assertions (shared machines are noisy).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from macros.checks.check import check

ROOT = Path(__file__).resolve().parent.parent


def _median(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data: object) -> bool:
        return True


def _scaled(dest: Path, factor: int) -> Path:
    """The sample plans with target groups, channels, goals and measures copied ``factor`` times."""
    shutil.copytree(ROOT / "plans", dest)
    for stem, key in [
        ("target-groups", "target_groups"),
        ("channels", "channels"),
        ("goals", "goals"),
        ("actions", "measures"),
    ]:
        path = dest / f"{stem}.yml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        records = data[key]
        extra = []
        for n in range(1, factor):
            for record in records:
                copy = dict(record, id=f"{record['id']}-{n}")
                extra.append(copy)
        data[key] = records + extra
        path.write_text(
            yaml.dump(data, Dumper=_NoAliases, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    return dest


def main() -> None:
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
    sample = ROOT / "plans"
    result = check(sample)
    print(f"check sample: {result.summary()}")
    print(f"  median of 20 runs: {_median(lambda: check(sample), 20) * 1000:.0f} ms (in-process)")
    cli = [str(ROOT / ".venv" / "bin" / "handbook"), "check", "--strict", str(sample)]
    t = _median(lambda: subprocess.run(cli, capture_output=True, check=True), 5)
    print(f"  median of 5 runs: {t * 1000:.0f} ms (handbook check --strict, whole process)")
    with tempfile.TemporaryDirectory() as tmp:
        scaled = _scaled(Path(tmp) / "plans", 20)
        result = check(scaled)
        size = sum(p.stat().st_size for p in scaled.glob("*.yml")) // 1024
        print(f"check scaled x20 ({size} KiB): {result.summary()}")
        print(f"  median of 5 runs: {_median(lambda: check(scaled), 5) * 1000:.0f} ms (in-process)")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        build = [str(ROOT / ".venv" / "bin" / "mkdocs"), "build", "--strict", "-q", "-d", tmp]
        t = _median(lambda: subprocess.run(build, cwd=ROOT, env=env, capture_output=True, check=True), 3)
        pages = len(list(Path(tmp).rglob("index.html")))
        print(f"mkdocs build --strict of the sample: {pages} pages, median of 3 runs: {t:.1f} s")


if __name__ == "__main__":
    main()
