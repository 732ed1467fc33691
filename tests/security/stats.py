"""Counters the security tests add to, printed at the end of the test run."""

from collections import Counter

counts: Counter[str] = Counter()
