"""`flask --app app letters lint|render` through the CLI runner: exit codes and clear messages."""

from __future__ import annotations

import io
import json

from docx import Document


def docx_file(folder, *paragraphs: str, name: str = "letter.docx") -> str:
    """Write a small template of `paragraphs` into `folder` and return its path."""
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    path = folder / name
    doc.save(path)
    return str(path)


def run(runner, *args: str):
    """Invoke the CLI and insist that nothing escaped as a stack trace."""
    result = runner.invoke(args=["letters", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def text_of(path) -> str:
    with open(path, "rb") as fh:
        return "\n".join(p.text for p in Document(io.BytesIO(fh.read())).paragraphs)


def test_lint_ok_exits_0(runner, tmp_path):
    path = docx_file(tmp_path, "إلى {{ beneficiary.name }}", "رقم الهوية {{ answers.national_id }}")
    result = run(runner, "lint", path)
    assert result.exit_code == 0
    assert "letter.docx: ok (2 placeholders)" in result.output
    assert run(runner, "lint", path, "--form", "support_request").exit_code == 0


def test_lint_lists_unknown_placeholders_and_exits_1(runner, tmp_path):
    path = docx_file(tmp_path, "{{ beneficary.name }} {{ answers.nationalid }}")
    result = run(runner, "lint", path, "--form", "support_request")
    assert result.exit_code == 1
    assert (
        "letter.docx: unknown placeholder: beneficary.name (did you mean beneficiary.name?)"
        in result.output
    )
    assert "answers.nationalid (did you mean answers.national_id?)" in result.output
    assert ": ok" not in result.output


def test_lint_shows_a_syntax_error_in_its_paragraph(runner, tmp_path):
    path = docx_file(tmp_path, "مقدمة", "يسعدنا {% if decision.amount %} إبلاغكم")
    result = run(runner, "lint", path)
    assert result.exit_code == 1
    assert "Unexpected end of template" in result.output
    assert "«يسعدنا {% if decision.amount %} إبلاغكم»" in result.output


def test_lint_refuses_a_file_that_is_not_a_docx(runner, tmp_path):
    path = tmp_path / "letter.docx"
    path.write_bytes(b"not a zip at all")
    result = run(runner, "lint", str(path))
    assert result.exit_code == 1
    assert "letter.docx: the file is not a Word document (.docx)" in result.output


def test_lint_unknown_form_and_missing_file_exit_1(runner, tmp_path):
    path = docx_file(tmp_path, "{{ beneficiary.name }}")
    result = run(runner, "lint", path, "--form", "no_such_form")
    assert result.exit_code == 1
    assert 'there is no form "no_such_form"' in result.output
    result = run(runner, "lint", str(tmp_path / "none.docx"))
    assert result.exit_code == 1
    assert "none.docx: cannot be read" in result.output


def write_json(tmp_path, data, name: str = "data.json") -> str:
    path = tmp_path / name
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_render_writes_exact_text_and_warns_of_missing_values(runner, tmp_path):
    template = docx_file(
        tmp_path,
        "إلى {{ beneficiary.name }}",
        "الجهة: {{ program.place }}",
        "{{ decision.amount }}",
        "الوقت: {{ program.time }} الاسم: {{ program.name }}",
    )
    data = write_json(
        tmp_path,
        {
            "beneficiary": {"name": "آل <سعد> & أبناؤه"},
            "program": {"place": "A & B", "time": None, "name": ""},
        },
    )
    out = tmp_path / "out.docx"
    result = run(runner, "render", template, "--data", data, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "out.docx: written" in result.output
    assert "warning: no value for decision" in result.output
    assert "warning: no value for program.time" in result.output
    assert "warning: no value for program.name" in result.output
    assert "program.place" not in result.output
    text = text_of(out)
    assert "الوقت:  الاسم: " in text
    assert "إلى آل <سعد> & أبناؤه" in text
    assert "الجهة: A & B" in text
    assert "None" not in text


def test_render_refuses_reaching_into_python(runner, tmp_path):
    template = docx_file(tmp_path, "{{ ''.__class__.__mro__ }}")
    out = tmp_path / "out.docx"
    result = run(runner, "render", template, "--data", write_json(tmp_path, {}), "-o", str(out))
    assert result.exit_code == 1
    assert "letter.docx: the template tried to reach something it may not" in result.output
    assert not out.exists()


def test_render_reports_bad_json_with_line_and_column(runner, tmp_path):
    template = docx_file(tmp_path, "{{ beneficiary.name }}")
    out = str(tmp_path / "out.docx")
    bad = write_json(tmp_path, '{\n  "beneficiary": {"name": "x",}\n}')
    result = run(runner, "render", template, "--data", bad, "-o", out)
    assert result.exit_code == 1
    assert "data.json: line 2 column 31: invalid JSON" in result.output
    listing = write_json(tmp_path, "[1, 2]", name="list.json")
    result = run(runner, "render", template, "--data", listing, "-o", out)
    assert result.exit_code == 1
    assert "list.json: must hold a JSON object" in result.output


def test_render_missing_files_and_refused_template(runner, tmp_path):
    template = docx_file(tmp_path, "{{ beneficiary.name }}")
    data = write_json(tmp_path, {})
    out = str(tmp_path / "out.docx")
    result = run(runner, "render", str(tmp_path / "none.docx"), "--data", data, "-o", out)
    assert result.exit_code == 1
    assert "none.docx: cannot be read" in result.output
    result = run(runner, "render", template, "--data", str(tmp_path / "none.json"), "-o", out)
    assert result.exit_code == 1
    assert "none.json: cannot be read" in result.output
    junk = tmp_path / "junk.docx"
    junk.write_bytes(b"PK\x03\x04 broken")
    result = run(runner, "render", str(junk), "--data", data, "-o", out)
    assert result.exit_code == 1
    assert "junk.docx: the file is not a Word document (.docx)" in result.output


def test_render_syntax_error_exits_1(runner, tmp_path):
    template = docx_file(tmp_path, "الاسم {{ beneficiary.name } هنا")
    data = write_json(tmp_path, {})
    result = run(runner, "render", template, "--data", data, "-o", str(tmp_path / "out.docx"))
    assert result.exit_code == 1
    assert "template syntax error: unexpected '}'" in result.output
    assert "الاسم {{ beneficiary.name } هنا" in result.output
