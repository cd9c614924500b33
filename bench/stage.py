"""The build's own stage: validate the records and generate every page, in memory.

    python bench/stage.py PROJECT

PROJECT is a folder with mkdocs.yml and content/ (bench/run.py makes them). This runs what
the `briefing` plugin runs before MkDocs takes over in a `build` (validate_archive, then
generate_pages in two processes), with the plugin's own options from mkdocs.yml, and prints
one line of JSON: the seconds of each step and the number of pages. Nothing is written but
the validation cache, so the figures leave out Python's start-up and the disk writes that
`briefing generate` adds (16,000 files at 10k statements), and the Pagefind indexers that
the build starts once the pages' second process exists; that is what the issue's
"validation and generation" means inside a build. As in the build, validation's last
checks (those that can only add warnings) and its cache writes run once the pages' second
process exists, so "generate" includes them. Whether the validation cache is warm is up to
the caller (bench/run.py runs it both ways, with XDG_CACHE_HOME).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def main() -> int:
    """Time the stage for the project in argv[1] and print the figures as JSON."""
    project = Path(sys.argv[1]).resolve()
    os.chdir(project)
    from generator import collector
    from generator.mkdocs.markdown_tree import load_generate_config
    from generator.mkdocs.run import briefing_plugin
    from generator.pages.pipeline import generate_pages
    from generator.records.validate import validate_archive

    config = load_generate_config(project / "mkdocs.yml")
    plugin = briefing_plugin(config)
    assert plugin is not None, "mkdocs.yml has no briefing plugin"
    plugin.on_config(config)
    start = time.perf_counter()
    # As the build does (session.py): the archive kept out of the collector's scans, and
    # validation's last checks and its cache writes run once the pages' second process exists.
    with collector.paused():
        result = validate_archive(plugin.session.content_dir, defer=True)
        collector.Hold().keep()
    validated = time.perf_counter()
    assert result.archive is not None and not result.errors, "the records have errors"
    finished = []
    pages = generate_pages(
        result.archive,
        plugin.session.options,
        processes=2,
        beside=lambda: finished.append(result.finish()),
    )
    assert finished and not finished[0].errors
    generated = time.perf_counter()
    print(
        json.dumps(
            {
                "validate": validated - start,
                "generate": generated - validated,
                "pages": len(pages),
                "statements": len(result.archive.statements),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
