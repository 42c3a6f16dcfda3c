"""Tests for the persistent outbox, against the simulator and a real client."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from itertools import pairwise
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
    REASON_NO_COPY,
    REASON_NO_CREDIT,
    REASON_PREVIOUS_PART,
    REASON_STOPPED,
    REASON_TOO_LATE,
    REASON_UNKNOWN_ID,
    STORAGE_VERSION,
    AccountRefusal,
    DeliveryResult,
    DeliveryStatus,
    Hold,
    Outbox,
    OutboxFullError,
    OutboxSettings,
    OutboxStore,
    OutgoingSms,
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
PROBE_BASE = 10.0
PROBE_CAP = 60.0
HORIZON = timedelta(minutes=10)


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
    """Build an outbox with short probes and a short horizon."""
    return Outbox(
        hass,
        client,
        STORE_KEY,
        OutboxSettings(
            bound=bound, probe_base=PROBE_BASE, probe_cap=PROBE_CAP, horizon=HORIZON
        ),
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


async def unanswered_schedule(
    outbox: Outbox, simulator: Simulator, ahead: timedelta
) -> DeliveryResult:
    """Schedule a send `ahead` whose first try reached the gateway, unanswered."""
    simulator.inject(FaultKind.LOST_ANSWER, times=1)
    (queued,) = await outbox.async_submit([sms(scheduled_at=dt_util.utcnow() + ahead)])
    return queued


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
    assert outbox.send_ids(result.id) == [result.id]
    await advance(hass, freezer, 2)
    assert [rec["id"] for rec in hass_storage[STORE_KEY]["data"]["scheduled"]] == [
        result.id
    ]
    assert [rec.id for rec in outbox.scheduled_sends()] == [result.id]

    freezer.tick(timedelta(hours=2, seconds=1))

    assert outbox.send_ids(result.id) == []
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
    assert hass_storage[STORE_KEY]["data"]["items"][0]["sms"]["number"] == NUMBERS[0]
    await advance(hass, freezer, PROBE_CAP)
    assert [(r.status, code_of(r)) for r in results] == [(DeliveryStatus.SENT, "80")]
    assert sent_to(simulator, NUMBERS[0]) == ["80"]
    assert outbox.pending == 0


async def test_timeout_is_queued_then_sent_once(
    hass: HomeAssistant, client: Sms123Client, simulator: Simulator
) -> None:
    """A gateway that does not answer in time is tried again (real clock)."""
    box = Outbox(
        hass, client, STORE_KEY, OutboxSettings(probe_base=0.05, probe_cap=0.05)
    )
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
    await advance(hass, freezer, PROBE_CAP)

    assert first.status is DeliveryStatus.QUEUED
    assert [(r.status, code_of(r), r.reason) for r in results] == [
        (DeliveryStatus.SENT, "91", REASON_ALREADY_SENT.text)
    ]
    assert sent_to(simulator, NUMBERS[0]) == ["80"]


async def test_probes_double_up_to_the_cap_while_the_gateway_is_down(
    hass: HomeAssistant,
    outbox: Outbox,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Three pending messages, one probe per step: 10 s, 20 s, 40 s, then 60 s."""
    simulator.set_outage(FaultKind.HTTP_503)
    await outbox.async_submit([sms(number) for number in NUMBERS])
    sent_before = len(simulator.requests)
    for _ in range(14):
        await advance(hass, freezer, 5)
    times = [r.at for r in simulator.requests[sent_before:]]

    gaps = [(later - earlier).total_seconds() for earlier, later in pairwise(times)]
    assert outbox.gateway_down
    assert len(times) == 3  # at 10 s, 30 s and 70 s from the last failure
    assert gaps == [20.0, 40.0]


