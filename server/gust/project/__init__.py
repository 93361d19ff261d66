"""The user's project as the CLI and the language server see it: files and packages on
disk, and the Go toolchain. Unlike the analysis layers, this package does I/O; what it
loads is handed to the analysis as plain data."""
