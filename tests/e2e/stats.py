"""Counters the browser tests add to, printed at the end of the run."""

from collections import Counter

counts: Counter[str] = Counter()
