"""Public links, the language switch, and Excel export from the page and the CLI."""

import io

from openpyxl import load_workbook

from tests.conftest import post_form
from tests.web.test_staff_forms import stored


def test_public_form_works_and_thanks_with_reference(client, store):
    page = client.get("/f/quick_survey").get_data(as_text=True)
    assert 'name="viewport"' in page and 'dir="rtl"' in page
    assert "rifd-channel" not in page  # the public do not pick an intake channel
    assert 'name="internal"' not in page  # staff-only fields stay off public pages
    response = post_form(
        client,
        "/f/quick_survey",
        # a staff-only field and an intake channel slipped into the public POST are ignored
        {"overall": "٤", "comment": "شكرًا", "internal": "x", "rifd-channel": "interview"},
    )
    assert response.status_code == 302
    thanks = client.get(response.headers["Location"]).get_data(as_text=True)
    [record] = stored(store, "quick_survey")
    assert record["ref"] in thanks and record["ref"].startswith("QS-")
    assert record["answers"] == {"overall": 4, "comment": "شكرًا"}
    assert record["entered_by"] == "public" and record["channel"] == "website"


def test_public_form_errors_and_non_public_forms(client, store):
    response = post_form(client, "/f/quick_survey", {"overall": "9"})
    assert response.status_code == 400
    assert "اختر تقييمًا من ١ إلى ٥" in response.get_data(as_text=True)
    assert client.get("/f/intake").status_code == 404  # staff-only form
    assert client.get("/f/support_request").status_code == 404
    assert client.get("/f/quick_survey/thanks").status_code == 302  # nothing submitted yet
    assert stored(store, "quick_survey") == []


def test_english_switch(client):
    response = client.get("/lang/en?next=/forms/intake/new")
    assert response.status_code == 302 and response.headers["Location"] == "/forms/intake/new"
    page = client.get("/forms/intake/new").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in page
    assert "Intake form" in page and "Married?" in page
    assert ">Submit<" in page and "Intake channel" in page  # the page's own words too
    assert "Interview" in page  # channel labels follow the language
    html = post_form(client, "/forms/intake/new", {"rifd-channel": "interview"}).get_data(
        as_text=True
    )
    assert "This field is required." in html
    assert client.get("/lang/en?next=https://evil.example/").headers["Location"] == "/"
    client.get("/lang/ar")
    assert 'dir="rtl"' in client.get("/forms/").get_data(as_text=True)


def test_the_allowed_file_types_are_listed_in_the_page_language(client):
    # The English page listed them with the Arabic comma: "pdf، jpg، png".
    assert "pdf، jpg، png" in client.get("/forms/intake/new").get_data(as_text=True)
    client.get("/lang/en")
    page = client.get("/forms/intake/new").get_data(as_text=True)
    assert "Allowed types: pdf, jpg, png" in page and "،" not in page


def _submit_two(client, valid_intake):
    assert post_form(client, "/forms/intake/new", valid_intake).status_code == 302
    formula = dict(valid_intake, full_name='=HYPERLINK("http://x")', married="no")
    formula.pop("members-0-member_name")
    formula.pop("members-0-member_age")
    assert post_form(client, "/forms/intake/new", formula).status_code == 302


def test_export_from_the_page(client, valid_intake):
    _submit_two(client, valid_intake)
    response = client.get("/forms/intake/export.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    book = load_workbook(io.BytesIO(response.data))
    main, members = book.worksheets[0], book.worksheets[1]
    assert main.sheet_view.rightToLeft and members.sheet_view.rightToLeft
    header = [c.value for c in main[1]]
    assert "رقم المرجع" in header and "الاسم" in header and "رقم الهوية" in header
    assert main.max_row == 3
    names = [row[header.index("الاسم")] for row in main.iter_rows(min_row=2, values_only=True)]
    assert '=HYPERLINK("http://x")' in names
    cell = next(c for c in main["A":"Z"] for c in c if c.value == '=HYPERLINK("http://x")')
    assert cell.data_type == "s"
    refs = [row[0] for row in members.iter_rows(min_row=2, values_only=True)]
    assert len(refs) == 1 and refs[0].startswith("IN-")


def test_export_from_the_command_line(client, runner, valid_intake, tmp_path):
    _submit_two(client, valid_intake)
    out = tmp_path / "intake.xlsx"
    result = runner.invoke(args=["submissions", "export", "intake", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 submissions" in result.output
    assert load_workbook(out).worksheets[0].max_row == 3
    missing = runner.invoke(args=["submissions", "export", "nope", "-o", str(out)])
    assert missing.exit_code == 1 and 'there is no form "nope"' in missing.output


FORMULAS = ['=HYPERLINK("http://x")', "+966 SUM(A1)", "-2+3", "@cmd|' /C calc'!A0"]


def test_formula_looking_answers_stay_text_from_the_page_and_the_cli(
    client, runner, valid_intake, tmp_path
):
    for i, text in enumerate(FORMULAS):
        row = dict(valid_intake, full_name=text, spouse=text, income=str(-i))
        assert post_form(client, "/forms/intake/new", row).status_code == 302
    out = tmp_path / "intake.xlsx"
    assert runner.invoke(args=["submissions", "export", "intake", "-o", str(out)]).exit_code == 0
    page = client.get("/forms/intake/export.xlsx").data
    for book in (load_workbook(out), load_workbook(io.BytesIO(page))):
        sheet = book.worksheets[0]
        header = [c.value for c in sheet[1]]
        names = [row[header.index("الاسم")] for row in sheet.iter_rows(min_row=2)]
        spouses = [row[header.index("اسم الزوج")] for row in sheet.iter_rows(min_row=2)]
        incomes = [row[header.index("الدخل")].value for row in sheet.iter_rows(min_row=2)]
        assert sorted(c.value for c in names) == sorted(FORMULAS)
        assert all(c.data_type == "s" and c.quotePrefix for c in names + spouses)
        assert sorted(incomes) == [-3, -2, -1, 0]  # negative numbers are numbers, not text
