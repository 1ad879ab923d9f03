"""The index: a folder of plain files in immutable segments, built and updated incrementally from the articles, and searched."""
