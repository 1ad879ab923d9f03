"""The chat window (Textual). The library outside this package never imports Textual."""
