"""An actor's page: its "Joint statements with" list stays short for a prolific actor."""

from __future__ import annotations

import datetime as dt
import re

from generator.outputs.parts import page_parts
from generator.pages import plan
from generator.pages.options import Options
from generator.pages.render import Renderer
from generator.records.model import Actor, Archive, Statement


def _archive(partners: int) -> Archive:
    """`hub` made a joint statement with each partner; with p000 three times, p001 twice."""
    actors = [Actor("hub", "Hub", "state", "a.yml")]
    actors += [Actor(f"p{i:03d}", f"Partner {i:03d}", "person", "a.yml") for i in range(partners)]
    with_whom = [f"p{i:03d}" for i in range(partners)] + ["p000", "p000", "p001"]
    statements = {
        f"s{n}": Statement(
            id=f"s{n}",
            date=dt.date(2024, 1, 1) + dt.timedelta(days=n),
            actors=("hub", other),
            title=f"Statement {n}",
            kind="joint-statement",
            summary="Said together.",
            path=f"statements/s{n}.yml",
        )
        for n, other in enumerate(with_whom)
    }
    return Archive(actors={a.id: a for a in actors}, topics={}, statements=statements, briefings={})


def _joint_list(archive: Archive) -> list[str]:
    options = Options(site_url="https://example.org/", parts=page_parts())
    renderer = Renderer(archive, options)
    (page,) = [p for p in plan.build_listings(archive, home=options.home) if p.url == "actors/hub/"]
    text = renderer.render(page)
    found = re.search(r'id="joint".*?<ul class="ba-inline">\n(.*?)</ul>', text, re.S)
    assert found, "no joint statements list"
    return found.group(1).strip().splitlines()


def test_a_prolific_actor_lists_its_hundred_most_frequent_partners_then_how_many_more() -> None:
    items = _joint_list(_archive(130))
    assert len(items) == 101
    # Most frequent first, then by id.
    assert items[0] == '<li><a href="../../actors/p000/">Partner 000</a> (3)</li>'
    assert items[1] == '<li><a href="../../actors/p001/">Partner 001</a> (2)</li>'
    assert items[99].startswith('<li><a href="../../actors/p099/">')
    assert items[100] == "<li>and 30 more</li>"


def test_an_actor_with_a_hundred_partners_lists_them_all() -> None:
    items = _joint_list(_archive(100))
    assert len(items) == 100 and "more" not in items[-1]