async def test_gives_up_after_the_horizon(
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
        await advance(hass, freezer, PROBE_CAP)

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
    """83 keeps the message, untried, until a balance read shows credit."""
    account.balance = 0

    (first,) = await outbox.async_submit([sms()])
    await advance(hass, freezer, PROBE_CAP)

    assert (first.status, code_of(first), first.reason) == (
        DeliveryStatus.QUEUED,
        "83",
        REASON_NO_CREDIT.text,
    )
    assert [item.hold for item in outbox.pending_items()] == [Hold.CREDIT]
    assert results == []
    assert len(simulator.requests) == 1

    outbox.async_gateway_answered(0)
    await advance(hass, freezer, PROBE_CAP)
    assert results == []

    account.balance = 10
    outbox.async_gateway_answered(10)
    await advance(hass, freezer, 0)

    assert [(r.status, code_of(r)) for r in results] == [(DeliveryStatus.SENT, "80")]
    assert sent_to(simulator, NUMBERS[0]) == ["80"]


async def test_no_credit_until_the_horizon_fails(
    hass: HomeAssistant,
    outbox: Outbox,
    account: Account,
    freezer: FrozenDateTimeFactory,
    results: list[DeliveryResult],
) -> None:
    """Credit that never comes back fails the message at its horizon."""
    account.balance = 0
    await outbox.async_submit([sms()])

    for _ in range(15):
        await advance(hass, freezer, PROBE_CAP)

    (result,) = results
    assert (result.status, code_of(result)) == (DeliveryStatus.FAILED, "83")
    assert result.reason.endswith(REASON_NO_CREDIT.text)


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
    await advance(hass, freezer, PROBE_CAP)

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
    await advance(hass, freezer, PROBE_CAP)

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

    await advance(hass, freezer, PROBE_CAP)

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
    assert outbox.send_ids(scheduled.id) == []
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
    assert outbox.send_ids(scheduled.id) == []
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

    assert (result.status, result.reason) == (
        DeliveryStatus.FAILED,
        REASON_UNKNOWN_ID.text,
    )
    assert simulator.requests == []


async def test_cancel_queued_scheduled_send_locally_when_no_try_reached_it(
    outbox: Outbox, simulator: Simulator
) -> None:
    """A send the gateway answered -2 to is not there: it is dropped locally."""
    simulator.inject(FaultKind.TECHNICAL_ERROR, times=1)
    when = dt_util.utcnow() + timedelta(hours=1)
    (queued,) = await outbox.async_submit([sms(scheduled_at=when)])
    requests = len(simulator.requests)

    (by_id,) = await outbox.async_cancel_ids([queued.id])

    assert (by_id.status, by_id.reason) == (
        DeliveryStatus.CANCELED,
        REASON_CANCELED_LOCALLY.text,
    )
    assert outbox.pending == 0
    assert len(simulator.requests) == requests


async def test_cancel_by_fields_of_a_queued_scheduled_send(
    outbox: Outbox, simulator: Simulator
) -> None:
    """The same, found by number, text and time."""
    simulator.inject(FaultKind.TECHNICAL_ERROR, times=1)
    when = dt_util.utcnow() + timedelta(hours=1)
    await outbox.async_submit([sms(scheduled_at=when)])

    (result,) = await outbox.async_cancel_matching([NUMBERS[0]], "Alarm!", when)

    assert result.status is DeliveryStatus.CANCELED
    assert outbox.pending == 0


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

    assert (result.status, result.reason) == (
        DeliveryStatus.FAILED,
        REASON_IN_FLIGHT.text,
    )
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

    await OutboxStore(hass, STORE_KEY).async_remove()

    assert STORE_KEY not in hass_storage


async def test_a_full_outbox_refuses_new_messages_without_storing_them(
    hass: HomeAssistant, client: Sms123Client, simulator: Simulator
) -> None:
    """Over the capacity, a batch is refused whole, before any request."""
    box = Outbox(hass, client, STORE_KEY, OutboxSettings(capacity=3))
    await box.async_load()
    simulator.set_outage(FaultKind.RESET)
    await box.async_submit([sms(number) for number in NUMBERS[:2]])
    requests = len(simulator.requests)

    with pytest.raises(OutboxFullError) as caught:
        await box.async_submit([sms(number) for number in NUMBERS[1:]])

    assert (caught.value.pending, caught.value.capacity) == (2, 3)
    assert box.pending == 2
    assert len(simulator.requests) == requests
    await box.async_stop()


async def test_an_outbox_of_the_previous_release_is_read(
    hass: HomeAssistant, client: Sms123Client, hass_storage: dict[str, Any]
) -> None:
    """Version 1 records (flat, without batch) are migrated on load."""
    now = dt_util.utcnow()
    flat = {
        "id": "old",
        "number": NUMBERS[0],
        "message": "Hi",
        "sender_id": "Maison",
        "flash": False,
        "voice": False,
        "test": False,
        "scheduled_at": (now + timedelta(hours=1)).isoformat(),
        "created_at": now.isoformat(),
        "next_try": now.isoformat(),
        "attempts": 0,
        "held": False,
        "last_code": None,
        "last_reason": None,
    }
    scheduled = {
        "id": "later",
        "number": NUMBERS[1],
        "message": "Later",
        "scheduled_at": (now + timedelta(hours=2)).isoformat(),
    }
    hass_storage[STORE_KEY] = {
        "version": 1,
        "minor_version": 1,
        "key": STORE_KEY,
        "data": {"items": [flat], "scheduled": [scheduled]},
    }
    box = build_outbox(hass, client)

    await box.async_load()

    (item,) = box.pending_items()
    # Any stored message may have been on its way when Home Assistant stopped.
    assert (item.id, item.batch, item.sms.sender_id, item.maybe_at_gateway) == (
        "old",
        "old",
        "Maison",
        True,
    )
    assert [(rec.id, rec.batch) for rec in box.scheduled_sends()] == [
        ("later", "later")
    ]
    assert hass_storage[STORE_KEY]["version"] == STORAGE_VERSION


async def test_what_was_sent_is_remembered_for_24_hours_across_restarts(
    hass: HomeAssistant,
    client: Sms123Client,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    """The history keeps a fingerprint of each delivery, never the text."""
    first_run = build_outbox(hass, client)
    await first_run.async_load()
    await first_run.async_submit([sms(message="Secret door code 1234")])
    await first_run.async_stop()
    stored = str(hass_storage[STORE_KEY]["data"])

    second_run = build_outbox(hass, client)
    await second_run.async_load()

    assert second_run.is_repeat(NUMBERS[0], "Secret door code 1234")
    assert not second_run.is_repeat(NUMBERS[1], "Secret door code 1234")
    assert "Secret door code" not in stored
    freezer.tick(timedelta(hours=24, seconds=1))
    assert not second_run.is_repeat(NUMBERS[0], "Secret door code 1234")
    await second_run.async_stop()


async def test_a_pending_text_counts_as_a_repeat(
    outbox: Outbox, simulator: Simulator
) -> None:
    """A message still waiting to be sent would make its twin a 91 too."""
    simulator.set_outage(FaultKind.RESET)
    await outbox.async_submit([sms()])

    assert outbox.is_repeat(NUMBERS[0], "Alarm!")
    assert not outbox.is_repeat(NUMBERS[0], "Other")


async def test_refused_credentials_on_a_retry_hold_until_the_account_answers(  # noqa: PLR0913
    hass: HomeAssistant,
    outbox: Outbox,
    simulator: Simulator,
    account: Account,
    freezer: FrozenDateTimeFactory,
    results: list[DeliveryResult],
) -> None:
    """A key refused on a retry holds the message and tells the listener once."""
    refusals: list[AccountRefusal] = []
    outbox.async_add_refusal_listener(refusals.append)
    simulator.set_outage(FaultKind.RESET)
    await outbox.async_submit([sms()])
    account.api_key = "rotated-key-0123456789"
    simulator.set_outage(None)
    await advance(hass, freezer, PROBE_CAP)
    await advance(hass, freezer, PROBE_CAP)

    assert refusals == [AccountRefusal.CREDENTIALS]
    assert [item.hold for item in outbox.pending_items()] == [Hold.CREDENTIALS]
    assert results == []

    account.api_key = API_KEY
    outbox.async_gateway_answered(50)
    await advance(hass, freezer, 0)

    assert [r.status for r in results] == [DeliveryStatus.SENT]


async def test_a_cancel_that_cannot_reach_the_gateway_is_retried(
    hass: HomeAssistant,
    outbox: Outbox,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    results: list[DeliveryResult],
) -> None:
    """The delete a cancel needs is kept and tried again; the send never goes."""
    queued = await unanswered_schedule(outbox, simulator, timedelta(hours=1))
    simulator.set_outage(FaultKind.RESET)

    (answer,) = await outbox.async_cancel_ids([queued.id])
    simulator.set_outage(None)
    await advance(hass, freezer, PROBE_CAP)

    assert answer.status is DeliveryStatus.QUEUED
    assert [(r.status, code_of(r)) for r in results] == [
        (DeliveryStatus.CANCELED, "94")
    ]
    assert simulator.scheduled == []
    assert [m.diff for m in simulator.messages if m.code == "81"] == [
        simulator.messages[0].diff
    ]


async def test_a_cancel_finds_no_copy_at_the_gateway(
    outbox: Outbox, simulator: Simulator
) -> None:
    """An unanswered try that never got stored: the delete says 95, it is canceled."""
    when = dt_util.utcnow() + timedelta(hours=1)
    simulator.inject(FaultKind.HTTP_503, times=1)
    (queued,) = await outbox.async_submit([sms(scheduled_at=when)])

    (answer,) = await outbox.async_cancel_ids([queued.id])

    assert (answer.status, answer.code, answer.reason) == (
        DeliveryStatus.CANCELED,
        None,
        REASON_NO_COPY.text,
    )
    assert outbox.pending == 0


async def test_a_cancel_refused_for_good_fails(
    outbox: Outbox, simulator: Simulator, account: Account
) -> None:
    """A delete the gateway refuses (here the key) fails: the copy may remain."""
    queued = await unanswered_schedule(outbox, simulator, timedelta(hours=1))
    account.api_key = "rotated-key-0123456789"

    (answer,) = await outbox.async_cancel_ids([queued.id])

    assert (answer.status, code_of(answer)) == (DeliveryStatus.FAILED, "82")
    assert outbox.pending == 0


async def test_a_technical_error_on_a_cancel_queues_it(
    hass: HomeAssistant,
    outbox: Outbox,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    results: list[DeliveryResult],
) -> None:
    """-2 on the delete: queued, then canceled by the next try."""
    queued = await unanswered_schedule(outbox, simulator, timedelta(hours=1))
    simulator.inject(FaultKind.TECHNICAL_ERROR, times=1)

    (answer,) = await outbox.async_cancel_ids([queued.id])
    await advance(hass, freezer, PROBE_CAP)

    assert (answer.status, code_of(answer)) == (DeliveryStatus.QUEUED, "-2")
    assert [(r.status, code_of(r)) for r in results] == [
        (DeliveryStatus.CANCELED, "94")
    ]


async def test_a_queued_cancel_past_the_time_is_too_late(
    hass: HomeAssistant,
    outbox: Outbox,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    results: list[DeliveryResult],
) -> None:
    """The gateway stays down past the time: what it held went out; say so."""
    queued = await unanswered_schedule(outbox, simulator, timedelta(minutes=3))
    simulator.set_outage(FaultKind.RESET)
    await outbox.async_cancel_ids([queued.id])
    for _ in range(4):
        await advance(hass, freezer, PROBE_CAP)

    assert [(r.status, r.reason) for r in results] == [
        (DeliveryStatus.FAILED, REASON_TOO_LATE.text)
    ]
    assert simulator.copies(NUMBERS[0], "Alarm!") == 1


async def test_stopping_during_the_first_write_keeps_the_messages(
    hass: HomeAssistant, client: Sms123Client, simulator: Simulator
) -> None:
    """A stop that catches the batch before its write: queued, stored, tried later."""
    box = build_outbox(hass, client)
    await box.async_load()
    writing, release = asyncio.Event(), asyncio.Event()
    original = Store.async_save

    async def slow_save(store: Store[Any], data: object) -> None:
        writing.set()
        await release.wait()
        await original(store, data)

    with patch.object(Store, "async_save", slow_save):
        sending = hass.async_create_task(box.async_submit([sms()]))
        await writing.wait()
        stopping = hass.async_create_task(box.async_stop())
        await asyncio.sleep(0)
        release.set()
        (result,) = await sending
        await stopping

    assert (result.status, result.reason) == (
        DeliveryStatus.QUEUED,
        REASON_STOPPED.text,
    )
    assert simulator.messages == []
    resumed = build_outbox(hass, client)
    await resumed.async_load()
    assert [item.sms.message for item in resumed.pending_items()] == ["Alarm!"]


async def test_parts_after_a_failed_part_wait_for_it(
    hass: HomeAssistant,
    outbox: Outbox,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Part 1 queued: parts 2 and 3 are not tried before it; all go out in order."""
    simulator.inject(FaultKind.HTTP_503, times=1)
    parts = [sms(message=f"({n}/3) part {n}") for n in (1, 2, 3)]

    results = await outbox.async_submit(parts)
    await advance(hass, freezer, PROBE_CAP)

    assert [(r.status, r.reason) for r in results[1:]] == [
        (DeliveryStatus.QUEUED, REASON_PREVIOUS_PART.text)
    ] * 2
    assert [m.message for m in simulator.messages] == [p.message for p in parts]


async def test_unreadable_records_are_skipped_quietly_when_they_name_nobody(
    hass: HomeAssistant,
    client: Sms123Client,
    simulator: Simulator,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """A record that is not even an object, and a bad history time, are skipped."""
    now = dt_util.utcnow().isoformat()
    good = {
        "id": "good",
        "batch": "good",
        "sms": {"number": NUMBERS[0], "message": "Fine"},
        "created_at": now,
        "next_try": now,
    }
    hass_storage[STORE_KEY] = {
        "version": STORAGE_VERSION,
        "minor_version": 1,
        "key": STORE_KEY,
        "data": {
            "items": ["garbage", good],
            "scheduled": [],
            "history": {"abc": "not a time", "def": now},
        },
    }
    box = build_outbox(hass, client)
    seen: list[DeliveryResult] = []
    box.async_add_result_listener(seen.append)

    await box.async_load()
    box.async_start()
    await advance(hass, freezer, 0)

    assert [(r.status, r.number) for r in seen] == [(DeliveryStatus.SENT, NUMBERS[0])]
    await box.async_stop()


async def test_pending_parts_follow_what_waits(
    hass: HomeAssistant,
    outbox: Outbox,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The parts waiting, by number and in all, rise and fall with the messages."""
    simulator.set_outage(FaultKind.RESET)
    await outbox.async_submit(
        [
            sms(message="x" * 161),  # two parts
            sms(NUMBERS[1]),
            sms(NUMBERS[1], "Only a test", test=True),  # counts for nothing
        ]
    )
    waiting = (outbox.pending_parts(), *(outbox.pending_parts(n) for n in NUMBERS))

    simulator.set_outage(None)
    outbox.async_gateway_answered(50)
    await advance(hass, freezer, 0)

    assert waiting == (3, 2, 1, 0)
    assert (
        outbox.pending,
        outbox.pending_parts(),
        outbox.pending_parts(NUMBERS[0]),
    ) == (
        0,
        0,
        0,
    )
