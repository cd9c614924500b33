""" "Did you mean …": close matches among existing ids, in validation and `briefing new`."""

from __future__ import annotations

from pathlib import Path

from conftest import PERSON, STATEMENT, briefing, where

from generator.records.suggest import NARROW_ABOVE, Suggester, did_you_mean


def test_close_matches_closest_first_ties_in_id_order_at_most_three() -> None:
    known = ["ivan-petrova", "ivan-petrov", "ivan-petrov-jr", "ivan-petrovic", "russia"]
    assert Suggester(known).matches("ivan-petrv") == [
        "ivan-petrov",
        "ivan-petrova",
        "ivan-petrovic",
    ]
    # Equally close: in id order, whatever order they come in.
    assert Suggester(["abe", "xbc", "abd"]).matches("abc") == ["abd", "abe", "xbc"]
    assert Suggester(["xbc", "abd", "abe"]).matches("abc") == ["abd", "abe", "xbc"]
    assert Suggester(known).matches("zzzzzz") == []
    assert Suggester(known).matches("russia") == []  # the id itself is not a suggestion


def test_hint_text() -> None:
    assert did_you_mean([]) == ""
    assert did_you_mean(["a"]) == "did you mean `a`?"
    assert did_you_mean(["a", "b", "c"]) == "did you mean `a`, `b` or `c`?"


def test_many_ids_are_narrowed_to_the_same_first_letter() -> None:
    known = [f"statement-{i:05d}-2023-05-01" for i in range(NARROW_ABOVE + 10)]
    many, few = Suggester(known), Suggester(known[:NARROW_ABOVE])
    assert many.matches("statement-00007-2023-05-0")[0] == "statement-00007-2023-05-01"
    # A slip in the first letter: found among a few ids, not among many (the trade-off).
    assert few.matches("ttatement-00007-2023-05-01")[0] == "statement-00007-2023-05-01"
    assert many.matches("ttatement-00007-2023-05-01") == []


def test_validation_suggests_existing_ids_of_the_right_kind(repo: Path) -> None:
    content = repo / "content"
    (content / "actors" / "russian-ministry.yml").write_text(
        "id: russian-ministry\nname: Ministry\nkind: organization\n", encoding="utf-8"
    )
    statement = content / STATEMENT
    text = statement.read_text("utf-8")
    text = text.replace("  - ivan-petrov\n", "  - ivan-petrv\n")
    text = text.replace("  - relations\n", "  - relatoins\n  - zzzzzz\n")
    text = text.replace(
        "briefing: daily-briefing-2023-05-02", "briefing: daily-briefing-2023-05-20"
    )
    text += "related: [ivan-petrov-remarks-2023-05-10]\n"
    statement.write_text(text, encoding="utf-8")
    person = content / PERSON
    person.write_text(person.read_text("utf-8").replace("country: russia", "country: russi"))
    run = briefing("validate", cwd=repo)
    assert run.code == 1
    expected = {
        "ivan-petrv": "check the spelling (did you mean `ivan-petrov`?), "
        "or add content/actors/ivan-petrv.yml",
        "relatoins": "check the spelling (did you mean `relations`?), "
        "or add content/topics/relatoins.yml",
        "zzzzzz": "check the spelling, or add content/topics/zzzzzz.yml",
        "daily-briefing-2023-05-20": "check the spelling (did you mean "
        "`daily-briefing-2023-05-02`?), or add content/briefings/daily-briefing-2023-05-20.yml",
        "ivan-petrov-remarks-2023-05-10": "check the spelling (did you mean "
        "`ivan-petrov-remarks-2023-05-01`?), "
        "or add content/statements/<yyyy>/ivan-petrov-remarks-2023-05-10.yml",
        # Only states can be a country: not the ministry, though its id is close too.
        "russi": "check the spelling (did you mean `russia`?), or add content/actors/russi.yml",
    }
    lines = run.err.splitlines()
    for ref, hint in expected.items():
        path = person if ref == "russi" else statement
        at = next(i for i, line in enumerate(lines) if line.startswith(where(path, ref, repo)))
        assert "which does not exist" in lines[at]
        assert lines[at + 1] == f"    hint: {hint}"
    # The same from the cache of the checks across records.
    again = briefing("validate", cwd=repo)
    assert again.err == run.err


def test_new_statement_suggests_actors(repo: Path) -> None:
    run = briefing(
        "new", "statement", "--date", "2023-06-02", "--actor", "ivan-petrv", "--actor", "rusia",
        "--actor", "qqq", "--title", "X", cwd=repo,
    )  # fmt: skip
    assert run.code == 1
    lines = run.err.splitlines()
    assert lines[0].startswith("briefing new: no actor record for ivan-petrv, rusia, qqq;")
    assert lines[1:] == [
        "    hint: for `ivan-petrv`, did you mean `ivan-petrov`?",
        "    hint: for `rusia`, did you mean `russia`?",
    ]
    assert not list((repo / "content" / "statements").rglob("x-*.yml"))
