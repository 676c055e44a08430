"""`flask --app app forms check FILE...` through the CLI runner."""

import json
from pathlib import Path

LIBRARY = sorted(str(p) for p in Path("forms/library").glob("*.json"))


def test_shipped_forms_pass(runner):
    result = runner.invoke(args=["forms", "check", *LIBRARY])
    assert result.exit_code == 0, result.output
    assert result.output.count(": ok (") == len(LIBRARY)


def test_bad_file_exits_1_with_the_message(runner, tmp_path):
    data = json.loads(Path("forms/library/support_request.json").read_text(encoding="utf-8"))
    data["sections"][1]["fields"][0]["type"] = "nationalid"
    bad = tmp_path / "support_request.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(args=["forms", "check", LIBRARY[0], str(bad)])
    assert result.exit_code == 1
    assert (
        'support_request.json: sections[1].fields[0].type: "nationalid" is not a field type'
        ' (did you mean "national_id"?)'
    ) in result.output
    assert "Traceback" not in result.output


def test_not_json_and_missing_file(runner, tmp_path):
    junk = tmp_path / "junk.json"
    junk.write_bytes(b"\xff\xfe not json")
    result = runner.invoke(args=["forms", "check", str(junk), str(tmp_path / "none.json")])
    assert result.exit_code == 1
    assert "junk.json: is not UTF-8 text" in result.output
    assert "none.json: cannot be read" in result.output
