"""``kaifaqu.policytext``: the framework-free extractor of tasks from policy documents.

It reads a document's text and proposes its measures with their responsible units, deadlines and
targets, every field pointing at the original characters it came from. No Django.
"""

from .errors import UnreadableDocument
from .extraction import extract
from .model import Deadline, ExtractedDocument, Measure, Span, Target, UnitRef
from .reading import read_document

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
