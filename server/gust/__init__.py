"""Gust: a Rust-inspired dialect of Go.

Layers, one direction (see docs/architecture.md):
syntax -> sema -> borrowck -> codegen -> ide -> lsp / cli.
`text` and `diagnostics` are plain data shared by every layer.
"""

__version__ = "0.1.0"

# Before any other gust module: whether the compiled build is used (see gust.native).
from gust import native as native
