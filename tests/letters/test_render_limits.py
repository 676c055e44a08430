"""Hostile letter templates that pass the upload check but would run away when filled.

Each is stopped within the render budget (RIFD_RENDER_SECONDS / RIFD_RENDER_MB,
letters/limits.py) wherever it runs: the template preview (every case), issuing from a
request and a bulk job's background thread (one case of each kind of stop) and the
command line. Nothing is numbered.
"""

from __future__ import annotations

import io
import json
import time

import pytest
from docx import Document

from letters import templates
from letters.issue import REGISTER
from tests.conftest import csrf_token, post_form
from tests.letters.test_bulk import form, records, wait_for  # noqa: F401  (fixtures)
from tests.letters.test_lint import docx_bytes
from tests.web.test_staff_forms import stored

TEMPLATES = "/letters/templates/"
OVERRUN = "تجاوز القالب الحد المسموح من الوقت أو الذاكرة"
NOT_ISSUED = "لم يصدر الخطاب ولم يُستخدم رقم"
NESTED = "القالب متداخل بعمق"
DOUBLING = "{% set s = 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' %}" + "{% set s = s ~ s %}" * 27
LOOPS = "{% for i in range(9999) %}{% for j in range(9999) %}x{% endfor %}{% endfor %}"
OVER_TEXT = "{% for a in 'x' * 9999 %}{% for b in 'x' * 9999 %}{% endfor %}{% endfor %}"
LIST_DOUBLING = (
    "{% set ns = namespace(l=['x']) %}"
    "{% for i in range(40) %}{% set ns.l = ns.l + ns.l %}{% endfor %}"
)
FAN_OUT = (  # two calls a level, 2**40 in all
    "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}"
)

# (id, a placeholder the upload check accepts, the message when it is filled).
# Each held a worker for seconds or built 100+ MB before the budget.
RUNAWAY = [
    ("nested-loops", LOOPS, OVERRUN),
    ("loops-over-text", OVER_TEXT, OVERRUN),
    ("center", "{{ beneficiary.name|center(999999999) }}", OVERRUN),
    ("format-width", "{{ '%999999999s'|format(beneficiary.name) }}", OVERRUN),
    ("format-star", "{{ '%*s'|format(999999999, beneficiary.name) }}", OVERRUN),
    ("percent-repeat", "{{ ('%(a)s' * 2000) % {'a': 'x' * 9999} }}", OVERRUN),
    ("str-format", "{{ '{:>999999999}'.format(beneficiary.name) }}", OVERRUN),
    ("str-format-nested", "{{ '{:{}}'.format(beneficiary.name, 999999999) }}", OVERRUN),
    ("str-format-repeat", "{{ ('{0}' * 3000).format('x' * 9999) }}", OVERRUN),
    ("str-format-list", "{{ '{}'.format(['y' * 9999] * 9999) }}", OVERRUN),
    ("join", "{{ ('x' * 9999)|list|join('y' * 9999) }}", OVERRUN),
    ("join-generator", "{{ ('x' * 9999)|map('upper')|join('y' * 9999) }}", OVERRUN),
    ("str-join-generator", "{{ ('y' * 9999).join(('x' * 9999)|map('upper')) }}", OVERRUN),
    ("replace", "{{ ('x' * 9999)|replace('x', 'y' * 9999) }}", OVERRUN),
    ("str-replace", "{{ ('x' * 9999).replace('x', 'y' * 9999) }}", OVERRUN),
    ("translate", "{{ ('x' * 9999).translate({120: 'y' * 9999}) }}", OVERRUN),
    ("wordwrap", "{{ ('x ' * 4999)|wordwrap(1, wrapstring='y' * 9999) }}", OVERRUN),
    ("indent", "{{ ('x\\n' * 4999)|indent('y' * 9999) }}", OVERRUN),
    ("tojson-indent", "{{ (['y'] * 9999)|tojson(indent=999999) }}", OVERRUN),
    ("doubling", DOUBLING + "{{ s|length }}", OVERRUN),
    ("list-doubling", LIST_DOUBLING, OVERRUN),
    ("big-numbers", "{% set x = 10 ** 64 %}" + "{% set x = x * x %}" * 30 + "{{ x }}", OVERRUN),
    ("huge-power", "{{ 9 ** (9 ** 9) }}", OVERRUN),
    ("printed-list", "{{ ['y' * 9999] * 9999 }}", OVERRUN),
    ("printed-nested-list", "{{ [['y'] * 9999] * 9999 }}", OVERRUN),
    ("sum-of-lists", "{{ ([['x'] * 9999] * 9999)|sum(start=[])|length }}", "لا يجمع الخطاب"),
    ("words-of-huge", "{{ 1e308|words }}", "أكبر من أن يُكتب بالحروف"),
    ("macro-fan-out", FAN_OUT, OVERRUN),
    ("recursion", "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}", NESTED),
]  # fmt: skip
IDS = [case[0] for case in RUNAWAY]
CASES = [case[1:] for case in RUNAWAY]
# Every case above runs through the preview. Issuing from a request and a bulk job's
# thread stop the same render function; there one case of each kind of stop is enough:
# a Python loop, a C formatting, a number too big, memory, calls, depth, a refused sum.
KINDS = ["nested-loops", "format-width", "huge-power", "doubling", "macro-fan-out", "recursion",
         "sum-of-lists"]  # fmt: skip
