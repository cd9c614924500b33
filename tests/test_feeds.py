"""Atom feeds: real feedgen output, parsed back with feedparser and lxml.

Checked on the mini fixture archive and on small archives built from model objects, including
one whose every text field is hostile markup: that must reach the feed only as text. The checks
over a whole archive run on the bundled archive too, in tests/test_bundled_archive_reuse.py.
"""

from __future__ import annotations

import datetime as dt
import re

import feedparser
import pytest
import yaml
from lxml import etree

from generator.outputs import feeds
from generator.outputs.parts import page_parts
from generator.pages.options import Options
from generator.pages.pipeline import generate
from generator.records.model import Actor, Archive, Briefing, Quote, Source, Statement, Topic
from generator.reuse import Reuse

SITE = "https://example.org/archive/"
ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(1)> & \"q\" 'a'"


def _statement(sid: str, day: dt.date, **kw: object) -> Statement:
    fields: dict[str, object] = {
        "id": sid,
        "date": day,
        "actors": ("ann",),
        "title": f"Title {sid}",
        "kind": "speech",
        "summary": f"Summary of {sid}.",
        "path": f"statements/{sid}.yml",
        "sources": (Source("Report", "Daily News", day),),
    }
    fields.update(kw)
    return Statement(**fields)  # type: ignore[arg-type]


def _archive(*statements: Statement, actor_name: str = "Ann Example") -> Archive:
    return Archive(
        actors={"ann": Actor("ann", actor_name, "person", "actors/ann.yml")},
        topics={"t": Topic("t", "Trade", "topics/t.yml")},
        statements={s.id: s for s in sorted(statements, key=lambda s: s.id)},
        briefings={
            "b": Briefing("b", "Briefing", "Wire Service", dt.date(2024, 1, 2), "briefings/b.yml")
        },
    )


def _parse(data: bytes) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def _expected_order(statements: list[Statement]) -> list[str]:
    # Independent of feeds.newest: newest date first, ties by id.
    return [s.id for s in sorted(statements, key=lambda s: (-s.date.toordinal(), s.id))]


def archive_feed_is_valid_newest_first_with_permalinks(archive: Archive) -> None:
    """The feed of the whole `archive` (whose newest statement has quotes)."""
    data = feeds.archive_feed(archive, SITE)
    parsed = _parse(data)
    statements = list(archive.statements.values())
    assert [e.link for e in parsed.entries] == [
        f"{SITE}statements/{sid}/" for sid in _expected_order(statements)
    ]
    assert [e.id for e in parsed.entries] == [e.link for e in parsed.entries]
    newest = max(s.date for s in statements)
    assert parsed.feed.updated.startswith(newest.isoformat() + "T00:00:00")
    first = archive.statements[parsed.entries[0].id.split("/")[-2]]
    assert parsed.entries[0].title == first.title
    assert [a.name for a in parsed.entries[0].authors] == [
        archive.actors[a].name for a in first.actors
    ]
    assert parsed.entries[0].updated.startswith(first.date.isoformat())
    # A short entry: the summary as text, the topics; the quotes stay on the linked page.
    assert first.quotes
    assert parsed.entries[0].summary == " ".join(first.summary.split())
    assert [t.term for t in parsed.entries[0].tags] == list(first.topics)
    assert all("content" not in entry for entry in parsed.entries)
    links = {(link.rel, link.href) for link in parsed.feed.links}
    assert ("self", SITE + "feed.xml") in links


def test_archive_feed_is_valid_newest_first_with_permalinks(archive: Archive) -> None:
    archive_feed_is_valid_newest_first_with_permalinks(archive)


def feed_is_deterministic_and_has_no_versioned_generator(archive: Archive) -> None:
    """The feed of the whole `archive`, made twice."""
    first = feeds.archive_feed(archive, SITE)
    assert feeds.archive_feed(archive, SITE) == first
    root = etree.fromstring(first)
    generator = root.find(f"{ATOM}generator")
    assert generator is not None
    assert "version" not in generator.attrib
    assert "feedgen" not in first.decode().lower()


def test_feed_is_deterministic_and_has_no_versioned_generator(archive: Archive) -> None:
    feed_is_deterministic_and_has_no_versioned_generator(archive)


