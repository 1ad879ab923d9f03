"""Text made safe and readable for a terminal: one character for one, so
offsets into the article still hold."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from qabot.printable import printable, unwrapped
from qabot.wording import confidence_label, not_answered, not_mentioned, plural


def test_hard_wrapped_prose_reads_as_one_line_per_paragraph():
    text = ("The council met on Tuesday and voted\nto close the old pier before the\nwinter storms.\n\n"
            "The second paragraph of it\nfollows here.\n- a list item\n- another item\n# A heading\nText under it.")
    assert unwrapped(text) == (
        "The council met on Tuesday and voted to close the old pier before the winter storms.\n\n"
        "The second paragraph of it follows here.\n- a list item\n- another item\n# A heading\nText under it.")


@given(st.text(alphabet=st.sampled_from("ab -#*1.\n\x1b\x85"), max_size=80))
def test_unwrapping_and_printing_keep_every_offset(text):
    for shown in (unwrapped(text), printable(text), printable(unwrapped(text))):
        assert len(shown) == len(text)
    changed = [(a, b) for a, b in zip(text, unwrapped(text)) if a != b]
    assert all((a, b) == ("\n", " ") for a, b in changed)
    assert "\n\n" not in text or unwrapped(text).count("\n\n") == text.count("\n\n")


def test_one_wording_everywhere():
    assert confidence_label(0.999) == "high confidence, 99%"
    assert confidence_label(0.7) == "medium confidence, 70%"
    assert plural(1, "article") == "1 article" and plural(2, "article") == "2 articles"
    assert not_answered(several=True) == "The articles don't say."
    assert not_mentioned(["Bahrain"], several=False) == "The article doesn't mention Bahrain."
