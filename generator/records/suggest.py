"""Did you mean …? The existing ids closest to an unknown one.

One rule for validation's reference errors (validate.py) and `briefing new statement
--actor` (commands.py): up to three ids whose difflib similarity to the unknown one is at
least 0.6, the closest first, ties in id order, so the same records always give the same hint.
"""

from __future__ import annotations

import difflib
import heapq
from collections import defaultdict
from collections.abc import Callable, Iterable

CUTOFF = 0.6
MOST = 3
#: Above this many ids only those with the unknown id's first letter are compared: at
#: 100,000 statement ids sharing a date suffix, comparing every one took over a second per
#: unknown id. A slip in the first letter then goes without a suggestion.
NARROW_ABOVE = 2000
#: Ids compared exactly, out of the best by difflib's cheap upper bound (`quick_ratio`).
_SHORTLIST = 50


class Suggester:
    """The close matches among one kind's ids; build it once, ask for many unknown ids."""

    def __init__(self, known: Iterable[str]) -> None:
        self._known = sorted(set(known))
        self._by_initial: dict[str, list[str]] | None = None

    def _candidates(self, word: str) -> list[str]:
        if len(self._known) <= NARROW_ABOVE:
            return self._known
        if self._by_initial is None:
            self._by_initial = defaultdict(list)
            for ident in self._known:
                self._by_initial[ident[:1]].append(ident)
        return self._by_initial.get(word[:1], [])

    def matches(self, word: str) -> list[str]:
        """Up to `MOST` known ids like `word`, the closest first (ties in id order)."""
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(word)
        rough: list[tuple[float, str]] = []
        for ident in self._candidates(word):
            if ident == word:
                continue
            matcher.set_seq1(ident)
            if matcher.real_quick_ratio() >= CUTOFF and (bound := matcher.quick_ratio()) >= CUTOFF:
                rough.append((bound, ident))
        # nlargest breaks ties by the larger id: sort the shortlist again below.
        shortlist = heapq.nlargest(_SHORTLIST, rough)
        scored: list[tuple[float, str]] = []
        for _, ident in shortlist:
            matcher.set_seq1(ident)
            if (ratio := matcher.ratio()) >= CUTOFF:
                scored.append((-ratio, ident))
        return [ident for _, ident in sorted(scored)[:MOST]]

    def hint(self, word: str) -> str:
        """The hint "did you mean `a` or `b`?" for `word`, or "" when nothing is close."""
        return did_you_mean(self.matches(word))


def did_you_mean(matches: list[str]) -> str:
    """The hint text for `matches` (from `Suggester.matches`); "" when there are none."""
    if not matches:
        return ""
    named = [f"`{ident}`" for ident in matches]
    listed = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " or " + named[-1]
    return f"did you mean {listed}?"


class Hints:
    """The "did you mean" aside of reference errors, one `Suggester` per kind of id.

    Each is made at the first unknown id of its kind, so a clean archive never pays for one.
    """

    def __init__(self, known: Callable[[str], Iterable[str]]) -> None:
        self._known = known
        self._made: dict[str, Suggester] = {}

    def aside(self, kind: str, word: str) -> str:
        """The aside " (did you mean `a`?)" for an unknown id of `kind`, or "" if none is close."""
        if kind not in self._made:
            self._made[kind] = Suggester(self._known(kind))
        found = self._made[kind].hint(word)
        return f" ({found})" if found else ""
