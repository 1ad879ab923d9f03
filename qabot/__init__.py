"""qabot: ask questions about articles and get verbatim, cited answers."""

__version__ = "0.1.0"
