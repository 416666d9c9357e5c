"""How many reader processes a command starts when it is not told: one per CPU, at most MAX_JOBS, as many as
the process tree's memory budget holds — never none, and never fewer than cores and budget allow.

The count is computed with the CPUs and the command's resident memory given, as a 64-core machine or a
command already holding a large batch would give them.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from xlbase.read.files import MAX_JOBS, default_readers
from xlbase.read.limits import DEFAULT_LIMITS, MB, Limits


def _fits(n: int, base: int, limits: Limits) -> bool:
    """n readers beside the command, each starting as large as it (a forked reader counts its pages again),
    leave each reader its share within the tree's budget."""
    return (n + 1) * base + n * limits.read_share_min_bytes <= limits.read_tree_bytes


@settings(max_examples=300, deadline=None)
@given(cpus=st.integers(1, 512), base=st.integers(0, 2048 * MB),
       tree=st.integers(64 * MB, 64 * 1024 * MB), share=st.integers(MB, 512 * MB))
def test_the_default_is_the_most_readers_cores_and_budget_allow(cpus, base, tree, share):
    limits = Limits(read_tree_bytes=tree, read_share_min_bytes=share)
    n = default_readers(limits, cpus=cpus, base=base)
    assert 1 <= n <= min(cpus, MAX_JOBS)
    assert n == 1 or _fits(n, base, limits)                     # within the budget
    assert n == min(cpus, MAX_JOBS) or not _fits(n + 1, base, limits)   # and one more would not be


def test_on_many_cores_the_budget_decides():
    """The default budget (480 MB) beside a command of ~82 MB (this one's, merging the province corpus)
    holds two readers; a small command five; one of 400 MB, or more than the budget, still one."""
    assert default_readers(DEFAULT_LIMITS, cpus=64, base=82 * MB) == 2
    assert default_readers(DEFAULT_LIMITS, cpus=64, base=20 * MB) == 5
    assert default_readers(DEFAULT_LIMITS, cpus=64, base=0) == 7      # resident memory unknown (no /proc)
    assert default_readers(DEFAULT_LIMITS, cpus=64, base=400 * MB) == 1
    assert default_readers(DEFAULT_LIMITS, cpus=64, base=900 * MB) == 1
    assert default_readers(DEFAULT_LIMITS, cpus=1, base=20 * MB) == 1
    assert default_readers(Limits(read_tree_bytes=64 * 1024 * MB), cpus=64, base=82 * MB) == MAX_JOBS
