"""Tests for the persistent outbox, against the simulator and a real client."""

from __future__ import annotations

import asyncio
import random
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from unittest.mock import patch

import pytest
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from custom_components.sms123.api import (
    Encoding,
    SendResult,
    Sms123AuthenticationError,
    Sms123Client,
)
from custom_components.sms123.outbox import (
    REASON_ALREADY_SENT,
    REASON_CANCELED_LOCALLY,
    REASON_IN_FLIGHT,
    REASON_NO_CREDIT,
    REASON_UNKNOWN_ID,
    DeliveryResult,
    DeliveryStatus,
    Outbox,
    OutboxItem,
    OutgoingSms,
    async_remove_outbox_store,
)
from sms123_simulator import Account, FaultKind, Simulator
from tests.integration.helpers import advance, code_of

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant

USERNAME = "outbox@example.com"
API_KEY = "outbox-test-key"
STORE_KEY = "sms123.outbox.test"
NUMBERS = ("33601020304", "33601020305", "33601020306")
RETRY_BASE = 10.0
RETRY_CAP = 60.0
MAX_AGE = timedelta(minutes=10)


@pytest.fixture
def account(simulator: Simulator) -> Account:
    """Open the account the outbox sends with."""
    return simulator.add_account(USERNAME, API_KEY, balance=100.0)


@pytest.fixture
async def client(
    hass: HomeAssistant, simulator: Simulator, account: Account
) -> Sms123Client:
    """Build a real client talking to the simulator."""
    return Sms123Client(
        USERNAME,
        API_KEY,
        session=async_get_clientsession(hass),
        base_url=simulator.url,
        request_timeout=0.3,
    )


def build_outbox(
    hass: HomeAssistant, client: Sms123Client, *, bound: int = 8
) -> Outbox:
    """Build an outbox with a short, deterministic retry policy."""
    return Outbox(
        hass,
        client,
        STORE_KEY,
        bound=bound,
        retry_base=RETRY_BASE,
        retry_cap=RETRY_CAP,
        max_age=MAX_AGE,
        rng=random.Random(7),  # noqa: S311 - deterministic jitter, not security
    )


@pytest.fixture
async def outbox(hass: HomeAssistant, client: Sms123Client) -> AsyncIterator[Outbox]:
    """Load and start an outbox, and stop it after the test."""
    box = build_outbox(hass, client)
    await box.async_load()
    box.async_start()
    yield box
    await box.async_stop()


@pytest.fixture
def results(outbox: Outbox) -> list[DeliveryResult]:
    """Collect every final result the outbox reports."""
    seen: list[DeliveryResult] = []
    outbox.async_add_result_listener(seen.append)
    return seen


def sms(
    number: str = NUMBERS[0],
    message: str = "Alarm!",
    **extra: bool | str | datetime | None,
) -> OutgoingSms:
    """Build an outgoing message."""
    return OutgoingSms(number=number, message=message, **extra)


def sent_to(simulator: Simulator, number: str) -> list[str]:
    """Return the codes of the messages the simulator accepted for `number`."""
    return [msg.code for msg in simulator.messages if msg.number == number]


async def test_submit_sends_each_number_in_order(
    outbox: Outbox, simulator: Simulator, account: Account
) -> None:
    """Each recipient gets one request; results come back in input order."""
    results = await outbox.async_submit([sms(number) for number in NUMBERS])

    assert [result.number for result in results] == list(NUMBERS)
    assert {result.status for result in results} == {DeliveryStatus.SENT}
    assert {code_of(result) for result in results} == {"80"}
    assert results[0].parts == 1
    assert results[0].encoding is Encoding.GSM7
    assert sorted(msg.number for msg in simulator.messages) == sorted(NUMBERS)
    assert account.balance == 97
    assert outbox.pending == 0


