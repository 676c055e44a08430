"""position(): the number of the repeat row a condition or calculation is read in.

XLSForm's position(..) (forms.xlsform.translate): a question shown from the second
guest on, a row's own number computed. The server decides what the page showed:
an answer to a question its row hides is dropped, the number is the server's.
"""

import json
from pathlib import Path

import pytest

from forms.definition import DefinitionError, parse_definition
from forms.xlsform import XLSFormError, export_xlsform, import_xlsform
from tests.conftest import post_form
from tests.forms.xlsforms.build import workbook
from tests.web.conftest import t
from tests.web.test_staff_forms import errors_by_field, stored

URL = "/forms/party/new"

PARTY = {
    "id": "party",
    "version": 1,
    "ref_prefix": "PT",
    "title": t("الضيوف", "Guests"),
    "sections": [
        {
            "name": "main",
            "title": t("الضيوف", "Guests"),
            "fields": [
                {
                    "name": "guests",
                    "type": "repeat",
                    "label": t("الضيوف", "Guests"),
                    "fields": [
                        {"name": "guest", "type": "text", "label": t("الاسم", "Name")},
                        {
                            "name": "relation",
                            "type": "text",
                            "label": t("صلته بالضيف الأول", "Relation to the first guest"),
                            "visible_if": "position() > 1",
                        },
                        {
                            "name": "number",
                            "type": "calculate",
                            "label": t("الرقم", "Number"),
                            "calculation": "position()",
                        },
                    ],
                }
            ],
        }
    ],
}


@pytest.fixture(autouse=True)
def party_form(app, own_forms):
    folder = Path(app.config["DATA_DIR"]) / "forms"
    (folder / "party.json").write_text(json.dumps(PARTY, ensure_ascii=False), "utf-8")


def test_each_row_is_read_with_its_own_number(client, store):
    page = client.get(URL).get_data(as_text=True)
    assert 'data-visible-if="position() &gt; 1"' in page
    sent = {
        "rifd-channel": "interview",
        "guests-0-guest": "سارة",
        "guests-0-relation": "نفسها",  # hidden in the first row: dropped
        "guests-0-number": "9",  # a calculate is never read from the page
        "guests-1-guest": "علي",
        "guests-1-relation": "أخوها",
    }
    response = post_form(client, URL, sent)
    assert response.status_code == 302, errors_by_field(response.get_data(as_text=True))
    [record] = stored(store, "party")
    assert record["answers"]["guests"] == [
        {"guest": "سارة", "number": 1},
        {"guest": "علي", "relation": "أخوها", "number": 2},
    ]


def test_position_goes_to_xlsform_and_back():
    definition = parse_definition(PARTY)
    data = export_xlsform(definition)
    assert import_xlsform(data, "party.xlsx") == PARTY


def test_position_outside_a_repeat_is_refused_on_import():
    survey = [["type", "name", "label", "relevant"], ["text", "a", "A", "position(..) = 1"]]
    with pytest.raises(XLSFormError) as caught:
        import_xlsform(workbook({"survey": survey}), "f.xlsx")
    assert caught.value.messages == [
        "f.xlsx: survey row 2, column relevant: position(..) is the number of a repeat's row:"
        " only inside a repeat"
    ]


def test_position_outside_a_repeat_is_refused_in_a_definition():
    outside = {"name": "later", "type": "text", "label": t("لاحقًا", "Later")}
    data = json.loads(json.dumps(PARTY))
    data["sections"][0]["fields"].append({**outside, "visible_if": "position() > 1"})
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data)
    assert caught.value.messages == [
        "<definition>: sections[0].fields[1].visible_if: position() is the number of a"
        " repeat's row: only inside a repeat"
    ]
