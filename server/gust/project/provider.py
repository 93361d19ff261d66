"""The Go package provider the analysis uses for `use go` (gust.ide.analysis.GoProvider).

One `GoPackages` loader per process: memory, then the on-disk cache, then the Go toolchain,
then the shipped stubs. Packages of the user's own module are found from the directory of
the importing file, and read only when the loader allows it (`GoPackages.module_packages`:
the CLI does, the language server when `gust.goModulePackages` is on; docs/security.md). Loading a package also loads the packages its API names (`net/url` for
`http.Request.URL`), which the analysis adds without a name (gust.ide.analysis).
"""

from __future__ import annotations

from gust.ide.analysis import GoProvider
from gust.project.gopackages import GoPackages
from gust.sema.golang import GoPackage


def go_provider(loader: GoPackages | None = None) -> GoProvider:
    packages = loader if loader is not None else GoPackages()
    warmed: set[str] = set()

    def provide(import_path: str, directory: str) -> GoPackage | str:
        result = packages.load_result(import_path, directory)
        if result.package is not None:
            if import_path not in warmed:
                # The analysis asks next for the packages this one's API names (their
                # types' methods and fields): load them now, with one Go run for all.
                # Only one level: those packages' own references are not asked for.
                refs = result.package.referenced_packages()
                warmed.update(refs | {import_path})
                packages.load_many(sorted(refs), directory)
            return result.package
        return result.reason or f"the Go package `{import_path}` could not be loaded"

    return provide