def test_record_feeds_hold_their_twenty_newest_statements() -> None:
    # An actor with 30 statements: its feed, and its topic's, name and hold the 20 newest.
    statements = [
        _statement(f"s{i:02d}", dt.date(2024, 1, 1) + dt.timedelta(days=i), topics=("t",))
        for i in range(30)
    ]
    archive = _archive(*statements)
    every = feeds.all_feeds(archive, SITE)
    for data in (every[feeds.actor_feed_url("ann")], every[feeds.topic_feed_url("t")]):
        parsed = _parse(data)
        ids = [e.link.split("/")[-2] for e in parsed.entries]
        assert len(ids) == feeds.MAX_RECORD_ENTRIES == 20
        assert ids == _expected_order(statements)[:20]
        assert parsed.feed.subtitle.startswith("The newest statements")
    # The feed of the whole archive holds all 30 (fewer than its 50).
    assert len(_parse(feeds.archive_feed(archive, SITE)).entries) == 30


def test_at_most_fifty_entries_newest_first_ties_by_id() -> None:
    # 60 statements over 20 days: three per day, so ties must be broken by id.
    statements = [
        _statement(f"s{i:02d}", dt.date(2024, 1, 1) + dt.timedelta(days=i % 20)) for i in range(60)
    ]
    parsed = _parse(feeds.archive_feed(_archive(*statements), SITE))
    ids = [e.link.split("/")[-2] for e in parsed.entries]
    assert len(ids) == feeds.MAX_ENTRIES == 50
    assert ids == _expected_order(statements)[:50]
    assert parsed.feed.updated.startswith("2024-01-20")


def test_hostile_text_reaches_the_feed_only_as_escaped_text() -> None:
    evil = _statement(
        "evil",
        dt.date(2024, 3, 1),
        title=HOSTILE,
        summary=HOSTILE,
        venue=HOSTILE,
        quotes=(Quote(text=HOSTILE, lang='en"><script>x</script>', original=HOSTILE),),
        sources=(Source(HOSTILE, HOSTILE, dt.date(2024, 3, 1)),),
    )
    data = feeds.archive_feed(_archive(evil, actor_name=HOSTILE), SITE)
    _parse(data)
    root = etree.fromstring(data)
    # No element from record text exists in the XML: everything is Atom.
    names = {etree.QName(el).localname for el in root.iter() if isinstance(el.tag, str)}
    assert not names & {"script", "img", "p", "blockquote", "div"}
    assert {etree.QName(el).namespace for el in root.iter() if isinstance(el.tag, str)} == {
        ATOM[1:-1]
    }
    # Text constructs carry the record text as text, never as HTML for a reader to render.
    for tag in ("title", "summary"):
        element = root.find(f"{ATOM}entry/{ATOM}{tag}")
        assert element is not None and element.text == HOSTILE, tag
        assert element.get("type") in (None, "text"), tag
    assert root.find(f"{ATOM}entry/{ATOM}content") is None
    author = root.find(f"{ATOM}entry/{ATOM}author/{ATOM}name")
    assert author is not None and author.text == HOSTILE


def _feed_of(archive: Archive, path: str) -> bytes:
    """One feed as the site has it (`all_feeds`: what the plugin writes)."""
    return feeds.all_feeds(archive, SITE)[path]


def test_characters_xml_cannot_hold_are_dropped_not_fatal() -> None:
    odd = _statement("odd", dt.date(2024, 3, 1), summary="bell\x07 and nul\x00 here")
    parsed = _parse(feeds.archive_feed(_archive(odd), SITE))
    assert "bell and nul here" in parsed.entries[0].summary


def actor_and_topic_feeds_select_their_statements(archive: Archive) -> None:
    """Every actor's and every topic's feed in `archive` (each topic has a statement); an
    actor without statements of their own has none."""
    every = feeds.all_feeds(archive, SITE)
    for actor_id in archive.actors:
        mine = [s for s in archive.statements.values() if actor_id in s.actors]
        if not mine:
            assert feeds.actor_feed_url(actor_id) not in every
            continue
        parsed = _parse(every[feeds.actor_feed_url(actor_id)])
        assert [e.link for e in parsed.entries] == [
            f"{SITE}statements/{sid}/" for sid in _expected_order(mine)
        ]
        assert archive.actors[actor_id].name in parsed.feed.title
    for topic_id in archive.topics:
        parsed = _parse(every[feeds.topic_feed_url(topic_id)])
        mine = [s for s in archive.statements.values() if topic_id in s.topics]
        assert len(parsed.entries) == len(mine) > 0


