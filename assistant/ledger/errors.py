"""The one error of the ledger package.

It carries a Chinese message for people and the exit status of the command
line (2: an input could not be used). When ``assistant.errors.NianbaoError``
lands, this class becomes its subclass and nothing else changes.
"""

from __future__ import annotations


class LedgerError(ValueError):
    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code

    def __str__(self) -> str:
        return self.message
