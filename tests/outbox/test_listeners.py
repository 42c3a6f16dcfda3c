"""The outbox's listener lists: called in order, each removable, even while called."""

from custom_components.sms123.outbox.listeners import Listeners


def test_every_listener_hears_until_removed() -> None:
    """Each callback gets the arguments; a removed one hears nothing more."""
    heard: list[tuple[str, int]] = []
    listeners = Listeners[int]()
    remove_first = listeners.add(lambda count: heard.append(("first", count)))
    listeners.add(lambda count: heard.append(("second", count)))

    listeners(1)
    remove_first()
    listeners(2)

    assert heard == [("first", 1), ("second", 1), ("second", 2)]


def test_a_listener_can_remove_itself_while_called() -> None:
    """Removing oneself during a call does not make the next callback miss it."""
    heard: list[str] = []
    listeners = Listeners[()]()

    def once() -> None:
        heard.append("once")
        remove_once()

    remove_once = listeners.add(once)
    listeners.add(lambda: heard.append("always"))

    listeners()
    listeners()

    assert heard == ["once", "always", "always"]