KIND_IDS = [case[0] for case in RUNAWAY if case[0] in KINDS]
KIND_CASES = [case[1:] for case in RUNAWAY if case[0] in KINDS]
assert sorted(KIND_IDS) == sorted(KINDS)

# Nesting Python cannot compile: refused at upload, before anything is stored.
TOO_DEEP = {
    "ifs": "{% if 1 %}" * 200 + "x" + "{% endif %}" * 200,  # too many levels of indentation
    "loops": "{% for i in [1] %}" * 21 + "x" + "{% endfor %}" * 21,  # statically nested blocks
    "ifs-1000": "{% if 1 %}" * 1000 + "x" + "{% endif %}" * 1000,  # recursion in the compiler
    "parentheses": "{{ " + "(" * 500 + "1" + ")" * 500 + " }}",
}


@pytest.fixture(autouse=True)
def small_budget(monkeypatch):
    # Short, so that 29 templates x 3 places stay cheap; each must stop within it all the same.
    monkeypatch.setenv("RIFD_RENDER_SECONDS", "0.3")
    monkeypatch.setenv("RIFD_RENDER_MB", "16")


def _upload(client, text: str, name: str = "runaway") -> None:
    upload = {"name": name, "form_id": "", "file": (io.BytesIO(docx_bytes(text)), "t.docx")}
    response = post_form(client, TEMPLATES, upload)
    assert response.status_code == 302, response.get_data(as_text=True)


@pytest.mark.parametrize("text, shown", KIND_CASES, ids=KIND_IDS)
def test_a_runaway_template_stops_in_its_budget_when_issued(
    client, store, valid_intake, text, shown
):
    _upload(client, text)
    response = post_form(client, "/forms/intake/new", valid_intake)
    page = response.headers["Location"].split("?")[0]
    rid = stored(store)[0]["id"]
    started = time.monotonic()
    issued = client.post(
        f"/letters/from/intake/{rid}",
        data={"csrf_token": csrf_token(client, page), "template": "runaway"},
    )
    assert time.monotonic() - started < 3  # the budget is 0.3 s
    assert issued.status_code == 302 and issued.headers["Location"] == page
    shown_page = client.get(page).get_data(as_text=True)
    assert NOT_ISSUED in shown_page and shown in shown_page
    assert list(store.iter(REGISTER)) == []


