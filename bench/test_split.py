"""Benchmark: counting and splitting a message at the cap of SMS per message."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from bench.helpers import median, ms
from custom_components.sms123.api import MAX_PARTS, count_parts, split_message
from custom_components.sms123.outbox import SUFFIX_ROOM

if TYPE_CHECKING:
    from bench.report import Report

RUNS = 200
TARGET = 0.005
# The longest message (title and text) the send path takes before counting parts.
LONGEST = 1600
SENTENCES = {
    "GSM-7": "The water sensor under the kitchen sink reports a leak; "
    "the main valve was closed and the pump started. ",
    "UCS-2": "Fenêtre du salon ouverte, chauffage coupé à 21 h ; alarme armée. ",
    "GSM-7 extension": "Levels {garage|cellar} [ok] ~ 12 € ^ ",
    "emoji": "Leak 💧 in the kitchen, valve closed 🔧 ",
}


def repeated(sentence: str, length: int) -> str:
    """Return `sentence` repeated and cut to `length` characters, end trimmed."""
    return (sentence * (length // len(sentence) + 1))[:length].rstrip()


def at_the_cap() -> str:
    """Return the longest GSM-7 text that splits into exactly MAX_PARTS parts.

    Split as the send path does by default (room kept for a repeat suffix).
    """
    sentence = SENTENCES["GSM-7"]
    found = ""
    for length in range(MAX_PARTS * 100, LONGEST + 1, 10):
        text = repeated(sentence, length)
        if count_parts(text).parts > MAX_PARTS:
            break
        if len(split_message(text, reserve=SUFFIX_ROOM)) == MAX_PARTS:
            found = text
    assert found, "no text splits into exactly MAX_PARTS parts"
    return found


def timed(text: str, *, count: bool) -> float:
    """Return the median time of splitting `text` (after counting it, if asked)."""
    durations: list[float] = []
    for _ in range(RUNS):
        started = time.perf_counter()
        if count:
            count_parts(text)
        split_message(text, reserve=SUFFIX_ROOM)
        durations.append(time.perf_counter() - started)
    return median(durations)


async def test_split_at_the_cap(report: Report) -> None:
    """Split a 10-part text, and count and split the longest text of each kind."""
    capped = at_the_cap()
    assert len(split_message(capped, reserve=SUFFIX_ROOM)) == MAX_PARTS
    split_time = timed(capped, count=False)

    longest: dict[str, float] = {}
    parts: dict[str, int] = {}
    for kind, sentence in SENTENCES.items():
        text = repeated(sentence, LONGEST)
        parts[kind] = len(split_message(text, reserve=SUFFIX_ROOM))
        longest[kind] = timed(text, count=True)
    slowest = max(longest, key=longest.__getitem__)

    report.add(
        f"Split: `split_message` of a {len(capped)}-character GSM-7 text into "
        f"exactly {MAX_PARTS} parts (room kept for a repeat suffix; median of {RUNS})",
        ms(split_time),
        f"< {ms(TARGET)}",
        met=split_time < TARGET,
    )
    report.add(
        f"Split: `count_parts` + `split_message` of the longest text the send path "
        f"takes ({LONGEST} characters; slowest of {len(SENTENCES)} kinds of text, "
        f"median of {RUNS})",
        f"{ms(longest[slowest])} ({slowest}, {parts[slowest]} parts; "
        + ", ".join(f"{kind} {ms(value)}" for kind, value in longest.items())
        + ")",
        f"< {ms(TARGET)}",
        met=longest[slowest] < TARGET,
    )
    report.notes.append(
        f"Split: a text over {MAX_PARTS} parts is refused after `count_parts` (or "
        "after the split, when the numbering pushes it over); the longest texts "
        "time both anyway, as the worst case of the two functions."
    )
    print(f"split: cap {split_time * 1e3:.3f} ms, longest {longest}, parts {parts}")
