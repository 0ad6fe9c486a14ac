"""The benchmark's scaled plans (tests/benchmark.py) are valid and really scaled: correctness only."""

from __future__ import annotations

from collections import Counter

import yaml

from macros.checks.check import check
from macros.data.models import Channel
from macros.data.walk import walk

from .benchmark import record_counts, scale_plans
from .conftest import ROOT


def test_plans_scaled_three_times_check_without_errors_and_hold_three_times_the_records(tmp_path):
    plans = scale_plans(ROOT / "plans", tmp_path / "plans", 3)
    result = check(plans)
    assert result.errors == 0, result.summary()
    sample = record_counts(ROOT / "plans")
    assert record_counts(plans) == Counter({kind: 3 * n for kind, n in sample.items()})
    assert result.records == 3 * check(ROOT / "plans").records
    terms = yaml.safe_load((plans / "glossary.yml").read_text(encoding="utf-8"))["terms"]
    spellings = [text for term in terms for text in [term["term"], *term.get("aliases", [])]]
    assert len(spellings) == len(set(spellings))
    assert any(term["term"].endswith(" 3") and term["id"].endswith("-3") for term in terms)


def test_a_copy_refers_to_the_records_of_its_own_copy(tmp_path):
    plans = scale_plans(ROOT / "plans", tmp_path / "plans", 2)
    channels = yaml.safe_load((plans / "channels.yml").read_text(encoding="utf-8"))
    copied = [c for c in channels["channels"] if c["id"].endswith("-2")]
    assert copied and len(copied) * 2 == len(channels["channels"])
    refs = [found.value for channel in copied for what, found in walk(Channel, channel) if what == "ref"]
    assert refs and all(ref.endswith("-2") for ref in refs)