def test_actor_topic_and_publisher_feeds_select_their_statements(archive: Archive) -> None:
    actor_and_topic_feeds_select_their_statements(archive)
    assert feeds.publishers(archive) == {
        "eastland-news-agency": "Eastland News Agency",
        "eastland-radio": "Eastland Radio",
        "northland-daily": "Northland Daily",
    }
    # A publisher's feed: the statements it reported, by a source or by its briefing.
    expected = {
        "eastland-news-agency": [
            "li-wei-protocol-remarks-2024-03-03",
            "northland-eastland-river-protocol-2024-03-01",
        ],
        "eastland-radio": ["li-wei-river-treaty-interview-2023-11-02"],
        "northland-daily": [
            "anna-petrova-tariff-remarks-2024-03-03",
            "anna-petrova-grain-corridor-2023-05-10",
        ],
    }
    for slug, ids in expected.items():
        parsed = _parse(_feed_of(archive, feeds.publisher_feed_url(slug)))
        assert [e.link for e in parsed.entries] == [f"{SITE}statements/{sid}/" for sid in ids]


def test_publisher_feed_matches_sources_and_briefings_by_slug() -> None:
    via_source = _statement("a", dt.date(2024, 1, 1))  # source: Daily News
    via_briefing = _statement("b", dt.date(2024, 1, 2), sources=(), briefing="b")
    other_spelling = _statement(
        "c", dt.date(2024, 1, 3), sources=(Source("R", "Daily-News", dt.date(2024, 1, 3)),)
    )
    elsewhere = _statement(
        "d", dt.date(2024, 1, 4), sources=(Source("R", "Other", dt.date(2024, 1, 4)),)
    )
    archive = _archive(via_source, via_briefing, other_spelling, elsewhere)
    assert feeds.publishers(archive) == {
        "daily-news": "Daily News",
        "other": "Other",
        "wire-service": "Wire Service",
    }

    def ids(slug: str) -> list[str]:
        entries = _parse(_feed_of(archive, feeds.publisher_feed_url(slug))).entries
        return [e.link.split("/")[-2] for e in entries]

    assert ids("daily-news") == ["c", "a"]
    assert ids("wire-service") == ["b"]
    data = _feed_of(archive, feeds.publisher_feed_url("daily-news"))
    self_link = etree.fromstring(data).find(f"{ATOM}link[@rel='self']")
    assert (
        self_link is not None and self_link.get("href") == SITE + "publishers/daily-news/feed.xml"
    )


def test_the_feed_of_an_archive_without_statements_is_valid_and_reproducible() -> None:
    base = _archive(_statement("a", dt.date(2024, 1, 1)))
    archive = Archive(base.actors, base.topics, {}, base.briefings)
    # No record has a statement: no feed of theirs (the corrections feed is always written).
    assert set(feeds.all_feeds(archive, SITE)) == {"feed.xml", "corrections/feed.xml"}
    data = _feed_of(archive, "feed.xml")
    parsed = _parse(data)
    assert parsed.entries == []
    assert parsed.feed.updated.startswith("1970-01-01")
    assert _feed_of(archive, "feed.xml") == data


@pytest.mark.parametrize("url", ["", "/archive/", "archive/", "javascript:alert(1)//x"])
def test_feeds_refuse_a_site_url_that_is_not_absolute(url: str) -> None:
    with pytest.raises(ValueError, match="absolute"):
        feeds.archive_feed(_archive(), url)


def all_feeds_and_feed_links_agree(
    archive: Archive, publishers: set[str], actor: tuple[str, str]
) -> None:
    """`all_feeds` of `archive`, whose publishers' slugs are `publishers`; the feed link of
    `actor` (id, name)."""
    every = feeds.all_feeds(archive, SITE)
    statements = archive.statements.values()
    # A feed for each actor and topic that has statements, and none for the others.
    actors = {a for a in archive.actors if any(a in s.actors for s in statements)}
    topics = {t for t in archive.topics if any(t in s.topics for s in statements)}
    expected = {"feed.xml", "corrections/feed.xml"}
    expected |= {f"actors/{a}/feed.xml" for a in actors}
    expected |= {f"topics/{t}/feed.xml" for t in topics}
    expected |= {f"publishers/{slug}/feed.xml" for slug in publishers}
    assert set(every) == expected
    assert every["feed.xml"] == feeds.archive_feed(archive, SITE)
    assert every["corrections/feed.xml"] == feeds.corrections_feed(archive, SITE)
    for path, data in every.items():
        self_link = etree.fromstring(data).find(f"{ATOM}link[@rel='self']")
        assert self_link is not None and self_link.get("href") == SITE + path
    actor_id, actor_name = actor
    link = feeds.feed_link("actor", actor_id, archive)
    assert link.url == f"actors/{actor_id}/feed.xml"
    assert link.type == "application/atom+xml"
    assert actor_name in link.title
    assert feeds.feed_link("archive", None, archive).url == "feed.xml"
    with pytest.raises(ValueError):
        feeds.feed_link("nonsense", "x", archive)


