"""XLSForm's audio and video: a file field of what phones record, the recorder opened.

Imported from the corpus' widget sampler's own rows, filled through the staff page
(the server checks what was sent by its content, not its name), and written back as
audio and video, which pyxform reads as its own widgets.
"""

import io
import json
import re
from pathlib import Path

from pyxform.xls2xform import convert

from forms.definition import parse_definition
from forms.file_kinds import AUDIO, VIDEO
from forms.xlsform import export_xlsform, import_xlsform
from tests.conftest import post_form
from tests.forms.xlsforms.build import workbook
from tests.web.conftest import PDF
from tests.web.test_staff_forms import errors_by_field, stored

SURVEY = [
    ["type", "name", "label"],
    ["audio", "my_audio", "audio widget"],
    ["video", "my_video", "video widget"],
]
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\x00" * 300
MP4 = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + b"\x00" * 300


def imported() -> dict:
    return import_xlsform(workbook({"survey": SURVEY}), "media.xlsx")


def test_audio_and_video_are_recorded_files_and_go_back_as_themselves():
    form = imported()
    audio, video = form["sections"][0]["fields"]
    assert audio == {
        "name": "my_audio",
        "type": "file",
        "label": {"ar": "audio widget"},
        "accept": list(AUDIO),
        "camera": True,
    }
    assert video["accept"] == list(VIDEO) and video["camera"] is True
    data = export_xlsform(parse_definition(form))
    assert import_xlsform(data, "again.xlsx") == form
    xform = convert(data, validate=False).xform
    assert 'mediatype="audio/*"' in xform and 'mediatype="video/*"' in xform


def test_the_page_opens_the_recorder_and_the_server_takes_only_sound(client, store, app):
    form = imported()
    folder = Path(app.config["DATA_DIR"]) / "forms"
    (folder / f"{form['id']}.json").write_text(json.dumps(form, ensure_ascii=False), "utf-8")
    url = f"/forms/{form['id']}/new"
    page = client.get(url).get_data(as_text=True)
    recorder = re.search(r'<input[^>]*name="my_audio"[^>]*>', page).group(0)
    assert "audio/mpeg" in recorder and 'capture="environment"' in recorder
    camera = re.search(r'<input[^>]*name="my_video"[^>]*>', page).group(0)
    assert "video/mp4" in camera and 'capture="environment"' in camera
    sent = {"rifd-channel": "interview", "my_audio": (io.BytesIO(PDF), "voice.mp3")}
    response = post_form(client, url, sent)
    assert response.status_code == 400
    assert list(errors_by_field(response.get_data(as_text=True))) == ["my_audio"]
    sent = {
        "rifd-channel": "interview",
        "my_audio": (io.BytesIO(MP3), "voice.mp3"),
        "my_video": (io.BytesIO(MP4), "clip.mp4"),
    }
    response = post_form(client, url, sent)
    assert response.status_code == 302, errors_by_field(response.get_data(as_text=True))
    [record] = stored(store, form["id"])
    assert record["answers"]["my_audio"]["type"] == "mp3"
    assert record["answers"]["my_video"]["type"] == "mp4"
