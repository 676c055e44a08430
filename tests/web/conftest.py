"""A small form of our own in the app's data folder, so web tests do not depend on the library."""

import base64
import json
from pathlib import Path

import pytest

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def t(ar, en):
    return {"ar": ar, "en": en}


INTAKE = {
    "id": "intake",
    "version": 3,
    "ref_prefix": "IN",
    "title": t("نموذج استقبال", "Intake form"),
    "sections": [
        {
            "name": "person",
            "title": t("البيانات", "Details"),
            "fields": [
                {
                    "name": "full_name",
                    "type": "text",
                    "label": t("الاسم", "Name"),
                    "required": True,
                },
                {
                    "name": "national_id",
                    "type": "national_id",
                    "label": t("رقم الهوية", "ID"),
                    "required": True,
                },
                {"name": "mobile", "type": "mobile", "label": t("الجوال", "Mobile")},
                {"name": "iban", "type": "iban", "label": t("الآيبان", "IBAN")},
                {"name": "income", "type": "decimal", "label": t("الدخل", "Income")},
                {"name": "birth", "type": "date", "label": t("الميلاد", "Birth date")},
                {
                    "name": "married",
                    "type": "yes_no",
                    "label": t("متزوج؟", "Married?"),
                    "required": True,
                },
                {
                    "name": "spouse",
                    "type": "text",
                    "label": t("اسم الزوج", "Spouse"),
                    "required": True,
                    "visible_if": "married",
                },
                {
                    "name": "id_copy",
                    "type": "file",
                    "label": t("صورة الهوية", "ID copy"),
                    "accept": ["pdf", "jpg", "png"],
                },
                {"name": "sign", "type": "signature", "label": t("التوقيع", "Signature")},
            ],
        },
        {
            "name": "family",
            "title": t("الأسرة", "Family"),
            "fields": [
                {
                    "name": "members",
                    "type": "repeat",
                    "label": t("أفراد الأسرة", "Members"),
                    "max": 3,
                    "fields": [
                        {
                            "name": "member_name",
                            "type": "text",
                            "label": t("الاسم", "Name"),
                            "required": True,
                        },
                        {"name": "member_age", "type": "integer", "label": t("العمر", "Age")},
                    ],
                },
            ],
        },
    ],
}

SURVEY = {
    "id": "quick_survey",
    "version": 1,
    "public": True,
    "ref_prefix": "QS",
    "title": t("استبيان", "Survey"),
    "sections": [
        {
            "name": "s",
            "title": t("رأيك", "Your view"),
            "fields": [
                {
                    "name": "overall",
                    "type": "rating",
                    "label": t("التقييم العام", "Overall"),
                    "required": True,
                },
                {"name": "comment", "type": "textarea", "label": t("ملاحظات", "Comments")},
                {
                    "name": "internal",
                    "type": "text",
                    "label": t("داخلي", "Internal"),
                    "staff_only": True,
                },
            ],
        },
    ],
}


@pytest.fixture(autouse=True)
def own_forms(app):
    folder = Path(app.config["DATA_DIR"]) / "forms"
    folder.mkdir(parents=True, exist_ok=True)
    for form in (INTAKE, SURVEY):
        (folder / f"{form['id']}.json").write_text(
            json.dumps(form, ensure_ascii=False), encoding="utf-8"
        )


@pytest.fixture
def valid_intake():
    """A complete, valid staff submission of the intake form."""
    return {
        "rifd-channel": "interview",
        "full_name": "محمد بن عبدالله",
        "national_id": "١٠٠٠٠٠٠٠٠٨",
        "mobile": "0512345678",
        "iban": "SA0380000000608010167519",
        "income": "٣٥٠٠٫٥",
        "birth": "1985-03-14",
        "married": "yes",
        "spouse": "نورة",
        "members-0-member_name": "سارة",
        "members-0-member_age": "9",
        "members-1-member_name": "",
        "members-1-member_age": "",
        "sign": "data:image/png;base64," + base64.b64encode(PNG).decode(),
    }


def holdings(app) -> dict:
    """What the data folder holds: records per collection and every stored file.

    Taken before and after a hostile request: equal means nothing was stored.
    The audit trail is left out, since a refused sign-in is rightly recorded, and so
    are the locks and the hit counts behind the lock-out (_locks/).
    """
    store = app.extensions["rifd_store"]
    root = Path(app.config["DATA_DIR"])
    records = {name: store.count(name) for name in store.collections() if name != "audit"}
    files = {
        str(path.relative_to(root))
        for path in root.rglob("*")
        if path.is_file()
        and "audit" not in path.parts
        and "_locks" not in path.parts
        and not path.name.endswith(".lock")
    }
    return {"records": records, "files": files}
