"""A picture with a question's label (XLSForm image::<language>): kept and written back.

Rifd holds no media files: the definition keeps each language's file name and the
export writes it back where pyxform reads it (jr://images/...), so a form goes to
ODK and comes back with its pictures named. Media Rifd has no place for (a choice's
picture, audio, video) is still listed.
"""

import pytest
from pyxform.xls2xform import convert

from forms.definition import parse_definition
from forms.xlsform import XLSFormError, export_xlsform, import_xlsform
from tests.forms.xlsforms.build import workbook


def test_a_labels_picture_is_kept_by_language_and_exported_back():
    survey = [
        ["type", "name", "label::Arabic (ar)", "label::English (en)", "image::Arabic (ar)",
         "media::image::English (en)"],
        ["text", "coffee", "قهوة؟", "Coffee?", "mug_ar.jpg", "mug_en.jpg"],
    ]  # fmt: skip
    form = import_xlsform(workbook({"survey": survey}), "mug.xlsx")
    [coffee] = form["sections"][0]["fields"]
    assert coffee["label_image"] == {"ar": "mug_ar.jpg", "en": "mug_en.jpg"}
    data = export_xlsform(parse_definition(form))
    assert import_xlsform(data, "again.xlsx") == form
    xform = convert(data, validate=False).xform
    assert '<value form="image">jr://images/mug_ar.jpg</value>' in xform
    assert '<value form="image">jr://images/mug_en.jpg</value>' in xform


@pytest.mark.parametrize(
    ("sheets", "line"),
    [
        (
            {
                "survey": [["type", "name", "label"], ["select_one c", "q", "Q"]],
                "choices": [["list_name", "name", "label", "image"], ["c", "a", "A", "a.jpg"]],
            },
            "m.xlsx: choices row 2, column image: media (images, audio, video) is not supported"
            " by Rifd",
        ),
        (
            {"survey": [["type", "name", "label", "audio"], ["text", "q", "Q", "q.mp3"]]},
            'm.xlsx: survey row 2, column audio: the column "audio" is not supported by Rifd',
        ),
    ],
)
def test_media_rifd_has_no_place_for_is_listed(sheets, line):
    with pytest.raises(XLSFormError) as caught:
        import_xlsform(workbook(sheets), "m.xlsx")
    assert caught.value.messages == [line]
