"""Similar requests for the dispatcher: the same enterprise's, or those whose text shares enough
character bigrams with this one (Jaccard coefficient ≥ ``RequestRules.similar_threshold``).

Chinese has no spaces between words, so words are not split out: the text's overlapping pairs of
characters (punctuation and spaces dropped) stand for it, and two texts are as similar as the
share of pairs they have in common. The candidates are the requests filed in the
``similar_days`` before this one that the dispatcher may see, newest first and at most
``CANDIDATES`` of them; their bigrams are computed in Python, the same on SQLite and PostgreSQL
(no trigram extension), in time bounded by the candidate count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from itertools import pairwise

from kaifaqu.access.users import ActingUser
from kaifaqu.servicerequests.models import RequestRules, ServiceRequest

CANDIDATES = 2_000


def bigrams(text: str) -> set[str]:
    """The overlapping character pairs of ``text``'s letters and digits.

    >>> sorted(bigrams("用电增容。"))
    ['增容', '用电', '电增']
    """
    chars = [c for c in text if c.isalnum()]
    return {a + b for a, b in pairwise(chars)}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


@dataclass(frozen=True)
class Similar:
    request: ServiceRequest
    score: float  # bigram Jaccard coefficient
    same_enterprise: bool


def similar_requests(
    request: ServiceRequest, user: ActingUser, *, limit: int = 10
) -> list[Similar]:
    """The requests like ``request`` that ``user`` may see: the same enterprise's first, then
    by similarity, highest first."""
    rules = RequestRules.current()
    since = request.filed - timedelta(days=rules.similar_days)
    candidates = (
        ServiceRequest.objects.restrict(user)
        .filter(filed__gte=since, filed__lte=request.filed)
        .exclude(pk=request.pk)
        .select_related("item", "enterprise")
        .order_by("-filed")[:CANDIDATES]
    )
    mine = bigrams(request.description)
    found = []
    for other in candidates:
        same = request.enterprise_id is not None and other.enterprise_id == request.enterprise_id
        score = jaccard(mine, bigrams(other.description))
        if same or score >= rules.similar_threshold:
            found.append(Similar(other, round(score, 2), same))
    found.sort(key=lambda s: (not s.same_enterprise, -s.score, -s.request.pk))
    return found[:limit]
