"""What one build made, kept for the next: how `briefing serve` rebuilds only what changed.

A `Reuse` keeps, per key, a value and what it was made from. A build asks for each value
with what it is made from now; when that is the same as last time, it gets last time's value
back instead of making it again. What every value depends on besides its own `made_from`
(the options, the records a template looks up by id) is given once, when the build begins:
when it changed, nothing is reused. What a build did not ask for is dropped when it ends.

"The same" is decided by comparing objects, never a hash of them: by default Python
equality, with identity first (deep on the frozen model dataclasses), or identity alone.

The serve session (generator/mkdocs/session.py) owns one per kind of output, and passes it
down to what makes that output: the models, the pages, the feeds and the ledger of files
written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


def equal(before: object, now: object) -> bool:
    """The same: the very object, or an equal one (deep equality on dataclasses)."""
    return before is now or before == now


def identical(before: object, now: object) -> bool:
    """The same only when the very object: for data whose `==` is looser than wanted."""
    return before is now


_NOTHING = object()  # what a Reuse depends on before its first build: equal to nothing


class Reuse(Generic[K, V]):
    """Values by key, each with what it was made from, kept from one build to the next.

    A build calls `begin`, then `get` for every value it needs, then `end`. A build that
    stops half way (an exception) never reaches `end`, and the next one reuses what the last
    finished build kept. `same` decides whether two `made_from`s (and two `depends_on`s)
    are the same.
    """

    def __init__(self, same: Callable[[object, object], bool] = equal) -> None:
        self._same = same
        self._depends_on: object = _NOTHING  # the last finished build's
        self._starting: object = _NOTHING  # this build's, the last finished one's once it ends
        self._reusing = False  # this build may reuse `_before`
        self._before: dict[K, tuple[object, V]] = {}  # the last finished build's
        self._now: dict[K, tuple[object, V]] = {}  # this build's
        #: Values made afresh since `begin` (the rest were reused).
        self.made = 0

    def begin(self, depends_on: object = None) -> bool:
        """A build starts; true when it may reuse values (none if `depends_on` changed)."""
        # Compared with the last *finished* build's: `_before` was made from what it depended
        # on, whatever a build stopped half way since then began with.
        self._reusing = self._same(self._depends_on, depends_on)
        self._starting = depends_on
        self._now = {}
        self.made = 0
        return self._reusing and bool(self._before)

    def get(self, key: K, made_from: object, make: Callable[[], V]) -> V:
        """The last build's value for `key` if made from the same `made_from`, else `make()`."""
        before = self._before.get(key) if self._reusing else None
        if before is not None and self._same(before[0], made_from):
            value = before[1]
        else:
            value = make()
            self.made += 1
        self._now[key] = (made_from, value)
        return value

    def asked(self, key: K) -> bool:
        """Whether this build asked for `key` already."""
        return key in self._now

    def end(self) -> set[K]:
        """The build finished: keep what it asked for; the keys dropped (the last build's only)."""
        dropped = self._before.keys() - self._now.keys()
        self._before, self._now = self._now, {}
        self._depends_on = self._starting
        return dropped

    def __len__(self) -> int:
        """How many values the last finished build kept."""
        return len(self._before)

    def remember(self, key: K, made_from: object, value: V) -> None:
        """After `end`: `key`'s value is now `value`, made from `made_from` (work done late)."""
        self._before[key] = (made_from, value)

    def forget(self, key: K) -> None:
        """After `end`: `key` has no value any more."""
        self._before.pop(key, None)

    def clear(self) -> None:
        """Forget everything: the next build makes every value afresh."""
        self._depends_on, self._starting, self._reusing = _NOTHING, _NOTHING, False
        self._before, self._now = {}, {}


__all__ = ["Reuse", "equal", "identical"]