@pytest.mark.parametrize("text, shown", CASES, ids=IDS)
def test_the_preview_of_a_runaway_template_says_why(client, text, shown):
    _upload(client, text)
    started = time.monotonic()
    preview = client.get("/letters/templates/runaway/1/preview.docx")
    assert time.monotonic() - started < 3
    assert preview.status_code == 302
    assert shown in client.get(TEMPLATES).get_data(as_text=True)


@pytest.mark.parametrize("text, shown", KIND_CASES, ids=KIND_IDS)
def test_a_bulk_job_stops_each_runaway_letter_in_its_thread(client, store, records, text, shown):  # noqa: F811
    # The job runs in a background thread, where no request timeout reaches.
    templates.add_version(store, "acceptance", docx_bytes(text), uploaded_by="t")
    token = csrf_token(client, "/forms/intake/submissions")
    started = time.monotonic()
    response = client.post(
        "/letters/bulk",
        data={"csrf_token": token, "form_id": "intake", "template": "acceptance",
              "scope": "all", "output": "zip_docx", "confirmed": "3"},
    )  # fmt: skip
    assert response.status_code == 302
    state = wait_for(client, response.headers["Location"] + ".json", seconds=30)
    assert time.monotonic() - started < 15  # 3 letters of 0.3 s at most each, and the polling
    assert state["issued"] == 0 and len(state["errors"]) == 3
    assert all(shown in error["error"] for error in state["errors"])
    assert store.count(REGISTER) == 0


@pytest.mark.parametrize("text", TOO_DEEP.values(), ids=TOO_DEEP.keys())
def test_a_template_nested_too_deeply_is_refused_at_upload(client, text):
    upload = {"name": "deep", "form_id": "", "file": (io.BytesIO(docx_bytes(text)), "t.docx")}
    response = post_form(client, TEMPLATES, upload)
    assert response.status_code == 400
    assert NESTED in response.get_data(as_text=True)
    assert "deep" not in client.get(TEMPLATES).get_data(as_text=True)


def test_the_command_line_render_stops_a_runaway_template(runner, tmp_path):
    template = tmp_path / "letter.docx"
    template.write_bytes(docx_bytes(RUNAWAY[0][1]))
    data = tmp_path / "data.json"
    data.write_text(json.dumps({"beneficiary": {"name": "سعد"}}), encoding="utf-8")
    out = tmp_path / "out.docx"
    started = time.monotonic()
    args = ["letters", "render", str(template), "--data", str(data), "-o", str(out)]
    result = runner.invoke(args=args)
    assert time.monotonic() - started < 3
    assert result.exit_code == 1 and OVERRUN in result.output
    assert not out.exists()


def test_lipsum_is_not_offered_to_letters(client):
    upload = {
        "name": "lorem",
        "form_id": "",
        "file": (io.BytesIO(docx_bytes("{{ lipsum(100000) }}")), "t.docx"),
    }  # noqa: E501
    response = post_form(client, TEMPLATES, upload)
    assert response.status_code == 400
    assert "عنصر غير معروف: lipsum" in response.get_data(as_text=True)


def test_python_functions_print_nothing(client):
    text = "A{{ range }}B{{ namespace }}C{{ beneficiary.name.upper }}D{{ cycler }}E"
    _upload(client, text, name="names")
    preview = client.get("/letters/templates/names/1/preview.docx")
    assert preview.status_code == 200
    printed = "".join(p.text for p in Document(io.BytesIO(preview.data)).paragraphs)
    assert printed == "ABCDE"


def test_an_ordinary_letter_still_formats_and_loops(client):
    text = "{{ '%05d'|format(42) }} {{ '{:>4}'.format('x') }} {% for i in range(3) %}{{ i }}{% endfor %}"  # noqa: E501
    _upload(client, text, name="ordinary")
    preview = client.get("/letters/templates/ordinary/1/preview.docx")
    assert preview.status_code == 200
    printed = "".join(p.text for p in Document(io.BytesIO(preview.data)).paragraphs)
    assert printed == "00042    x 012"
