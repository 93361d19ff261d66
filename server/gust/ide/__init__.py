"""IDE queries as plain data: diagnostics, hover, generated Go. Only `lsp/` and `cli/`
turn these into protocol messages or terminal text.

The analysis is imported on first use of its names here, not with the package: a module
of `gust.ide` that needs none of it (the explanations, for a `gust check` answered from
its cache) costs no import of the checker."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gust.ide.analysis import AnalysisHost, FileAnalysis, analyze_text, check_source

__all__ = ["AnalysisHost", "FileAnalysis", "analyze_text", "check_source"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from gust.ide import analysis

        return getattr(analysis, name)
    raise AttributeError(f"module 'gust.ide' has no attribute {name!r}")
