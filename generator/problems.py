"""Problems found in records: where they are, what is wrong, and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One finding, always anchored at `path:line:column` (1-based)."""

    path: str
    line: int
    column: int
    message: str
    hint: str = ""
    severity: Severity = "error"

    @property
    def where(self) -> str:
        """`path:line:column`, the form editors and IDEs jump to."""
        return f"{_one_line(self.path)}:{self.line}:{self.column}"

    def format(self) -> str:
        """The human form: location, severity, message, and the hint on its own line."""
        text = f"{self.where}: {self.severity}: {_one_line(self.message)}"
        if self.hint:
            text += f"\n    hint: {_one_line(self.hint)}"
        return text

    def format_github(self) -> str:
        """A GitHub Actions workflow command, shown on the line in a pull request's diff."""
        body = self.message + (f" Hint: {self.hint}" if self.hint else "")
        return (
            f"::{self.severity} file={_escape_property(self.path)},line={self.line},"
            f"col={self.column}::{_escape_data(body)}"
        )

    def as_error(self) -> Problem:
        """The same finding, raised to an error (for `--strict`)."""
        return Problem(self.path, self.line, self.column, self.message, self.hint, "error")


def _one_line(text: str) -> str:
    # A file name or key may hold a line break; one problem must stay one line.
    return text.translate(
        {10: "\\n", 13: "\\r", 0x85: "\\x85", 0x2028: "\\u2028", 0x2029: "\\u2029"}
    )


def _escape_data(text: str) -> str:
    # GitHub's workflow-command escaping: a raw newline would end the command early.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
