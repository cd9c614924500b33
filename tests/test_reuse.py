"""What `briefing serve` keeps from one build for the next (generator/reuse.py), and the
two users of it that live below the pages: the models (assemble.py) and the ledger of
files written (ledger.py). The pages and feeds are in test_generate_pages.py and
test_feeds.py."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.mkdocs.ledger import Ledger
from generator.records.validate import Validator, validate_archive
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


def test_an_unfinished_build_under_new_dependencies_does_not_vouch_for_the_old_values() -> None:
    # Kept values were made under the last finished build's dependencies. A build that began
    # under new ones and stopped half way (a stale `serve` refresh) must not make the next
    # build under those new ones reuse them.
    reuse: Reuse[str, Made] = Reuse()
    build(reuse, {"a": "alpha"}, depends_on="names before")
    reuse.begin("names after")
    reuse.get("a", "alpha", lambda: Made("alpha, new names"))  # ...stopped: no end()
    after = build(reuse, {"a": "alpha"}, depends_on="names after")
    assert after["made"] == ["alpha"]
    assert build(reuse, {"a": "alpha"}, depends_on="names after")["made"] == []


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


# --- The models -----------------------------------------------------------------------------


def test_an_unchanged_record_keeps_its_model_object(cached_content: Path) -> None:
    validator = Validator()  # as a `serve` session keeps one
    first = validator.validate(cached_content).archive
    actor = cached_content / "actors" / "ivan-petrov.yml"
    actor.write_text(
        actor.read_text(encoding="utf-8").replace("Ivan Petrov", "Ivan P. Petrov"), "utf-8"
    )
    second = validator.validate(cached_content).archive
    assert first is not None and second is not None
    assert second.actors["ivan-petrov"].name == "Ivan P. Petrov"
    assert second.actors["russia"] is first.actors["russia"]
    for statement_id, statement in second.statements.items():
        assert statement is first.statements[statement_id]
    # A run of its own shares nothing with the session's.
    third = validate_archive(cached_content).archive
    assert third is not None and third.actors["russia"] is not second.actors["russia"]
    assert third == second


def test_a_deleted_record_is_not_kept_for_later(cached_content: Path) -> None:
    validator = Validator()
    models = validator.memory.models
    validator.validate(cached_content)
    assert len(models) == 5  # one model per record
    (cached_content / "topics" / "relations.yml").unlink()  # statements now name a topic gone
    assert validator.validate(cached_content).errors
    assert len(models) == 5  # a run with errors makes no models, and keeps the last ones
    (cached_content / "statements" / "2023" / "ivan-petrov-remarks-2023-05-01.yml").unlink()
    archive = validator.validate(cached_content).archive
    assert archive is not None and not archive.topics and not archive.statements
    assert len(models) == 3


# --- The ledger of files written --------------------------------------------------------------


def test_ledger_skips_what_the_last_build_wrote_the_same(tmp_path: Path) -> None:
    ledger = Ledger()
    ledger.start(("key",))
    assert not ledger.unchanged("a/index.md", "page a")
    assert not ledger.unchanged("b/index.md", "page b")
    ledger.always("search/index.md")
    ledger.finish(tmp_path, remove_stale=False)
    assert ledger.built

    ledger.start(("key",))
    assert ledger.known
    assert ledger.unchanged("a/index.md", "page a")
    assert not ledger.unchanged("b/index.md", "page B")
    ledger.always("a/index.md")  # added to the files too: still known unchanged
    ledger.always("search/index.md")
    ledger.finish(tmp_path, remove_stale=True)

    ledger.start(("key",))
    assert ledger.unchanged("a/index.md", "page a")
    assert ledger.unchanged("b/index.md", "page B")
    assert not ledger.unchanged("search/index.md", "anything")  # always written
    ledger.start(("other key",))  # the config or theme changed
    assert not ledger.known and not ledger.unchanged("a/index.md", "page a")


def test_ledger_removes_the_output_of_files_gone(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for rel in ("statements/gone/index.html", "statements/kept/index.html", "feed.xml"):
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text("x", encoding="utf-8")
    ledger = Ledger()
    ledger.start(("key",))
    for uri in ("statements/gone/index.md", "statements/kept/index.md", "feed.xml"):
        ledger.unchanged(uri, uri)
    ledger.finish(site, remove_stale=False)
    ledger.start(("key",))
    ledger.unchanged("statements/kept/index.md", "statements/kept/index.md")
    ledger.finish(site, remove_stale=True)
    assert not (site / "statements" / "gone").exists()
    assert not (site / "feed.xml").exists()
    assert (site / "statements" / "kept" / "index.html").is_file()


def test_ledger_learns_what_a_background_refresh_wrote(tmp_path: Path) -> None:
    ledger = Ledger()
    ledger.start(("key",))
    ledger.unchanged("feed.xml", b"old feed")
    ledger.unchanged("data/old.json", b"[]")
    ledger.finish(tmp_path, remove_stale=False)
    ledger.rewritten("feed.xml", b"new feed")
    ledger.removed("data/old.json")
    ledger.start(("key",))
    assert ledger.unchanged("feed.xml", b"new feed")
    assert not ledger.unchanged("data/old.json", b"[]")  # removed: written again


def test_a_full_build_keeps_nothing(tmp_path: Path) -> None:
    ledger = Ledger()
    ledger.start(("key",))
    ledger.unchanged("a/index.md", "page a")
    ledger.finish(tmp_path, remove_stale=False)
    ledger.start(None)
    assert not ledger.known and not ledger.unchanged("a/index.md", "page a")
    ledger.finish(tmp_path, remove_stale=False)
    assert not ledger.built
    ledger.start(("key",))
    assert not ledger.unchanged("a/index.md", "page a")


def test_after_a_failed_build_the_ledger_starts_from_scratch(tmp_path: Path) -> None:
    ledger = Ledger()
    ledger.start(("key",))
    ledger.unchanged("a/index.md", "page a")
    ledger.finish(tmp_path, remove_stale=False)
    ledger.reset()
    assert not ledger.built
    ledger.start(("key",))
    assert not ledger.known and not ledger.unchanged("a/index.md", "page a")
