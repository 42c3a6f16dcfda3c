"""Tests for answer parsing, including arbitrary bytes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custom_components.sms123.api import Sms123UnexpectedAnswerError
from custom_components.sms123.api.answer import Answer, body_preview, parse_answer


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"80", Answer(value="80")),
        (b"  E505 \n", Answer(value="E505")),
        (b"-2", Answer(value="-2")),
        (b"\xef\xbb\xbf81\n", Answer(value="81")),
        (b"80 ref-1", Answer(value="80", reference="ref-1")),
        (b"80|ref 1", Answer(value="80", reference="ref 1")),
        (b"97,5", Answer(value="97,5")),
        (b'{"CODE": "E501"}', Answer(value="E501")),
        (b'{"code": "80", "id": 42}', Answer(value="80", reference="42")),
        (b'{"result": "-1", "ref": ""}', Answer(value="-1")),
        (b"80.5", Answer(value="80.5")),
        (b"<response><code> 84 </code></response>", Answer(value="84")),
        (b"<r><x>1</x><retour>90</retour></r>", Answer(value="90")),
        (b"<code>80</code>", Answer(value="80")),
        (
            b"<response><code>80</code><reference> </reference></response>",
            Answer(value="80"),
        ),
    ],
)
def test_parse_answer(body: bytes, expected: Answer) -> None:
    assert parse_answer(body) == expected


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"   \n",
        b"OK",
        b"80abc",
        b"E",
        b"12345678901234",
        b"<html><head><title>502</title></head><body>Bad gateway</body></html>",
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "80">]><r>&a;</r>',
        b"<response><code></code></response>",
        b"<response><other>80</other></response>",
        b"<unclosed>",
        b'{"message": "error"}',
        b'{"code": true}',
        b'{"code": [80]}',
        b"[80]",
        b"null",
        b"{broken",
        pytest.param(b"[" * 5000, id="deep-json"),
        b'"80 ref"',
        b"\xff\xfe\x00\x01",
        pytest.param(b"80 " + b"x" * 70000, id="huge"),
    ],
)
def test_parse_answer_rejects(body: bytes) -> None:
    with pytest.raises(
        Sms123UnexpectedAnswerError, match="answered something unexpected"
    ):
        parse_answer(body)


def test_preview_is_short_and_redacted() -> None:
    body = b"x" * 10 + b"sk-key" + b"y" * 100
    preview = body_preview(body, ("sk-key", ""))
    assert "sk-key" not in preview
    assert preview == repr((b"x" * 10 + b"<redacted>" + b"y" * 100)[:64])


def test_answer_balance() -> None:
    assert Answer(value="97,5").balance == 97.5
    assert Answer(value="E505").balance is None
    assert Answer(value="E505").is_code
    assert not Answer(value="97.5").is_code


@settings(database=None, max_examples=300)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_raise_only_our_error(body: bytes) -> None:
    try:
        answer = parse_answer(body, ("secret",))
    except Sms123UnexpectedAnswerError as err:
        message = str(err)
        assert "secret" not in message
        return
    assert answer.is_code or answer.balance is not None


WRAPPERS = st.sampled_from(
    [
        "{v}",
        " {v}\n",
        '{{"code": "{v}"}}',
        "<r><code>{v}</code></r>",
        "<c>{v}</c>",
        "{v} {v}",
    ]
)


@settings(database=None, max_examples=300)
@given(
    WRAPPERS,
    st.text(alphabet="0123456789E-.,<>&{}\"' \n", max_size=12),
)
def test_near_miss_answers_raise_only_our_error(wrapper: str, value: str) -> None:
    body = wrapper.format(v=value).encode()
    try:
        answer = parse_answer(body)
    except Sms123UnexpectedAnswerError:
        return
    assert answer.is_code or answer.balance is not None
