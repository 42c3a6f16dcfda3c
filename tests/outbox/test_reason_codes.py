"""The reason codes automations test: stable, snake_case, and listed in the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from custom_components.sms123.limits import Limit
from custom_components.sms123.outbox import Reason, attempts, cancels, dispatcher
from custom_components.sms123.outbox import ledger as ledger_module
from custom_components.sms123.outbox.models import REASON_CODE_NO_ANSWER

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
SNAKE_CASE = re.compile(r"[a-z]+(_[a-z0-9]+)*")


def _fixed_reasons() -> list[Reason]:
    """Return every reason the outbox gives in fixed words."""
    found: list[Reason] = [*ledger_module.HOLD_REASONS.values()]
    for module in (attempts, cancels, dispatcher):
        found += [value for value in vars(module).values() if isinstance(value, Reason)]
    return found


CODES = sorted(
    {reason.code for reason in _fixed_reasons()}
    | {limit.value for limit in Limit}
    | {
        REASON_CODE_NO_ANSWER,
        ledger_module.REASON_CODE_EXPIRED,
        ledger_module.REASON_UNREADABLE,
    }
)


def test_each_fixed_reason_has_its_own_code() -> None:
    """Two different situations never share a code, except the gateway's own."""
    reasons = _fixed_reasons()
    assert len(reasons) >= 10
    by_code: dict[str, set[str]] = {}
    for reason in reasons:
        by_code.setdefault(reason.code, set()).add(reason.text)
    assert {code: texts for code, texts in by_code.items() if len(texts) > 1} == {}


@pytest.mark.parametrize("code", CODES)
def test_reason_code_is_documented(code: str) -> None:
    """Each code is snake_case and named in the README's table of reason codes."""
    assert SNAKE_CASE.fullmatch(code)
    assert f"`{code}`" in README
