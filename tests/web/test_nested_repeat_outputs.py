"""What is done with nested rows once stored: the submission page draws them as tables in
their parent row, the Excel export puts an inner repeat's rows on a sheet of their own
with the numbers of the rows they are in, a letter loops over them inside its loop over
the members, a correction opens them again, and a person's export and erasure reach a
file kept in an inner row."""

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from forms.definition import parse_definition
from forms.people import people_in
from forms.refill import as_posted
from letters.context import answer_rows, build_context
from letters.render import render_letter
from privacy.erase import erase_person
from privacy.export import export_person
from privacy.person import find_person
from submissions.export import export_xlsx
from submissions.service import collection
from tests.conftest import post_form
from tests.letters.test_lint import docx_bytes
from tests.letters.test_templates_docx import text_of
from tests.web.conftest import PDF
from tests.web.test_nested_repeat import FAMILY, URL, illness, member, sent
from tests.web.test_staff_forms import errors_by_field, stored

HIS_ID = "1000000008"


@pytest.fixture
def saved(client, store):
    """A family whose second member has two illnesses (the first with a report) and a course."""
    data = sent(
        member(0, "سارة", "40", "0"),
        member(1, "خالد", "70", "1"),
        illness(1, 0, "السكري", "100", report=(io.BytesIO(PDF), "تقرير.pdf")),
        illness(1, 1, "الضغط", "50"),
        {"members-1-courses-0-course": "الإسعافات", "head_id": HIS_ID},
    )
    response = post_form(client, URL, data)
    assert response.status_code == 302, errors_by_field(response.get_data(as_text=True))
    [record] = stored(store, "family")
    return response.headers["Location"], record


@pytest.fixture(autouse=True)
def with_an_id(app, own_forms):
    """The family form with the head's national ID, so that his file finds it."""
    data = json.loads(json.dumps(FAMILY))
    data["sections"][0]["fields"].insert(
        1, {"name": "head_id", "type": "national_id", "label": {"ar": "هوية رب الأسرة"}}
    )
    folder = Path(app.config["DATA_DIR"]) / "forms"
    (folder / "family.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")


def _form(app):
    return app.extensions["rifd_forms"].get("family")


def test_the_submission_page_draws_inner_rows_in_their_parent_row(client, saved):
    url, record = saved
    page = client.get(url).get_data(as_text=True)
    outer = page.split('data-repeat="members"', 1)[1]
    first, second = outer.split("<tr><td>2</td>", 1)
    assert "سارة" in first and 'data-repeat="illnesses"' not in first.split("<tr><td>1</td>")[1]
    inner = second.split('data-repeat="illnesses"', 1)[1].split("</table>", 1)[0]
    assert "السكري" in inner and "الضغط" in inner and "1200" in inner and "600" in inner
    assert 'data-repeat="courses"' in second and "الإسعافات" in second
    assert "تقرير.pdf" in inner or "مرفق" in inner  # the file, or its place for the unallowed


def test_the_excel_export_puts_inner_rows_on_their_own_sheet(app, store, saved):
    _url, record = saved
    out = io.BytesIO()
    export_xlsx(_form(app), stored(store, "family"), out)
    book = load_workbook(io.BytesIO(out.getvalue()))
    assert book.sheetnames[1:] == ["أفراد الأسرة", "الأمراض المزمنة", "الدورات"]
    members = list(book["أفراد الأسرة"].values)
    assert members[0][:5] == ("رقم المرجع", "رقم الصف", "الاسم", "العمر", "عدد الدورات")
    assert "الأمراض المزمنة" not in members[0]  # their own sheet, not a column here
    assert [row[:3] for row in members[1:]] == [
        (record["ref"], 1, "سارة"),
        (record["ref"], 2, "خالد"),
    ]
    assert members[2][members[0].index("تكلفة أمراضه سنويًا")] == 1800
    illnesses = list(book["الأمراض المزمنة"].values)
    assert illnesses[0][:4] == ("رقم المرجع", "رقم الصف في: أفراد الأسرة", "رقم الصف", "المرض")
    header = illnesses[0]
    assert [(r[1], r[2], r[3], r[header.index("التكلفة السنوية")]) for r in illnesses[1:]] == [
        (2, 1, "السكري", 1200),
        (2, 2, "الضغط", 600),
    ]
    assert header[-1] == "إجابات خارج النموذج" and all(r[-1] is None for r in illnesses[1:])
    courses = list(book["الدورات"].values)
    assert courses[1][:4] == (record["ref"], 2, 1, "الإسعافات")


