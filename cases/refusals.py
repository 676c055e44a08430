"""A beneficiary's refusal of messages: recorded on his file, honoured, audited, reversible.

The refusal is kept on his record ("messages_refused": when, by whom, how he said it, why)
and his number in the outbox's list of refusing numbers (cases/outbox.py), which every
path that queues or sends a text message reads under the store's lock. Recording it also
marks "refused" the messages still queued to his number: none of them leaves, and each
stays on his file with what it would have said.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from accounts import audit as trail
from cases import outbox
from cases.beneficiaries import BENEFICIARIES, now

# how he made his refusal known
CHANNELS = {
    "phone": _l("اتصال هاتفي"),
    "visit": _l("حضوريًا في الجمعية"),
    "written": _l("طلب مكتوب"),
    "reply": _l("رد على رسالة"),
}
MAX_REASON = 300


class RefusalError(ValueError):
    """A refusal that cannot be recorded or withdrawn; args[0] is a code the page words."""


def refuse(store, bid: int, channel: str, reason: str, who) -> dict:
    """Record that beneficiary bid refuses messages; mark his queued messages refused."""
    reason = " ".join((reason or "").split())[:MAX_REASON]
    if channel not in CHANNELS:
        raise RefusalError("channel")
    person = store.get(BENEFICIARIES, bid)
    mobile = (person or {}).get("mobile", "")
    waiting = (
        store.find(outbox.OUTBOX, where={"mobile": mobile, "status": outbox.QUEUED})
        if mobile
        else []
    )
    with store.transaction() as tx:
        fresh = tx.get(BENEFICIARIES, bid)
        if fresh is None:
            raise LookupError(bid)
        if fresh.get("messages_refused"):
            raise RefusalError("already")
        refusal = {"at": now(), "by": who.username, "channel": channel, "reason": reason}
        after = tx.update(BENEFICIARIES, bid, {"messages_refused": refusal})
        outbox.mark_refusal(tx, fresh.get("mobile", ""), bid)
        stopped = []
        for message in waiting:
            again = tx.get(outbox.OUTBOX, message["id"])
            if again and again["status"] == outbox.QUEUED and again["mobile"] == mobile:
                refused = {"status": outbox.REFUSED, "refused_at": refusal["at"]}
                refused["due"] = outbox.NOT_DUE
                tx.update(outbox.OUTBOX, message["id"], refused)
                stopped.append(message["id"])
        trail.write(
            tx, who, "refuse_messages", "beneficiary", bid,
            before={"messages_refused": None},
            after={"messages_refused": refusal, "messages_stopped": stopped},
        )  # fmt: skip
    return after


def allow(store, bid: int, who) -> dict:
    """Withdraw beneficiary bid's refusal: messages queued from now on are sent again.

    Those refused while he refused stay refused: he was not told then, and sending old
    news late would mislead more than it informs.
    """
    with store.transaction() as tx:
        fresh = tx.get(BENEFICIARIES, bid)
        if fresh is None:
            raise LookupError(bid)
        if not fresh.get("messages_refused"):
            raise RefusalError("not_refused")
        after = tx.update(BENEFICIARIES, bid, {"messages_refused": None})
        outbox.mark_refusal(tx, fresh.get("mobile", ""), None)
        trail.write(
            tx, who, "allow_messages", "beneficiary", bid,
            before={"messages_refused": fresh["messages_refused"]},
            after={"messages_refused": None},
        )  # fmt: skip
    return after
