"""Splitting a message into numbered SMS: each part fits, words stay whole."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custom_components.sms123.api import count_parts, fits_one_sms, split_message
from custom_components.sms123.api.text import GSM7_SINGLE_PART, UCS2_SINGLE_PART

PREFIX = re.compile(r"\((\d+)/(\d+)\) ")
WORDS = st.lists(
    st.text(alphabet="abcdeé€ 😀xyz", min_size=1, max_size=12).filter(str.strip),
    min_size=1,
    max_size=120,
)


def reference_split(text: str) -> list[str]:
    """Split by binary search of the longest fit: quadratic, the older algorithm."""
    if count_parts(text).parts <= 1:
        return [text]
    width = 1
    while True:
        widest = f"({'9' * width}/{'9' * width}) "
        chunks: list[str] = []
        rest = text
        while rest:
            low, high = 1, len(rest)
            while low < high:
                middle = (low + high + 1) // 2
                if count_parts(widest + rest[:middle]).parts <= 1:
                    low = middle
                else:
                    high = middle - 1
            cut = low
            if cut < len(rest) and (space := rest.rfind(" ", 0, cut + 1)) > 0:
                cut = space
            chunks.append(rest[:cut].strip())
            rest = rest[cut:].strip()
        if len(chunks) < 10**width:
            total = len(chunks)
            return [f"({i}/{total}) {chunk}" for i, chunk in enumerate(chunks, 1)]
        width += 1


@given(words=WORDS)
def test_split_is_the_same_as_the_longest_fit_search(words: list[str]) -> None:
    text = " ".join(word.strip() for word in words)
    assert split_message(text) == reference_split(text)


@given(words=WORDS, reserve=st.sampled_from([0, 11]))
def test_every_part_fits_one_sms_with_its_reserve(
    words: list[str], reserve: int
) -> None:
    text = " ".join(word.strip() for word in words)
    parts = split_message(text, reserve=reserve)
    assert all(fits_one_sms(part, reserve) for part in parts)
    numbers = [PREFIX.match(part) for part in parts]
    total = len(parts)
    assert total == 1 or all(
        match and (int(match[1]), int(match[2])) == (index, total)
        for index, match in enumerate(numbers, 1)
    )


@pytest.mark.parametrize(
    ("text", "reserve", "limit"),
    [("a" * 400, 11, GSM7_SINGLE_PART), ("é€ê" * 60, 11, UCS2_SINGLE_PART)],
)
def test_the_reserve_is_kept_free_in_every_part(
    text: str, reserve: int, limit: int
) -> None:
    parts = split_message(text, reserve=reserve)
    assert len(parts) > 1
    assert all(count_parts(part).length + reserve <= limit for part in parts)


def test_a_text_that_fits_is_not_split() -> None:
    assert split_message("Leak in the kitchen") == ["Leak in the kitchen"]
    assert split_message("a" * 149, reserve=11) == ["a" * 149]
    assert len(split_message("a" * 150, reserve=11)) == 2
