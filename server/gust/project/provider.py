"""The Go package provider the analysis uses for `use go` (gust.ide.analysis.GoProvider).

One `GoPackages` loader per process: memory, then the on-disk cache, then the Go toolchain,
then the shipped stubs. Packages of the user's own module are found from the directory of
the importing file.
"""

from __future__ import annotations

from gust.ide.analysis import GoProvider
from gust.project.gopackages import GoPackages
from gust.sema.golang import GoPackage


def go_provider(loader: GoPackages | None = None) -> GoProvider:
    packages = loader if loader is not None else GoPackages()

    def provide(import_path: str, directory: str) -> GoPackage | str:
        result = packages.load_result(import_path, directory)
        if result.package is not None:
            return result.package
        return result.reason or f"the Go package `{import_path}` could not be loaded"

    return provide