async def test_batch_costs_one_store_write_before_sending(
    hass: HomeAssistant, outbox: Outbox, simulator: Simulator
) -> None:
    """A whole batch is written once, before the first request."""
    writes_before_request: list[int] = []
    original = Store.async_save

    async def counting_save(store: Store[Any], data: object) -> None:
        writes_before_request.append(len(simulator.requests))
        await original(store, data)

    with patch.object(Store, "async_save", counting_save):
        await outbox.async_submit([sms(number) for number in NUMBERS])

    assert writes_before_request == [0]


async def test_bound_limits_concurrent_requests(
    hass: HomeAssistant, simulator: Simulator, client: Sms123Client
) -> None:
    """No more requests than the bound are in flight at once."""
    in_flight = 0
    peak = 0

    class CountingClient(Sms123Client):
        """A real client that records how many sends overlap."""

        async def send_sms(self, *args: object, **kwargs: object) -> SendResult:
            nonlocal in_flight, peak
            in_flight += 1
            peak = max(peak, in_flight)
            try:
                return await super().send_sms(*args, **kwargs)
            finally:
                in_flight -= 1

    counting = CountingClient(
        USERNAME, API_KEY, session=async_get_clientsession(hass), base_url=simulator.url
    )
    box = build_outbox(hass, counting, bound=2)
    await box.async_load()
    simulator.latency = 0.02
    numbers = [f"3360102030{digit}" for digit in range(6)]

    results = await box.async_submit([sms(number) for number in numbers])

    assert peak == 2
    assert [result.number for result in results] == numbers
    await box.async_stop()


@pytest.mark.parametrize(
    ("options", "status", "code"),
    [
        ({}, DeliveryStatus.SENT, "80"),
        ({"test": True}, DeliveryStatus.TEST, "92"),
        ({"flash": True, "sender_id": "Maison"}, DeliveryStatus.SENT, "80"),
        ({"voice": True}, DeliveryStatus.SENT, "80"),
    ],
)
async def test_send_options_reach_the_gateway(
    outbox: Outbox,
    simulator: Simulator,
    options: dict[str, Any],
    status: DeliveryStatus,
    code: str,
) -> None:
    """Sender ID, flash, voice and test mode are passed on."""
    (result,) = await outbox.async_submit([sms(**options)])

    assert (result.status, code_of(result)) == (status, code)
    (accepted,) = simulator.messages
    assert accepted.test is options.get("test", False)
    assert accepted.flash is options.get("flash", False)
    assert accepted.voice is options.get("voice", False)
    assert accepted.sender_id == options.get("sender_id")


