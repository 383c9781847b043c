"""Pydantic types for reports and the format editions as data."""

from .editions import Edition, edition_for_year, editions, get_edition
from .report import (
    Cell,
    CellState,
    Certainty,
    LabelDeviation,
    NumberKind,
    NumberMention,
    Paragraph,
    Problem,
    Report,
    Section,
    Source,
)

__all__ = [
    "Cell",
    "CellState",
    "Certainty",
    "Edition",
    "LabelDeviation",
    "NumberKind",
    "NumberMention",
    "Paragraph",
    "Problem",
    "Report",
    "Section",
    "Source",
    "edition_for_year",
    "editions",
    "get_edition",
]
