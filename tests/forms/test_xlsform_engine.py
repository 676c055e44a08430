"""The new types and expressions in XLSForm: written with the standard's names and
accepted by pyxform; time, datetime and acknowledge read back as they were."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from pyxform.xls2xform import convert


def t(ar, en):
    return {"ar": ar, "en": en}


PLAIN = {
    "id": "visit_times",
    "version": 1,
    "title": t("أوقات الزيارة", "Visit times"),
    "sections": [
        {
            "name": "main",
            "title": t("الزيارة", "Visit"),
            "fields": [
                {"name": "start_time", "type": "time", "label": t("وقت البدء", "Start")},
                {"name": "visit_at", "type": "datetime", "label": t("الموعد", "Visit at")},
                {
                    "name": "consent",
                    "type": "acknowledge",
                    "label": t("أوافق", "I agree"),
                    "required": True,
                },
                {"name": "home", "type": "geopoint", "label": t("الموقع", "Home")},
                {"name": "card", "type": "barcode", "label": t("الرمز", "Card")},
                {"name": "photo", "type": "image", "label": t("الصورة", "Photo")},
            ],
        }
    ],
}

COMPUTED = {
    "id": "stay_cost",
    "version": 1,
    "title": t("تكلفة الإقامة", "Stay cost"),
    "sections": [
        {
            "name": "main",
            "title": t("الإقامة", "Stay"),
            "fields": [
                {"name": "nights", "type": "integer", "label": t("الليالي", "Nights")},
                {"name": "price", "type": "decimal", "label": t("السعر", "Price")},
                {
                    "name": "total",
                    "type": "calculate",
                    "label": t("الإجمالي", "Total"),
                    "calculation": "if(nights > 0, nights * price, 0)",
                },
                {"name": "start_date", "type": "date", "label": t("من", "From")},
                {
                    "name": "end_date",
                    "type": "date",
                    "label": t("إلى", "To"),
                    "constraints": {
                        "rule": "end_date > start_date",
                        "messages": {"rule": t("النهاية بعد البداية", "End after start")},
                    },
                },
            ],
        }
    ],
}


def _export(app, runner, tmp_path: Path, data: dict) -> Path:
    folder = Path(app.config["DATA_DIR"]) / "forms"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{data['id']}.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    out = tmp_path / f"{data['id']}.xlsx"
    result = runner.invoke(args=["forms", "export-xlsform", data["id"], "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _rows(xlsx: Path) -> dict[str, dict]:
    sheet = openpyxl.load_workbook(xlsx)["survey"]
    header, *rows = sheet.iter_rows(values_only=True)
    return {row[1]: dict(zip(header, row, strict=True)) for row in rows if row[1]}


def test_the_new_types_go_and_come_back(app, runner, tmp_path):
    xlsx = _export(app, runner, tmp_path, PLAIN)
    rows = _rows(xlsx)
    names = ("start_time", "visit_at", "consent", "home", "card", "photo")
    assert [rows[n]["type"] for n in names] == [
        "time",
        "datetime",
        "acknowledge",
        "geopoint",
        "barcode",
        "image",
    ]
    xform = convert(xlsx.read_bytes(), validate=False).xform
    assert 'type="time"' in xform and 'type="dateTime"' in xform
    for kind in ('type="geopoint"', 'type="barcode"', 'type="binary"'):
        assert kind in xform
    back = tmp_path / "back.json"
    result = runner.invoke(args=["forms", "import-xlsform", str(xlsx), "-o", str(back)])
    assert result.exit_code == 0, result.output
    assert json.loads(back.read_text(encoding="utf-8")) == PLAIN


def test_a_calculation_and_a_rule_are_written_as_xpath(app, runner, tmp_path):
    xlsx = _export(app, runner, tmp_path, COMPUTED)
    rows = _rows(xlsx)
    assert rows["total"]["type"] == "calculate"
    assert rows["total"]["calculation"] == "if(${nights} > 0, ${nights} * ${price}, 0)"
    assert rows["end_date"]["constraint"] == ". > ${start_date}"
    assert rows["end_date"]["constraint_message::Arabic (ar)"] == "النهاية بعد البداية"
    xform = convert(xlsx.read_bytes(), validate=False).xform
    assert 'calculate="if( /data/main/nights  &gt; 0,' in xform
    assert 'constraint=". &gt;  /data/main/start_date "' in xform
