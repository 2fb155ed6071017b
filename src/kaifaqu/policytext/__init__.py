"""``kaifaqu.policytext``: the framework-free extractor of tasks from policy documents.

It reads a document's text and proposes its measures with their responsible units, deadlines and
targets, every field pointing at the original characters it came from. No Django.
"""

from datetime import date
from pathlib import Path

from .errors import UnreadableDocument
from .model import Deadline, ExtractedDocument, Measure, Span, Target, UnitRef

__all__ = [
    "Deadline",
    "ExtractedDocument",
    "Measure",
    "Span",
    "Target",
    "UnitRef",
    "UnreadableDocument",
    "extract",
    "read_document",
]


def extract(text: str, *, issued: date | None = None) -> ExtractedDocument:
    raise NotImplementedError


def read_document(path: Path) -> str:
    raise NotImplementedError
