"""The schema library of the running Home Assistant, typed for every release."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sys

    # Newer Home Assistant types its schemas with probatio, which it installs under
    # the voluptuous name at run time; older releases use voluptuous itself.
    if sys.version_info >= (3, 14):
        import probatio as vol
    else:
        import voluptuous as vol
else:
    import voluptuous as vol

__all__ = ["vol"]
