"""The one error of the ledger package.

It carries a Chinese message for people and the exit status of the command
line (2: an input could not be used); as every error a person can act on, it
is an ``assistant.errors.NianbaoError``, so the command line catches it in its
one place.
"""

from __future__ import annotations

from ..errors import NianbaoError


class LedgerError(NianbaoError):
    """A register, a mapping, a holiday table or a previous report the ledger cannot use."""