def test_all_feeds_and_feed_links_agree(archive: Archive) -> None:
    publishers = {"eastland-news-agency", "eastland-radio", "northland-daily"}
    all_feeds_and_feed_links_agree(archive, publishers, ("li-wei", "Li Wei"))


# --- `serve` rebuilds: only the feeds whose entries changed are made again -------------------


def test_a_rebuild_remakes_only_the_feeds_whose_entries_changed() -> None:
    reuse: Reuse[str, bytes] = Reuse()
    day = dt.date(2024, 3, 1)
    before = _archive(_statement("s1", day, topics=("t",)))
    first = feeds.all_feeds(before, SITE, reuse=reuse)
    assert reuse.made == len(first)
    again = feeds.all_feeds(before, SITE, reuse=reuse)
    assert reuse.made == 0 and all(again[path] is first[path] for path in first)

    # A new statement by Ann, not on the topic, from Daily News.
    after = _archive(*before.statements.values(), _statement("s2", day + dt.timedelta(1)))
    rebuilt = feeds.all_feeds(after, SITE, reuse=reuse)
    assert rebuilt == feeds.all_feeds(after, SITE)
    remade = {path for path in rebuilt if rebuilt[path] is not first[path]}
    assert remade == {"feed.xml", "actors/ann/feed.xml", "publishers/daily-news/feed.xml"}
    assert reuse.made == 3


def test_a_renamed_actor_remakes_every_feed() -> None:
    """Entries name their actors, in every feed the statement is in."""
    reuse: Reuse[str, bytes] = Reuse()
    statement = _statement("s1", dt.date(2024, 3, 1), topics=("t",))
    feeds.all_feeds(_archive(statement), SITE, reuse=reuse)
    renamed = _archive(statement, actor_name="Ann Renamed")
    rebuilt = feeds.all_feeds(renamed, SITE, reuse=reuse)
    assert reuse.made == len(rebuilt)
    assert rebuilt == feeds.all_feeds(renamed, SITE)


def test_a_deleted_topic_feed_is_not_kept() -> None:
    reuse: Reuse[str, bytes] = Reuse()
    with_topic = _archive(_statement("s1", dt.date(2024, 3, 1)))
    feeds.all_feeds(with_topic, SITE, reuse=reuse)
    without = Archive(with_topic.actors, {}, with_topic.statements, with_topic.briefings)
    rebuilt = feeds.all_feeds(without, SITE, reuse=reuse)
    assert "topics/t/feed.xml" not in rebuilt
    assert len(reuse) == len(rebuilt)


def _advertised(pages: dict[str, str]) -> dict[str, str]:
    """The feed each generated page names in its front matter, by the page's file."""
    found = {}
    for uri, text in pages.items():
        match = re.match(r"---\n(.*?)\n---\n", text, re.S)
        assert match, uri
        meta = yaml.safe_load(match.group(1))
        if "feed" in meta:
            found[uri] = meta["feed"]["href"]
    return found


def test_records_without_statements_get_no_feed_and_their_pages_link_none() -> None:
    # Ann has statements on topic t, reported by Daily News; the briefing's publisher (Wire
    # Service), the actor Bob and the topic Unused have none.
    statement = _statement("a", dt.date(2024, 1, 1), topics=("t",))
    base = _archive(statement)
    archive = Archive(
        actors={**base.actors, "bob": Actor("bob", "Bob", "person", "actors/bob.yml")},
        topics={**base.topics, "unused": Topic("unused", "Unused", "topics/unused.yml")},
        statements=base.statements,
        briefings=base.briefings,
    )
    written = feeds.all_feeds(archive, SITE)
    assert set(written) == {
        "feed.xml",
        "corrections/feed.xml",  # written before the first correction, to subscribe to
        "actors/ann/feed.xml",
        "topics/t/feed.xml",
        "publishers/daily-news/feed.xml",
    }
    assert b"<entry>" not in written["corrections/feed.xml"]
    assert all(b"<entry>" in data for path, data in written.items() if path[0] != "c")
    # The pages advertise exactly the feeds that are written: each record's pages name its
    # own feed, and the pages of Bob, Unused and Wire Service name none.
    pages = generate(archive, Options(site_url=SITE, parts=page_parts()))
    advertised = _advertised(pages)
    assert set(advertised.values()) == set(written)
    for uri, href in advertised.items():
        owner = href.removesuffix("feed.xml")  # the page of the feed's record, or "" (home)
        assert uri.startswith(owner) and (owner or uri == "index.md"), (uri, href)
    for record in ("actors/bob", "topics/unused", "publishers/wire-service"):
        assert f"{record}/index.md" in pages and f"{record}/index.md" not in advertised
