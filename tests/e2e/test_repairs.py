"""A refusal the user can fix from the Repairs panel, in a real Home Assistant."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from harness import wait_until

if TYPE_CHECKING:
    from conftest import Demo

NUMBER = "+33 6 30 00 00 01"
CANONICAL = "33630000001"
MENTION = " STOP SMS au 36177"
SETTLE = 30.0


async def _stop_mention_issue(demo: Demo) -> dict[str, Any] | None:
    """Return the open "stop mention" repair of the integration, if there is one."""
    listed = await demo.api.ws("repairs/list_issues")
    return next(
        (
            issue
            for issue in listed["issues"]
            if issue["domain"] == "sms123"
            and issue["translation_key"] == "stop_mention_required"
        ),
        None,
    )


async def test_the_stop_mention_repair_and_its_fix_flow(demo: Demo) -> None:
    """102 raises the repair; its fix turns the option on; the next SMS goes out."""
    demo.account.stop_mention_required = True
    try:
        status, _ = await demo.send_sms(
            recipients=[NUMBER], message="Door open", sender_id="Maison"
        )
        assert status != 200
        issue = await wait_until(
            lambda: _stop_mention_issue(demo), within=SETTLE, what="the repair"
        )
        assert issue["is_fixable"]

        flow = await demo.api.request(
            "POST",
            "/api/repairs/issues/fix",
            {"handler": "sms123", "issue_id": issue["issue_id"]},
        )
        assert flow["step_id"] == "confirm"
        done = await demo.api.request(
            "POST", f"/api/repairs/issues/fix/{flow['flow_id']}", {}
        )
        assert done["type"] == "create_entry"

        async def reloaded() -> bool | None:
            """Tell when the account is loaded again with its new option."""
            return True if await demo.entry_states() == ["loaded"] else None

        await wait_until(reloaded, within=SETTLE, what="the account to reload")
        status, body = await demo.send_sms(
            recipients=[NUMBER], message="Door open", sender_id="Maison"
        )
        assert status == 200, body
        [result] = body["service_response"]["recipients"]
        assert (result["number"], result["status"]) == (CANONICAL, "sent")
        assert demo.simulator.delivered[-1].message == f"Door open{MENTION}"
        assert await _stop_mention_issue(demo) is None
    finally:
        demo.account.stop_mention_required = False
