"""IDE queries as plain data: diagnostics, hover, generated Go. Only `lsp/` and `cli/`
turn these into protocol messages or terminal text."""

from gust.ide.analysis import AnalysisHost, FileAnalysis, analyze_text, check_source

__all__ = ["AnalysisHost", "FileAnalysis", "analyze_text", "check_source"]
