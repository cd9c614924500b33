"""The Jinja machinery of the pages: environment, code generator, compiled-template caches.

`Environment` compiles templates with `_CodeGenerator`, whose code writes autoescaped
values through `filters.output_escape`. Compiled templates are kept in memory for a process
(`MemoryBytecodeCache`) and in the user's cache folder between runs (`disk_bytecode_cache`).
`quick_macro` calls a macro without Jinja's call machinery.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import stat
from collections.abc import Callable
from typing import Any

import jinja2
import jinja2.compiler
import jinja2.nodes
import jinja2.runtime
import jinja2.utils
from markupsafe import Markup

from generator.pages.filters import markup, output_escape
from generator.paths import code_stamp
from generator.records.cache import cache_folder


class _CodeGenerator(jinja2.compiler.CodeGenerator):
    """Jinja's code generator, with a quicker escape for what `{{ … }}` writes.

    Autoescaping calls `markupsafe.escape` on every value a template writes, and that wraps
    each result in a new Markup through two Python-level calls. Written output is only ever
    joined into the page (or a macro's result, which Jinja wraps in Markup itself), so the
    escaped text is enough: `output_escape` gives the same characters. Blocks whose
    autoescaping is decided at run time keep Jinja's own code.
    """

    def _output_child_pre(
        self,
        node: jinja2.nodes.Expr,
        frame: jinja2.compiler.Frame,
        finalize: Any,  # jinja2.compiler.CodeGenerator._FinalizeInfo
    ) -> None:
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape:
            super()._output_child_pre(node, frame, finalize)
            return
        self.write("environment.output_escape(")
        if finalize.src is not None:
            self.write(finalize.src)


class Environment(jinja2.Environment):
    """The pages' environment: compiled by `_CodeGenerator`, whose code calls `output_escape`."""

    code_generator_class = _CodeGenerator
    output_escape = staticmethod(output_escape)


# What the environment compiles templates with.
ENV_OPTIONS: dict[str, Any] = {
    "autoescape": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": True,
}


@functools.cache
def _compile_stamp() -> str:
    """What decides a compiled template besides its source.

    Jinja's version, the environment's options and this package's code: the code generator
    is here, and Jinja compiles in which filters take the context and what a filter given
    constant arguments returns. Read once per process.
    """
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"jinja2 {jinja2.__version__} {sorted(ENV_OPTIONS.items())}".encode())
    try:
        digest.update(code_stamp().encode())
    except OSError:
        digest.update(os.urandom(16))  # code that cannot be read matches no compiled file
    return digest.hexdigest()


class _DiskBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between runs, in the user's cache folder.

    Every `briefing build` is a fresh process, which would otherwise compile every template.
    Jinja keeps one file per template and reuses it only for the same source checksum and
    Python version; the checksum here also covers `_compile_stamp`, so any other change
    compiles the template again (and replaces the file). A file that cannot be read or
    written only costs the compile.
    """

    def get_source_checksum(self, source: str) -> str:
        """Jinja's checksum of the source, and of what else decides the compiled code."""
        return super().get_source_checksum(_compile_stamp() + "\0" + source)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """The compiled template from disk, if there is one that loads."""
        try:
            super().load_bytecode(bucket)
        except Exception:  # damaged (Jinja checks only the marshal part): compile again
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Store the compiled template (write then rename: never half a file)."""
        with contextlib.suppress(OSError):  # a read-only cache folder only costs speed
            super().dump_bytecode(bucket)


def disk_bytecode_cache() -> jinja2.BytecodeCache | None:
    """The compiled-template cache beside the validation cache (records/cache.py), or None.

    None with `BRIEFING_CACHE=0`, and when the folder is not this user's alone: compiled
    templates are code that is run, so none is loaded from a folder others can write to.
    """
    base = cache_folder()
    if base is None:
        return None
    folder = base / "templates"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = folder.lstat()
    except OSError:
        return None
    getuid = getattr(os, "getuid", None)
    if (
        not stat.S_ISDIR(st.st_mode)
        or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
        or getuid is None
        or st.st_uid != getuid()
    ):
        return None
    return _DiskBytecodeCache(str(folder))


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept for the process, keyed by name and source checksum.

    A template not compiled yet in this process comes from `disk` when it has it.
    """

    def __init__(self, disk: jinja2.BytecodeCache | None = None) -> None:
        self.store: dict[str, bytes] = {}
        self.disk = disk

    def get_source_checksum(self, source: str) -> str:
        """The disk cache's checksum, so that the two agree on what is up to date."""
        if self.disk is not None:
            return self.disk.get_source_checksum(source)
        return super().get_source_checksum(source)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """The compiled template from memory, else from disk."""
        code = self.store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)
        elif self.disk is not None:
            self.disk.load_bytecode(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep the compiled template in memory, and on disk."""
        self.store[bucket.key] = bucket.bytecode_to_string()
        if self.disk is not None:
            self.disk.dump_bytecode(bucket)


def quick_macro(macro: jinja2.runtime.Macro) -> Callable[..., Markup]:
    """`macro` as a plain function with the same result, without Jinja's call machinery.

    Macro.__call__ matches keyword arguments, fills in defaults and finds a `caller`, which
    costs more than the body of a one-line macro (10,000 listing lines are one each). Called
    with positional arguments, a macro that takes no `caller`, `varargs` or `kwargs` gives
    what its compiled function returns (that fills in its own defaults for `missing`
    arguments), as Markup: autoescaping is always on here. Other calls go to the macro.
    """
    func = getattr(macro, "_func", None)
    count = len(macro.arguments)
    if func is None or macro.caller or macro.catch_kwargs or macro.catch_varargs:
        return macro  # type: ignore[return-value]  # returns Markup when autoescaping
    padding = (jinja2.utils.missing,) * count

    def call(*args: Any, **kwargs: Any) -> Markup:
        if len(args) == count and not kwargs:  # nearly every call
            return markup(func(*args))
        if kwargs or len(args) > count:
            return macro(*args, **kwargs)  # type: ignore[return-value]  # (as above)
        return markup(func(*args, *padding[len(args) :]))

    return call


__all__ = [
    "ENV_OPTIONS",
    "Environment",
    "MemoryBytecodeCache",
    "disk_bytecode_cache",
    "quick_macro",
]
