"""What `briefing serve` keeps from one build for the next (generator/reuse.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.reuse import Reuse, identical


@dataclass(frozen=True)
class Made:
    """A value with an identity of its own, to tell a reused value from a remade one."""

    text: str


class Maker:
    """make() for Reuse.get, counting its calls."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, text: str) -> Made:
        self.calls.append(text)
        return Made(text)


def build(
    reuse: Reuse[str, Made], wanted: dict[str, str], depends_on: object = None
) -> dict[str, Any]:
    """One build asking for each key, made from its text: what it got, and what it made."""
    make = Maker()
    reuse.begin(depends_on)
    got = {key: reuse.get(key, text, lambda text=text: make(text)) for key, text in wanted.items()}
    reuse.end()
    return {"got": got, "made": make.calls}


def test_an_unchanged_value_is_handed_back_not_made_again() -> None:
    reuse: Reuse[str, Made] = Reuse()
    first = build(reuse, {"a": "alpha", "b": "beta"})
    second = build(reuse, {"a": "alpha", "b": "beta"})
    assert second["made"] == [] and reuse.made == 0
    assert second["got"]["a"] is first["got"]["a"] and second["got"]["b"] is first["got"]["b"]


def test_a_changed_made_from_makes_that_value_alone_again() -> None:
    reuse: Reuse[str, Made] = Reuse()
    first = build(reuse, {"a": "alpha", "b": "beta"})
    second = build(reuse, {"a": "alpha", "b": "BETA"})
    assert second["made"] == ["BETA"] and reuse.made == 1
    assert second["got"]["b"] == Made("BETA")
    assert second["got"]["a"] is first["got"]["a"]


def test_equal_made_from_is_the_same_unless_identity_is_asked_for() -> None:
    equal: Reuse[str, Made] = Reuse()
    equal.begin()
    equal.get("k", ["x"], lambda: Made("one"))
    equal.end()
    equal.begin()
    assert equal.get("k", ["x"], lambda: Made("two")) == Made("one")  # a new, equal list

    strict: Reuse[str, Made] = Reuse(same=identical)
    made_from = ["x"]
    strict.begin()
    strict.get("k", made_from, lambda: Made("one"))
    strict.end()
    strict.begin()
    assert strict.get("k", made_from, lambda: Made("two")) == Made("one")  # the very object
    strict.end()
    strict.begin()
    assert strict.get("k", ["x"], lambda: Made("three")) == Made("three")  # equal, not it


def test_no_value_outlives_a_change_of_what_all_depend_on() -> None:
    reuse: Reuse[str, Made] = Reuse()
    build(reuse, {"a": "alpha"}, depends_on=("options", 1))
    changed = build(reuse, {"a": "alpha"}, depends_on=("options", 2))
    assert changed["made"] == ["alpha"]
    # ...and what was made under the new dependencies is reused under them.
    assert build(reuse, {"a": "alpha"}, depends_on=("options", 2))["made"] == []


def test_begin_says_whether_anything_may_be_reused() -> None:
    reuse: Reuse[str, Made] = Reuse()
    assert reuse.begin("deps") is False  # nothing kept yet
    reuse.get("a", "alpha", lambda: Made("alpha"))
    reuse.end()
    assert reuse.begin("deps") is True
    reuse.end()  # asked for nothing: nothing kept
    assert reuse.begin("deps") is False
    reuse.get("a", "alpha", lambda: Made("alpha"))
    reuse.end()
    assert reuse.begin("other deps") is False


def test_what_a_build_did_not_ask_for_is_dropped() -> None:
    reuse: Reuse[str, Made] = Reuse()
    build(reuse, {"a": "alpha", "b": "beta"})
    reuse.begin()
    reuse.get("a", "alpha", lambda: Made("new alpha"))
    assert reuse.end() == {"b"}
    assert len(reuse) == 1
    # "b" comes back as it was, yet is made again: the last build did not keep it.
    assert build(reuse, {"a": "alpha", "b": "beta"})["made"] == ["beta"]


def test_a_build_that_does_not_finish_leaves_the_last_finished_one_kept() -> None:
    reuse: Reuse[str, Made] = Reuse()
    first = build(reuse, {"a": "alpha", "b": "beta"})
    reuse.begin()
    reuse.get("a", "ALPHA", lambda: Made("ALPHA"))  # ...and then the build fails: no end()
    again = build(reuse, {"a": "alpha", "b": "beta"})
    assert again["made"] == []
    assert again["got"]["a"] is first["got"]["a"]


def test_asked_is_this_builds_keys_only() -> None:
    reuse: Reuse[str, Made] = Reuse()
    build(reuse, {"a": "alpha"})
    reuse.begin()
    assert not reuse.asked("a")  # the last build's, not this one's
    reuse.get("a", "alpha", lambda: Made("alpha"))
    assert reuse.asked("a") and not reuse.asked("b")


def test_remembered_late_work_is_reused_and_forgotten_work_is_remade() -> None:
    reuse: Reuse[str, Made] = Reuse()
    build(reuse, {"a": "alpha", "b": "beta"})
    reuse.remember("a", "ALPHA", Made("written late"))
    reuse.forget("b")
    later = build(reuse, {"a": "ALPHA", "b": "beta"})
    assert later["got"]["a"] == Made("written late")
    assert later["made"] == ["beta"]


def test_clear_forgets_everything() -> None:
    reuse: Reuse[str, Made] = Reuse()
    build(reuse, {"a": "alpha"})
    reuse.clear()
    assert len(reuse) == 0
    assert build(reuse, {"a": "alpha"})["made"] == ["alpha"]
