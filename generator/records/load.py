"""A record file's bytes -> its text, or the problems that keep it from being a record.

The text is then read by the one YAML reader, `yaml_events.read_yaml`.
"""

from __future__ import annotations

from generator.problems import Problem

MAX_BYTES = 512 * 1024
"""Larger record files are refused unread; a statement needs a few kilobytes."""


def _problem(display: str, line: int, column: int, message: str, hint: str) -> Problem:
    return Problem(display, line, column, message, hint)


def decode(data: bytes, display: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text of a record file, or the problems that prevent reading it."""
    if len(data) > MAX_BYTES:
        return None, [
            _problem(
                display,
                1,
                1,
                f"file is {len(data):,} bytes; the limit is {MAX_BYTES:,}",
                "split it, or move long text out of the record",
            )
        ]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # a UTF-8 byte-order mark is harmless; editors on Windows add it
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = data[: exc.start]
        line = prefix.count(b"\n") + 1
        column = len(prefix[prefix.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        return None, [
            _problem(
                display,
                line,
                column,
                f"not valid UTF-8 (byte 0x{data[exc.start]:02x})",
                "save the file as UTF-8",
            )
        ]
    return text, []
