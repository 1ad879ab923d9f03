"""Articles: finding and reading the files, web pages saved as articles, chunking into passages and sentences with exact offsets, and checking quotes against the files."""