async def test_scheduled_send_is_remembered_until_its_time(
    hass: HomeAssistant,
    outbox: Outbox,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    """An 81 answer keeps the send, with its id, until its time has passed."""
    when = dt_util.utcnow() + timedelta(hours=2)

    (result,) = await outbox.async_submit([sms(scheduled_at=when)])

    assert (result.status, code_of(result)) == (DeliveryStatus.SCHEDULED, "81")
    assert result.scheduled_at == when
    assert outbox.knows(result.id)
    await advance(hass, freezer, 2)
    assert [rec["id"] for rec in hass_storage[STORE_KEY]["data"]["scheduled"]] == [
        result.id
    ]
    assert [rec.id for rec in outbox.scheduled_sends()] == [result.id]

    freezer.tick(timedelta(hours=2, seconds=1))

    assert not outbox.knows(result.id)
    assert outbox.scheduled_sends() == []


@pytest.mark.parametrize(
    ("number", "code"),
    [
        (NUMBERS[2], "101"),  # blacklisted: the recipient sent STOP
        ("262692123456", "93"),  # overseas option off
    ],
)
async def test_permanent_refusal_fails_at_once(
    outbox: Outbox,
    account: Account,
    results: list[DeliveryResult],
    number: str,
    code: str,
) -> None:
    """A refusal the gateway will repeat fails now and leaves the outbox."""
    account.blacklist.add(NUMBERS[2])

    (result,) = await outbox.async_submit([sms(number)])

    assert (result.status, code_of(result)) == (DeliveryStatus.FAILED, code)
    assert results == [result]
    assert outbox.pending == 0


async def test_refused_credentials_fail_with_the_error(
    hass: HomeAssistant, simulator: Simulator, account: Account
) -> None:
    """A refused key fails the message and carries the authentication error."""
    wrong = Sms123Client(
        USERNAME, "wrong", session=async_get_clientsession(hass), base_url=simulator.url
    )
    box = build_outbox(hass, wrong)

    (result,) = await box.async_submit([sms()])

    assert (result.status, code_of(result)) == (DeliveryStatus.FAILED, "82")
    assert isinstance(result.error, Sms123AuthenticationError)
    await box.async_stop()


async def test_duplicate_on_first_try_is_a_failure(
    outbox: Outbox, simulator: Simulator
) -> None:
    """The same text twice in 24 h: the second first try fails with 91."""
    await outbox.async_submit([sms()])

    (result,) = await outbox.async_submit([sms()])

    assert (result.status, code_of(result)) == (DeliveryStatus.FAILED, "91")
    assert sent_to(simulator, NUMBERS[0]) == ["80"]


@pytest.mark.parametrize(
    "fault",
    [
        FaultKind.RESET,
        FaultKind.HTTP_500,
        FaultKind.HTTP_502,
        FaultKind.HTTP_503,
        FaultKind.TECHNICAL_ERROR,
        FaultKind.HTML,
        FaultKind.EMPTY,
        FaultKind.GARBAGE,
    ],
)
async def test_transient_fault_is_queued_then_sent_once(  # noqa: PLR0913 - fixtures
    hass: HomeAssistant,
    outbox: Outbox,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    results: list[DeliveryResult],
    hass_storage: dict[str, Any],
    fault: FaultKind,
) -> None:
    """A transient fault answers queued; the retry delivers it exactly once."""
    simulator.inject(fault, times=1)

    (first,) = await outbox.async_submit([sms()])

    assert first.status is DeliveryStatus.QUEUED
    assert outbox.pending == 1
    assert hass_storage[STORE_KEY]["data"]["items"][0]["number"] == NUMBERS[0]
    await advance(hass, freezer, RETRY_CAP)
    assert [(r.status, code_of(r)) for r in results] == [(DeliveryStatus.SENT, "80")]
    assert sent_to(simulator, NUMBERS[0]) == ["80"]
    assert outbox.pending == 0


async def test_timeout_is_queued_then_sent_once(
    hass: HomeAssistant, client: Sms123Client, simulator: Simulator
) -> None:
    """A gateway that does not answer in time is tried again (real clock)."""
    box = Outbox(hass, client, STORE_KEY, retry_base=0.05, retry_cap=0.05)
    await box.async_load()
    box.async_start()
    results: list[DeliveryResult] = []
    settled = asyncio.Event()
    box.async_add_result_listener(
        lambda result: (results.append(result), settled.set())
    )
    simulator.inject(FaultKind.HANG, times=1, delay=1.0)

    (first,) = await box.async_submit([sms()])
    async with asyncio.timeout(5):
        await settled.wait()

    assert (first.status, code_of(first)) == (DeliveryStatus.QUEUED, None)
    assert [(r.status, code_of(r)) for r in results] == [(DeliveryStatus.SENT, "80")]
    assert sent_to(simulator, NUMBERS[0]) == ["80"]
    await box.async_stop()


async def test_lost_answer_retry_answered_91_counts_as_sent(
    hass: HomeAssistant,
    outbox: Outbox,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    results: list[DeliveryResult],
) -> None:
    """The first try got through but its answer was lost: 91 means sent."""
    simulator.inject(FaultKind.LOST_ANSWER, times=1)

    (first,) = await outbox.async_submit([sms()])
    await advance(hass, freezer, RETRY_CAP)

    assert first.status is DeliveryStatus.QUEUED
    assert [(r.status, code_of(r), r.reason) for r in results] == [
        (DeliveryStatus.SENT, "91", REASON_ALREADY_SENT)
    ]
    assert sent_to(simulator, NUMBERS[0]) == ["80"]


async def test_backoff_doubles_with_jitter_up_to_the_cap(
    hass: HomeAssistant,
    outbox: Outbox,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Each failed try waits between half and all of a doubling delay."""
    simulator.set_outage(FaultKind.HTTP_503)
    await outbox.async_submit([sms()])
    waits: list[float] = []
    for _ in range(4):
        (item,) = outbox.pending_items()
        wait = (item.next_try - dt_util.utcnow()).total_seconds()
        waits.append(wait)
        await advance(hass, freezer, wait)

    ceilings = [RETRY_BASE, 2 * RETRY_BASE, 4 * RETRY_BASE, RETRY_CAP]
    assert all(c / 2 <= w <= c for w, c in zip(waits, ceilings, strict=True))


async def test_gives_up_after_max_age(
    hass: HomeAssistant,
    outbox: Outbox,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    results: list[DeliveryResult],
) -> None:
    """A message still failing when it is too old fails with a reason."""
    simulator.set_outage(FaultKind.RESET)
    await outbox.async_submit([sms()])

    for _ in range(15):
        await advance(hass, freezer, RETRY_CAP)

    (result,) = results
    assert result.status is DeliveryStatus.FAILED
    assert result.reason.startswith("gave up after 0.166667 h:")
    assert outbox.pending == 0
    assert simulator.messages == []


async def test_no_credit_holds_until_credit_returns(  # noqa: PLR0913 - fixtures
    hass: HomeAssistant,
    outbox: Outbox,
    simulator: Simulator,
    account: Account,
    freezer: FrozenDateTimeFactory,
    results: list[DeliveryResult],
) -> None:
    """83 keeps the message; it leaves once the balance is positive again."""
    account.balance = 0

    (first,) = await outbox.async_submit([sms()])
    await advance(hass, freezer, RETRY_CAP)

    assert (first.status, code_of(first), first.reason) == (
        DeliveryStatus.QUEUED,
        "83",
        REASON_NO_CREDIT,
    )
    assert outbox.waiting_for_credit
    assert results == []
    assert [r.path for r in simulator.requests][-1] == "/api/solde/"

    account.balance = 10
    await advance(hass, freezer, RETRY_CAP)

    assert [(r.status, code_of(r)) for r in results] == [(DeliveryStatus.SENT, "80")]
    assert sent_to(simulator, NUMBERS[0]) == ["80"]


async def test_credit_available_wakes_held_messages(
    hass: HomeAssistant,
    outbox: Outbox,
    account: Account,
    freezer: FrozenDateTimeFactory,
    results: list[DeliveryResult],
) -> None:
    """The coordinator can retry held messages as soon as credit is back."""
    account.balance = 0
    await outbox.async_submit([sms()])
    account.balance = 10

    outbox.async_credit_available()
    await advance(hass, freezer, 0)

    assert [r.status for r in results] == [DeliveryStatus.SENT]


async def test_no_credit_until_max_age_fails(
    hass: HomeAssistant,
    outbox: Outbox,
    account: Account,
    freezer: FrozenDateTimeFactory,
    results: list[DeliveryResult],
) -> None:
    """Credit that never comes back fails the message once it is too old."""
    account.balance = 0
    await outbox.async_submit([sms()])

    for _ in range(15):
        await advance(hass, freezer, RETRY_CAP)

    (result,) = results
    assert (result.status, code_of(result)) == (DeliveryStatus.FAILED, "83")
    assert result.reason.endswith(REASON_NO_CREDIT)


async def test_balance_check_failure_keeps_waiting(  # noqa: PLR0913 - fixtures
    hass: HomeAssistant,
    outbox: Outbox,
    simulator: Simulator,
    account: Account,
    freezer: FrozenDateTimeFactory,
    results: list[DeliveryResult],
) -> None:
    """An unanswered balance check counts as no credit yet."""
    account.balance = 0
    await outbox.async_submit([sms()])
    account.balance = 10
    simulator.inject(FaultKind.HTTP_500, times=1, path="/api/solde/")

    await advance(hass, freezer, RETRY_CAP)

    assert results == []
    assert outbox.waiting_for_credit


async def test_restart_resumes_and_sends_exactly_once(
    hass: HomeAssistant,
    client: Sms123Client,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Messages pending at a restart are sent once after it."""
    first_run = build_outbox(hass, client)
    await first_run.async_load()
    first_run.async_start()
    simulator.set_outage(FaultKind.RESET)
    await first_run.async_submit([sms(number) for number in NUMBERS[:2]])
    await first_run.async_stop()

    second_run = build_outbox(hass, client)
    await second_run.async_load()
    pending: list[int] = []
    second_run.async_add_pending_listener(pending.append)
    simulator.set_outage(None)
    second_run.async_start()
    await advance(hass, freezer, RETRY_CAP)

    assert pending[0] == 2
    assert pending[-1] == 0
    assert sorted(msg.number for msg in simulator.messages) == sorted(NUMBERS[:2])
    await second_run.async_stop()


async def test_restart_after_lost_answer_counts_as_sent(
    hass: HomeAssistant,
    client: Sms123Client,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A send that got through before the restart is not sent twice."""
    first_run = build_outbox(hass, client)
    await first_run.async_load()
    simulator.inject(FaultKind.LOST_ANSWER, times=1)
    await first_run.async_submit([sms()])
    await first_run.async_stop()

    second_run = build_outbox(hass, client)
    await second_run.async_load()
    results: list[DeliveryResult] = []
    second_run.async_add_result_listener(results.append)
    second_run.async_start()
    await advance(hass, freezer, RETRY_CAP)

    assert [(r.status, code_of(r)) for r in results] == [(DeliveryStatus.SENT, "91")]
    assert sent_to(simulator, NUMBERS[0]) == ["80"]
    await second_run.async_stop()


async def test_late_scheduled_send_goes_out_at_once(
    hass: HomeAssistant,
    outbox: Outbox,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    results: list[DeliveryResult],
) -> None:
    """A scheduled message retried after its time is sent without delay."""
    simulator.inject(FaultKind.HTTP_503, times=1)
    when = dt_util.utcnow() + timedelta(seconds=90)
    await outbox.async_submit([sms(scheduled_at=when)])

    await advance(hass, freezer, RETRY_CAP)

    assert [(r.status, code_of(r)) for r in results] == [(DeliveryStatus.SENT, "80")]
    (accepted,) = simulator.messages
    assert accepted.diff is None


async def test_cancel_by_id(
    outbox: Outbox, simulator: Simulator, results: list[DeliveryResult]
) -> None:
    """A scheduled send is deleted at the gateway by its id."""
    when = dt_util.utcnow() + timedelta(hours=1)
    (scheduled,) = await outbox.async_submit([sms(scheduled_at=when)])

    (canceled,) = await outbox.async_cancel_ids([scheduled.id])

    assert (canceled.status, code_of(canceled)) == (DeliveryStatus.CANCELED, "94")
    assert canceled.id == scheduled.id
    assert simulator.scheduled == []
    assert not outbox.knows(scheduled.id)
    assert [r.status for r in results] == [
        DeliveryStatus.SCHEDULED,
        DeliveryStatus.CANCELED,
    ]


async def test_cancel_by_fields(outbox: Outbox, simulator: Simulator) -> None:
    """A scheduled send is deleted by number, text and time."""
    when = dt_util.utcnow() + timedelta(hours=1)
    (scheduled,) = await outbox.async_submit([sms(scheduled_at=when)])

    (canceled,) = await outbox.async_cancel_matching([NUMBERS[0]], "Alarm!", when)

    assert (canceled.status, code_of(canceled)) == (DeliveryStatus.CANCELED, "94")
    assert canceled.id == scheduled.id
    assert not outbox.knows(scheduled.id)
    assert simulator.scheduled == []


async def test_cancel_unknown_to_the_gateway_fails_with_95(outbox: Outbox) -> None:
    """The gateway answers 95 when it has no such scheduled send."""
    when = dt_util.utcnow() + timedelta(hours=1)

    (result,) = await outbox.async_cancel_matching([NUMBERS[0]], "Nothing", when)

    assert (result.status, code_of(result)) == (DeliveryStatus.FAILED, "95")
    assert result.error is not None


async def test_cancel_unknown_id_fails_without_request(
    outbox: Outbox, simulator: Simulator
) -> None:
    """An id the outbox does not know is refused locally."""
    (result,) = await outbox.async_cancel_ids(["nope"])

    assert (result.status, result.reason) == (DeliveryStatus.FAILED, REASON_UNKNOWN_ID)
    assert simulator.requests == []


@pytest.mark.parametrize("by_id", [True, False])
async def test_cancel_queued_scheduled_send_locally(
    outbox: Outbox, simulator: Simulator, by_id: bool
) -> None:
    """A scheduled send still in the outbox is dropped without a request."""
    simulator.inject(FaultKind.HTTP_503, times=1)
    when = dt_util.utcnow() + timedelta(hours=1)
    (queued,) = await outbox.async_submit([sms(scheduled_at=when)])
    requests = len(simulator.requests)

    if by_id:
        (result,) = await outbox.async_cancel_ids([queued.id])
    else:
        (result,) = await outbox.async_cancel_matching([NUMBERS[0]], "Alarm!", when)

    assert (result.status, result.reason) == (
        DeliveryStatus.CANCELED,
        REASON_CANCELED_LOCALLY,
    )
    assert outbox.pending == 0
    assert len(simulator.requests) == requests


async def test_cancel_while_in_flight_is_refused(
    outbox: Outbox, simulator: Simulator
) -> None:
    """A message on its way to the gateway cannot be dropped."""
    simulator.latency = 0.1
    when = dt_util.utcnow() + timedelta(hours=1)
    stored = asyncio.Event()
    outbox.async_add_pending_listener(lambda count: stored.set() if count else None)
    sending = asyncio.ensure_future(outbox.async_submit([sms(scheduled_at=when)]))
    async with asyncio.timeout(5):
        await stored.wait()
    (item,) = outbox.pending_items()

    (result,) = await outbox.async_cancel_ids([item.id])

    assert (result.status, result.reason) == (DeliveryStatus.FAILED, REASON_IN_FLIGHT)
    (sent,) = await sending
    assert sent.status is DeliveryStatus.SCHEDULED


async def test_listeners_can_unsubscribe(outbox: Outbox) -> None:
    """Removed listeners hear nothing more."""
    seen: list[DeliveryResult] = []
    counts: list[int] = []
    remove_result = outbox.async_add_result_listener(seen.append)
    remove_pending = outbox.async_add_pending_listener(counts.append)
    await outbox.async_submit([sms()])
    remove_result()
    remove_pending()

    await outbox.async_submit([sms(NUMBERS[1])])

    assert len(seen) == 1
    assert counts == [1, 0]


async def test_remove_deletes_the_store(
    hass: HomeAssistant,
    client: Sms123Client,
    simulator: Simulator,
    hass_storage: dict[str, Any],
) -> None:
    """Removing the account removes its outbox store."""
    box = build_outbox(hass, client)
    await box.async_load()
    simulator.set_outage(FaultKind.RESET)
    await box.async_submit([sms()])
    await box.async_stop()
    assert STORE_KEY in hass_storage

    await async_remove_outbox_store(hass, STORE_KEY)

    assert STORE_KEY not in hass_storage


def test_store_round_trip_keeps_every_field() -> None:
    """An item read back from the store equals the one written."""
    now = datetime(2030, 1, 2, 3, 4, tzinfo=dt_util.UTC)
    item_data = {
        "id": "abc",
        "number": NUMBERS[0],
        "message": "Hi",
        "sender_id": "Maison",
        "flash": True,
        "voice": False,
        "test": True,
        "scheduled_at": now.isoformat(),
        "created_at": now.isoformat(),
        "next_try": now.isoformat(),
        "attempts": 3,
        "held": True,
        "last_code": "83",
        "last_reason": REASON_NO_CREDIT,
    }
    assert OutboxItem.from_dict(item_data).as_dict() == item_data
