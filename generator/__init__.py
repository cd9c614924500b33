"""Briefing Archive: a static site generator for archives of public statements."""

from __future__ import annotations

__version__ = "0.1.0"
