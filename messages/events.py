"""Queue an event's message with the change that made it, when the association wants it.

Each event is switched on or off and its templates edited per association (stored with
the gateway settings); an event never set is on, with its shipped texts.
"""

from __future__ import annotations

from accounts import audit as trail
from cases import outbox
from messages.settings import SETTINGS, SETTINGS_ID, stored
from messages.templates import EVENTS, TemplateProblem, render

LANGUAGES = ("ar", "en")


def enabled(store, event: str) -> bool:
    return bool(stored(store).get("events", {}).get(event, True))


def template(store, event: str, language: str = "ar") -> str:
    kept = stored(store).get("templates", {}).get(event, {})
    return kept.get(language) or getattr(EVENTS[event], language)


def text(store, event: str, context: dict, language: str = "ar") -> str:
    """Return the event's message for `context`; a broken template falls back to the
    shipped one, so the beneficiary is still told."""
    try:
        return render(template(store, event, language), context)
    except TemplateProblem:
        return render(getattr(EVENTS[event], language), context)


def queue(
    tx, store, event: str, mobile: str, context: dict, language: str = "ar", **links
) -> dict | None:
    """Queue the event's message in `tx`, in the person's language (Arabic unless he chose
    English); None when the event is off or there is no mobile."""
    if not mobile or not enabled(store, event):
        return None
    language = language if language in LANGUAGES else "ar"
    return outbox.queue(tx, mobile, text(store, event, context, language), event, **links)


def save(store, event: str, on: bool, sources: dict, who) -> None:
    """Keep an event's switch and templates (each checked by rendering its sample), audited."""
    if event not in EVENTS:
        raise LookupError(event)
    for language in LANGUAGES:
        if sources.get(language):
            render(sources[language], EVENTS[event].sample_for(language))  # TemplateProblem
    saved = stored(store)
    events = saved.get("events", {}) | {event: on}
    templates = saved.get("templates", {}) | {
        event: {lang: sources.get(lang, "") for lang in LANGUAGES}
    }
    before = {
        "on": saved.get("events", {}).get(event, True),
        **saved.get("templates", {}).get(event, {}),
    }
    with store.transaction() as tx:
        if tx.get(SETTINGS, SETTINGS_ID) is None:
            tx.insert(SETTINGS, {"events": events, "templates": templates})
        else:
            tx.update(SETTINGS, SETTINGS_ID, {"events": events, "templates": templates})
        trail.write(
            tx, who, "update", "message_event", event,
            before=before, after={"on": on, **templates[event]},
        )  # fmt: skip
