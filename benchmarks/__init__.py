"""Sijill's benchmarks: each figure is a ratio to a baseline measured in the same run.

The machines that run these (a shared CI box, a developer's laptop) differ and are noisy;
a ratio to a primitive timed the same way, in the same process, moments apart, says how
Sijill's own work scales regardless of the machine. The absolute value is reported too,
for information and for targets stated in milliseconds.

Run ``python -m benchmarks`` (full size, 100,000 beneficiaries, built once and cached) or
``python -m benchmarks --quick`` (3,000 beneficiaries, for CI, fails on a regression).
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    """One measured figure, with its same-run baseline, target and regression ceiling."""

    name: str
    value_ms: float
    baseline_ms: float
    baseline: str
    # Absolute target, e.g. 20 ms per query, and the size it is stated for.
    target_ms: float
    target_size: int
    # Highest ratio --quick accepts before calling it a regression.
    quick_ceiling: float
    details: str = ""
    # A target stated as a ratio too ("at most 5× a bare window"), when there is one.
    target_ratio: float | None = None
    # What the figure was measured on, in the target's unit (changes in a bundle, people
    # in a centre), when it is not the run's demo register of beneficiaries.
    measured_size: int | None = None

    def measured_at(self, register_size: int) -> int:
        return self.measured_size if self.measured_size is not None else register_size

    def stated_for(self, register_size: int) -> str:
        """Where the target holds: nothing when the figure was measured at its size (or
        beyond), else a word that it is informative here."""
        if self.measured_at(register_size) >= self.target_size:
            return ""
        return f" (stated for {self.target_size:,}; informative here)"

    @property
    def ratio(self) -> float:
        return self.value_ms / self.baseline_ms

    @property
    def target_met(self) -> bool:
        within_ratio = self.target_ratio is None or self.ratio <= self.target_ratio
        return self.value_ms < self.target_ms and within_ratio

    @property
    def target_text(self) -> str:
        ratio = f" and ≤ {self.target_ratio:g}×" if self.target_ratio is not None else ""
        return f"< {self.target_ms:g} ms{ratio}"

    @property
    def regressed(self) -> bool:
        return self.ratio > self.quick_ceiling


def median_ms(calls: list[Callable[[], object]]) -> tuple[float, list[float]]:
    """Time each call once; return the median and every timing, in milliseconds.

    Like timeit, with Python's cyclic garbage collector paused: a collection landing in
    one call (15-20 ms with a register open) would say nothing about that call.
    """
    timings = []
    gc.collect()
    gc.disable()
    try:
        for call in calls:
            start = time.perf_counter_ns()
            call()
            timings.append((time.perf_counter_ns() - start) / 1e6)
    finally:
        gc.enable()
    return statistics.median(timings), timings
