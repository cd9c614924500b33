"""The bundled archive's feeds, downloads, citations and charts.

tests/test_feeds.py, test_exports.py, test_cite.py and test_charts.py check these on the mini
fixture archive; here the same checks run over the bundled archive in content/, with what only
its records can show (its one publisher, RIA Novosti; the issue's citation example). Skipped
when content/ holds another archive.
"""

from __future__ import annotations

import json

import pytest
from conftest import ROOT, needs_bundled_archive
from test_charts import heatmap_of_every_year_with_day_links, timeline_of_every_actor
from test_cite import (
    SITE,
    bibtex_of_every_statement_parses,
    csl_json_items_describe_the_statement,
    text_citations_name_who_what_when_and_the_permalink,
)
from test_exports import (
    RECORD_DOWNLOADS,
    actor_export_keeps_names_roles_and_links,
    downloads_are_deterministic_and_keep_non_ascii,
    record_download_matches_the_model_and_schema,
    statements_csv_has_one_row_per_statement_matching_the_model,
    statements_json_matches_the_model_and_the_schema,
)
from test_feeds import (
    _parse,
    actor_and_topic_feeds_select_their_statements,
    all_feeds_and_feed_links_agree,
    archive_feed_is_valid_newest_first_with_permalinks,
    feed_is_deterministic_and_has_no_versioned_generator,
)

from generator.outputs import citations, feeds
from generator.records.model import Archive
from generator.records.validate import validate_archive

pytestmark = needs_bundled_archive

ZHANG = "zhang-hanhui-ria-novosti-russia-china-relations-2023-12-19"


@pytest.fixture(scope="module")
def bundled() -> Archive:
    result = validate_archive(ROOT / "content")
    assert not result.errors and result.archive is not None
    return result.archive


# --- feeds --------------------------------------------------------------------------------
def test_archive_feed_is_valid_newest_first_with_permalinks(bundled: Archive) -> None:
    archive_feed_is_valid_newest_first_with_permalinks(bundled)


def test_feed_is_deterministic_and_has_no_versioned_generator(bundled: Archive) -> None:
    feed_is_deterministic_and_has_no_versioned_generator(bundled)


def test_actor_topic_and_publisher_feeds_select_their_statements(bundled: Archive) -> None:
    actor_and_topic_feeds_select_their_statements(bundled)
    slugs = feeds.publishers(bundled)
    assert slugs == {"ria-novosti": "RIA Novosti"}
    parsed = _parse(feeds.all_feeds(bundled, SITE)[feeds.publisher_feed_url("ria-novosti")])
    # Every bundled statement comes from the RIA Novosti briefing.
    assert len(parsed.entries) == len(bundled.statements)


def test_all_feeds_and_feed_links_agree(bundled: Archive) -> None:
    all_feeds_and_feed_links_agree(bundled, {"ria-novosti"}, ("zhang-hanhui", "Zhang Hanhui"))


# --- downloads ----------------------------------------------------------------------------
def test_statements_json_matches_the_model_and_the_schema(bundled: Archive) -> None:
    statements_json_matches_the_model_and_the_schema(bundled)


@pytest.mark.parametrize(("function", "kind", "mapping", "url"), RECORD_DOWNLOADS)
def test_record_downloads_match_the_model_and_schemas(
    bundled: Archive, function: object, kind: str, mapping: str, url: str
) -> None:
    record_download_matches_the_model_and_schema(bundled, function, kind, mapping, url)


def test_actor_export_keeps_names_roles_and_links(bundled: Archive) -> None:
    actor_export_keeps_names_roles_and_links(bundled)


def test_downloads_are_deterministic_and_keep_non_ascii(bundled: Archive) -> None:
    downloads_are_deterministic_and_keep_non_ascii(bundled, "Чжан Ханьхуэй")


def test_statements_csv_has_one_row_per_statement_matching_the_model(bundled: Archive) -> None:
    statements_csv_has_one_row_per_statement_matching_the_model(bundled)


# --- citations ----------------------------------------------------------------------------
def test_text_citation_names_who_what_when_and_the_permalink(bundled: Archive) -> None:
    text_citations_name_who_what_when_and_the_permalink(bundled)


def test_text_citation_example_from_the_issue(bundled: Archive) -> None:
    statement = bundled.statements[ZHANG]
    assert citations.citations(statement, bundled, SITE, "My Archive").text == (
        "Zhang Hanhui. “Chinese ambassador says Russian-Chinese relations can overcome any "
        "obstacles.” Interview, conversation with RIA Novosti, 19 December 2023. My Archive. "
        f"{SITE}statements/{statement.id}/"
    )


def test_bibtex_of_every_bundled_statement_parses(bundled: Archive) -> None:
    bibtex_of_every_statement_parses(bundled)


def test_csl_json_items_describe_the_statement(bundled: Archive) -> None:
    csl_json_items_describe_the_statement(bundled)
    interview = bundled.statements[ZHANG]
    assert (
        json.loads(citations.citations(interview, bundled, SITE).csl_json)[0]["type"] == "interview"
    )


# --- charts -------------------------------------------------------------------------------
def test_timeline_of_the_bundled_actors(bundled: Archive) -> None:
    timeline_of_every_actor(bundled)


def test_heatmap_of_the_bundled_archive_with_day_links(bundled: Archive) -> None:
    heatmap_of_every_year_with_day_links(bundled)
