"""The records' JSON Schemas: checking a record against its kind's, and explaining failures.

jsonschema-rs, the fast validator, decides whether a record passes; only a record it
does not pass goes to the python-jsonschema library, whose errors `check_schema` turns into
problems at the exact place, in words an editor can act on. The schemas ship in
`generator/schemas/`, one per kind, and are also what editors' YAML language servers use.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING, Any

from generator.problems import Problem
from generator.records.find import RecordFile
from generator.records.yaml_tree import Node

if TYPE_CHECKING:
    import jsonschema

DATE_FIELDS = frozenset({"date", "published", "from", "to"})
"""Fields that hold a date (roles' `from` and `to` may be a year or a month)."""


@cache
def schema(kind: str) -> dict[str, Any]:
    """The JSON Schema (2020-12) of one kind of record, as shipped in the package."""
    from importlib import resources

    text = resources.files("generator").joinpath(f"schemas/{kind}.schema.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def validator(kind: str) -> jsonschema.protocols.Validator:
    """python-jsonschema's validator for one kind: it explains what jsonschema-rs rejects."""
    # Imported on first use: only a record that fails the fast check needs it, and the
    # import is a third of the time `briefing validate` takes on an unchanged archive.
    import jsonschema

    cls = jsonschema.validators.validator_for(schema(kind))
    return cls(schema(kind))


# Characters Python's `re` counts as whitespace (`\s`) and ECMA-262 regexes, which
# jsonschema-rs follows, do not. Adding them to the fast validator's patterns keeps it at
# least as strict as python-jsonschema: it may call a record invalid that is valid (the
# slow path then decides), never the other way round.
_PY_ONLY_SPACE = "\\x1c-\\x1f\\x85"


def _strict_patterns(node: Any) -> Any:
    """The schema with every `pattern` made as strict about whitespace as Python's `re`."""
    if isinstance(node, dict):
        out = {key: _strict_patterns(value) for key, value in node.items()}
        pattern = node.get("pattern")
        if isinstance(pattern, str):
            out["pattern"] = pattern.replace("[^\\s", "[^\\s" + _PY_ONLY_SPACE).replace(
                "\\S", f"[^\\s{_PY_ONLY_SPACE}]"
            )
        return out
    if isinstance(node, list):
        return [_strict_patterns(item) for item in node]
    return node


@cache
def _fast_validator(kind: str) -> Any:
    # Formats are annotations in draft 2020-12 and python-jsonschema checks none by default.
    # Imported on first use: an unchanged archive's run checks no record.
    import jsonschema_rs

    return jsonschema_rs.validator_for(_strict_patterns(schema(kind)), validate_formats=False)


def schema_valid_fast(kind: str, data: Any) -> bool:
    """True only if the record certainly passes its JSON Schema (jsonschema-rs, much faster).

    False means "not known": the caller asks python-jsonschema, whose errors are the ones
    we explain. Data the Rust side cannot take (e.g. lone surrogates) is "not known" too.
    """
    try:
        return bool(_fast_validator(kind).is_valid(data))
    except Exception:  # any conversion problem only costs the slow path
        return False


def check_schema(record: RecordFile, root: Node, data: Any, out: list[Problem]) -> None:
    """Add the schema errors of one record to `out`; `data` is `root.plain()`."""
    if not isinstance(root.value, dict):
        what = "a list" if isinstance(root.value, list) else "a single value"
        out.append(
            Problem(
                record.display,
                root.line,
                root.column,
                f"the record is {what}, but it must be a mapping of fields",
                "write one `field: value` per line, e.g. `id: ...`",
            )
        )
        return
    if schema_valid_fast(record.kind, data):
        return
    errors = sorted(
        validator(record.kind).iter_errors(data),
        key=lambda e: [str(p) for p in e.absolute_path],
    )
    for error in errors:
        out.extend(_explain(record, root, error))


def _explain(
    record: RecordFile, root: Node, error: jsonschema.ValidationError
) -> Iterable[Problem]:
    """One schema error as problems at the exact place, in words an editor can act on."""
    path = tuple(error.absolute_path)
    node = root.locate(path)
    field_name = next((str(p) for p in reversed(path) if isinstance(p, str)), "")
    where = f"`{field_name}`" if field_name else "the record"
    validator, value = error.validator, error.instance

    def at(n: Node, message: str, hint: str, key: bool = False) -> Problem:
        line, col = (n.key_line, n.key_column) if key and n.key_line else (n.line, n.column)
        return Problem(record.display, line, col, message, hint)

    if validator == "additionalProperties" and isinstance(node.value, dict):
        allowed = sorted(error.schema.get("properties", {}))
        for key in sorted(set(value) - set(allowed)):
            yield at(
                node.value[key],
                f"unknown field `{key}`",
                f"allowed fields here: {', '.join(allowed)}",
                key=True,
            )
        return
    if validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        yield at(
            node,
            f"{where} is missing the required field `{missing}`",
            f"add `{missing}:`"
            + (" (see the format in README.md)" if where == "the record" else ""),
        )
        return
    if validator == "anyOf" and error.schema is schema(record.kind):
        yield at(
            node,
            "the statement names no source",
            "add `sources:` (title, publisher, published) or `briefing: <briefing id>`",
        )
        return
    if validator == "enum":
        options = ", ".join(str(o) for o in error.validator_value)
        yield at(
            node,
            f"{where} is {value!r}, which is not one of the allowed values",
            f"use one of: {options}",
        )
        return
    if validator == "type" or (validator == "anyOf" and field_name in ("from", "to")):
        expected = error.validator_value if validator == "type" else "date"
        got = _type_name(value)
        hint = (
            "put the value in quotes"
            if expected == "string" and got in ("number", "boolean")
            else (f"write {where} as a {_type_word(expected)}")
        )
        if got == "empty":
            hint = f"fill in {where} or remove the line"
        yield at(node, f"{where} should be a {_type_word(expected)}, not {_article(got)}", hint)
        return
    if validator == "pattern":
        if field_name in DATE_FIELDS:
            yield at(
                node,
                f"{where} is {value!r}, not a date in YYYY-MM-DD form",
                "write the date as YYYY-MM-DD, e.g. 2023-12-19",
            )
        elif field_name in ("url", "archived_url", "website"):
            yield at(
                node,
                f"{where} is not an absolute http(s) address: {value!r}",
                "use a full address starting with https:// or http://",
            )
        elif error.validator_value == r"\S":
            yield at(node, f"{where} is blank", f"write the text, or remove {where}")
        elif error.validator_value.startswith("^[a-z0-9]"):
            yield at(
                node,
                f"{where} has {value!r}, which is not a valid id",
                "ids use lowercase a-z, 0-9 and single hyphens, e.g. vladimir-putin",
            )
        elif field_name in ("lang", "original_lang", "language"):
            yield at(
                node,
                f"{where} is {value!r}, not a language tag",
                "use a BCP 47 tag such as en, ru or zh",
            )
        elif field_name == "wikidata":
            yield at(
                node, f"{where} is {value!r}, not a Wikidata id", "write the item id, e.g. Q7747"
            )
        else:
            yield at(node, f"{where} is {value!r}, which has the wrong form", error.message)
        return
    if validator in ("minItems", "minLength"):
        yield at(node, f"{where} is empty", f"fill in {where}, or remove it if it is optional")
        return
    if validator in ("maxLength",):
        yield at(node, f"{where} is longer than {error.validator_value} characters", "shorten it")
        return
    if validator == "uniqueItems":
        yield at(node, f"{where} lists the same item twice", "remove the repeated item")
        return
    if validator == "dependentRequired":
        yield at(
            node,
            "a quote with `original` also needs `original_lang`",
            "add `original_lang:` with the language of the original wording",
        )
        return
    yield at(node, f"{where}: {error.message}", "see the record format in README.md")


def _type_name(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "list"
    return "mapping"


def _type_word(expected: Any) -> str:
    words = {
        "string": "text",
        "array": "list",
        "object": "mapping of fields",
        "integer": "whole number",
        "date": "date",
    }
    return words.get(str(expected), str(expected))


def _article(word: str) -> str:
    return {"empty": "empty", "list": "a list", "mapping": "a mapping of fields"}.get(word, word)
