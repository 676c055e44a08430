"""Every action and kind of record the code audits is named in words on the audit page.

Found after programs, deliveries and messages were added: their entries showed codes
("walk_in", "transfer_batch") where the audit page promises words. The code is read as
Python (every literal given to audit.write), so a new action without its words fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

from accounts import audit
from accounts.audit import Actor
from web.audit_words import ACTIONS, ENTITIES

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".venv", "tests", "bench", "scripts"}
AUDIT_NAMES = {"audit", "trail"}  # accounts.audit, as the modules import it


def _literals(node) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):  # "attach_sheet" if ... else "attach_event_file"
        return _literals(node.body) + _literals(node.orelse)
    return []


def audited() -> tuple[dict[str, str], dict[str, str]]:
    """Return {action: file} and {record kind: file} of every literal audit.write call."""
    actions: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for path in ROOT.rglob("*.py"):
        if SKIP & set(path.relative_to(ROOT).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            call = node if isinstance(node, ast.Call) else None
            func = call.func if call else None
            if not (isinstance(func, ast.Attribute) and func.attr == "write"):
                continue
            if not (isinstance(func.value, ast.Name) and func.value.id in AUDIT_NAMES):
                continue
            if len(call.args) >= 4:
                where = str(path.relative_to(ROOT))
                actions |= dict.fromkeys(_literals(call.args[2]), where)
                kinds |= dict.fromkeys(_literals(call.args[3]), where)
    return actions, kinds


def test_every_audited_action_and_record_has_its_words():
    actions, kinds = audited()
    assert len(actions) > 20 and "issue" in actions  # the scan does find the calls
    assert {a: f for a, f in actions.items() if a not in ACTIONS} == {}
    assert {k: f for k, f in kinds.items() if k not in ENTITIES} == {}


def test_the_audit_page_shows_a_new_action_in_words(client, store):
    with store.transaction() as tx:
        audit.write(tx, Actor("staff"), "walk_in", "program_registration", 1)
    page = client.get("/audit/").get_data(as_text=True)
    # The words are what is read; the code stays only as the cell's tooltip.
    assert ">تسجيل حاضر دون تسجيل مسبق<" in page and ">walk_in<" not in page
