"""What a gateway answered about one message, in the three kinds the sender acts on."""

from __future__ import annotations

import re
from dataclasses import dataclass

from forms.saudi import clean_mobile

SENT = "sent"
TEMPORARY = "temporary"  # try again later (network, 5xx, the provider's own "busy" codes)
PERMANENT = "permanent"  # never again (bad number, no credit, wrong credentials)
MAX_ANSWER = 500


@dataclass(frozen=True)
class Result:
    """The outcome of one send: its kind, the provider's answer (secrets removed), its id."""

    outcome: str
    answer: str
    provider_id: str = ""

    @property
    def ok(self) -> bool:
        return self.outcome == SENT


def scrub(text: str, *secrets: str) -> str:
    """Return the provider's answer shortened, with any secret in it blotted out."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "****")
    return re.sub(r"\s+", " ", text).strip()[:MAX_ANSWER]


def international(mobile: str) -> str:
    """Return a Saudi mobile as the gateways take it: 9665XXXXXXXX (no + nor 00)."""
    return clean_mobile(mobile).lstrip("+")
