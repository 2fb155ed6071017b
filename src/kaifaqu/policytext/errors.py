"""Errors the policy-text package raises."""


class UnreadableDocument(Exception):
    """A file that yields no text; the message is the reason in Chinese, ready to show."""