def test_a_letter_loops_over_inner_rows_inside_its_loop(app, saved):
    _url, record = saved
    template = docx_bytes(
        "{%p for m in answers.members %}",
        "الفرد: {{ m.member }} ({{ m.age }})",
        "{%p for i in m.illnesses %}",
        "- {{ i.illness }}: {{ i.yearly_cost }} {{ i.unit }}",
        "{%p endfor %}",
        "{%p endfor %}",
    )
    context = build_context({"name": {"ar": "جمعية"}}, _form(app), record)
    lines = [line for line in text_of(render_letter(template, context).data).split("\n") if line]
    assert lines == [
        "الفرد: سارة (40)",
        "الفرد: خالد (70)",
        "- السكري: 1200 ريال",
        "- الضغط: 600 ريال",
    ]
    rows = answer_rows(_form(app), record["answers"])
    labels = [row["label"] for row in rows]
    assert "الأمراض المزمنة (2، 1)" in labels and "الدورات (2، 1)" in labels


def test_a_correction_opens_the_inner_rows_again(app, saved):
    _url, record = saved
    pairs = as_posted(_form(app), record["answers"], lambda digest: b"")
    assert ("members-1-illnesses-1-illness", "الضغط") in pairs
    assert ("members-1-courses-0-course", "الإسعافات") in pairs
    assert ("members-1-course_count", "1") in pairs


def test_his_export_and_erasure_reach_a_file_in_an_inner_row(app, store, saved):
    _url, record = saved
    digest = record["answers"]["members"][1]["illnesses"][0]["report"]["sha256"]
    forms = app.extensions["rifd_forms"]
    person = find_person(store, forms, HIS_ID)
    archive = zipfile.ZipFile(io.BytesIO(export_person(store, forms, person)))
    path = f"documents/{record['ref']}/members-2-illnesses-1-report.pdf"
    assert archive.read(path) == PDF
    book = load_workbook(io.BytesIO(archive.read("data.xlsx")))
    assert "الأمراض المزمنة" in book.sheetnames
    erase_person(store, forms, person, retention_years=10, today=dt.date.today())
    assert not store.has_file(digest)
    assert store.get(collection("family"), record["id"])["answers"] == {}


def test_an_id_in_an_inner_row_names_the_person():
    data = json.loads(json.dumps(FAMILY))
    inner = data["sections"][0]["fields"][2]["fields"][3]["fields"]
    inner.append({"name": "doctor_id", "type": "national_id", "label": {"ar": "هوية الطبيب"}})
    form = parse_definition(data)
    answers = {"members": [{"member": "أ"}, {"illnesses": [{"doctor_id": "2172323137"}]}]}
    assert people_in(form, answers) == ["2172323137"]


def test_a_correction_keeps_a_file_in_an_inner_row_with_its_row(app, client, store, saved):
    _url, record = saved
    url = f"/forms/family/submissions/{record['id']}/correct"
    page = client.get(url).get_data(as_text=True)
    assert "تقرير.pdf" in page.split('name="members-1-illnesses-0-report"', 1)[1][:1500]
    pairs = as_posted(_form(app), record["answers"], lambda digest: b"")
    # The first member is removed in the browser: the second keeps its name (members-1),
    # its report goes with it, and its first illness's cost is corrected.
    data = [(k, v) for k, v in pairs if not k.startswith("members-0-")]
    data = [(k, "200" if k == "members-1-illnesses-0-monthly_cost" else v) for k, v in data]
    body = {"rifd-why": "حذف فرد مكرر"}
    for key, value in data:
        body.setdefault(key, [])
        body[key] = [*body[key], value] if isinstance(body[key], list) else [body[key], value]
    response = post_form(client, url, body)
    assert response.status_code == 302, errors_by_field(response.get_data(as_text=True))
    [now] = stored(store, "family")
    [member_row] = now["answers"]["members"]
    assert member_row["member"] == "خالد"
    first = member_row["illnesses"][0]
    assert first["yearly_cost"] == 2400 and first["report"]["name"] == "تقرير.pdf"
    assert store.read_file(first["report"]["sha256"]) == PDF
    assert "report" not in member_row["illnesses"][1]


def test_a_page_refused_asks_again_for_a_file_chosen_in_an_inner_row(client, store):
    data = sent(
        member(0, "خالد", "70"),
        illness(0, 0, "السكري", "100", report=(io.BytesIO(PDF), "تقرير.pdf")),
        head="",
    )
    response = post_form(client, URL, data)
    assert response.status_code == 400
    errors = errors_by_field(response.get_data(as_text=True))
    assert errors == {"head": "هذا الحقل مطلوب.", "report": "أعد إرفاق الملف بعد تصحيح الأخطاء."}
    assert stored(store, "family") == []
