"""The `briefing` command: validate, new, drafts, draft, import, build, serve, generate,
check-site, init."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from generator.cli import draft
from generator.collector import freeze_before_exit


def _add_validate(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("validate", help="check every record and report all problems at once")
    p.add_argument(
        "content_dir",
        nargs="?",
        type=Path,
        help="the content folder (default: ./content of the repository)",
    )
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument(
        "--format", choices=("text", "github"), default="text", help="github: workflow annotations"
    )


def _add_new(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("new", help="write a commented record skeleton at the right path")
    kinds = p.add_subparsers(dest="record", required=True)
    s = kinds.add_parser("statement", help="a new statement record")
    s.add_argument("--date", required=True, help="YYYY-MM-DD, the day it was said")
    s.add_argument(
        "--actor", action="append", required=True, help="actor id (repeat for joint statements)"
    )
    s.add_argument("--title", required=True)
    s.add_argument("--kind", default="statement")
    s.add_argument("--id", help="record id (default: a slug of the date and title)")
    s.add_argument("--content-dir", type=Path)
    a = kinds.add_parser("actor", help="a new actor record")
    a.add_argument("--name", required=True)
    a.add_argument("--kind", choices=("person", "organization", "state"), required=True)
    a.add_argument("--id", help="record id (default: a slug of the name)")
    a.add_argument("--content-dir", type=Path)
    t = kinds.add_parser("topic", help="a new topic record")
    t.add_argument("--title", required=True)
    t.add_argument("--description")
    t.add_argument("--id", help="record id (default: a slug of the title)")
    t.add_argument("--content-dir", type=Path)
    b = kinds.add_parser("briefing", help="a new briefing record (a source document)")
    b.add_argument("--title", required=True)
    b.add_argument("--publisher", required=True, help="the outlet, spelled as elsewhere")
    b.add_argument("--published", required=True, help="YYYY-MM-DD, the date it carries")
    b.add_argument("--url", help="http(s) address of the briefing")
    b.add_argument("--id", help="record id (default: a slug of the title and date)")
    b.add_argument("--content-dir", type=Path)


def _add_drafts(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("drafts", help="list draft statements and the TODOs left in records")
    p.add_argument("content_dir", nargs="?", type=Path, help="the content folder")


def _add_site(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    b = sub.add_parser("build", help="validate, then build the site with MkDocs in strict mode")
    b.add_argument("--site-dir", type=Path, help="output folder (default: site/)")
    b.add_argument("-f", "--config-file", type=Path, help="mkdocs.yml (default: the repository's)")
    s = sub.add_parser("serve", help="live preview that follows record edits")
    s.add_argument("-f", "--config-file", type=Path)
    s.add_argument("-a", "--dev-addr", default=None, help="IP:PORT (default 127.0.0.1:8000)")
    s.add_argument("--drafts", action="store_true", help="show draft statements too, with a banner")
    g = sub.add_parser("generate", help="write the generated Markdown tree to a folder")
    g.add_argument("--out", type=Path, required=True)
    g.add_argument(
        "--project",
        action="store_true",
        help="write a whole project (mkdocs.yml, docs/, overrides/) that a builder without "
        "the briefing plugin, such as Zensical, builds into the site",
    )
    g.add_argument("content_dir", nargs="?", type=Path)
    c = sub.add_parser(
        "check-site",
        help="check that a builder turned every file of a `generate --project` folder into "
        "the site (exit 1, listing what is missing)",
    )
    c.add_argument("project", type=Path, help="the folder `briefing generate --project` wrote")
    c.add_argument("--site", type=Path, help="the built site (default: PROJECT/site)")


def _add_init(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "init",
        help="start a new archive in DIR that uses this tool (asks for what is not given)",
        description="Write a new archive into DIR (new, empty, or holding none of the files it "
        "writes): mkdocs.yml, content/, docs/about.md, GitHub workflows, editor settings and a "
        "README. On a terminal it asks for the options left out; elsewhere they take their "
        "defaults. It never overwrites a file.",
    )
    p.add_argument("dir", type=Path, metavar="DIR", help="the new archive's folder")
    p.add_argument("--name", help="the archive's name, the home page's heading")
    p.add_argument(
        "--site-url", help="where the site is published, e.g. https://OWNER.github.io/REPO/"
    )
    p.add_argument("--repo-url", help="the repository, e.g. https://github.com/OWNER/REPO")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the `briefing` command."""
    parser = argparse.ArgumentParser(prog="briefing", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    _add_validate(sub)
    _add_new(sub)
    _add_drafts(sub)
    draft.add_parser(sub)
    imp = sub.add_parser("import", help="write records from a spreadsheet like statements.csv")
    imp.add_argument("file", type=Path, metavar="FILE.csv")
    imp.add_argument("--content-dir", type=Path)
    _add_site(sub)
    _add_init(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit status (0 ok, 1 problems found, 2 usage)."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "validate":
            from generator.cli.records import run_validate

            return run_validate(args.content_dir, strict=args.strict, fmt=args.format)
        if args.command == "new":
            from generator.cli.records import run_new

            return run_new(args)
        if args.command == "drafts":
            from generator.cli.records import find_content_dir
            from generator.records.drafts import run_drafts

            return run_drafts(args.content_dir or find_content_dir())
        if args.command == "draft":
            return draft.run_draft(args)
        if args.command == "import":
            from generator.cli.import_csv import run_import

            return run_import(args)
        if args.command == "init":
            from generator.cli.init import run_init

            return run_init(args)
        if args.command == "check-site":
            from generator.cli.site_check import run_check_site

            return run_check_site(args.project, args.site)
        from generator.mkdocs import markdown_tree, run

        if args.command == "build":
            return run.run_build(config_file=args.config_file, site_dir=args.site_dir)
        if args.command == "serve":
            return run.run_serve(
                config_file=args.config_file, dev_addr=args.dev_addr, drafts=args.drafts
            )
        return markdown_tree.run_generate(
            content_dir=args.content_dir, out_dir=args.out, project=args.project
        )
    except KeyboardInterrupt:
        return 130


def run() -> None:
    """The `briefing` console script: `main`, then exit with its status."""
    status = main()
    freeze_before_exit()  # not in `main`, which tests call: nothing frozen is ever collected
    sys.exit(status)


if __name__ == "__main__":
    run()
