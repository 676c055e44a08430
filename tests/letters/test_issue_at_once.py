"""Several staff issuing letters at the same moment through the pages (the server is threaded)."""

import io
import re
import threading

from docx import Document
from docx.oxml.ns import qn

from letters.issue import REGISTER
from tests.conftest import csrf_token, post_form, sign_in

PEOPLE = 4
LETTERS_EACH = 3


def test_people_issuing_at_once_get_their_own_letters_and_unbroken_numbers(app, valid_intake):
    clients = []
    for i in range(PEOPLE):
        client = app.test_client()
        sign_in(client, app, f"staff{i}")
        response = post_form(
            client, "/forms/intake/new", dict(valid_intake, full_name=f"مستفيد {i}")
        )
        rid = int(re.search(r"/submissions/(\d+)", response.headers["Location"]).group(1))
        page = f"/forms/intake/submissions/{rid}"
        clients.append((client, rid, csrf_token(client, page)))
    start, failures = threading.Barrier(PEOPLE), []

    def issue(client, rid, token):
        start.wait()
        for _ in range(LETTERS_EACH):
            data = {"csrf_token": token, "template": "acceptance", "again": "y"}
            response = client.post(f"/letters/from/intake/{rid}", data=data)
            if response.status_code != 302 or "/letters/" not in response.headers["Location"]:
                failures.append(response.status_code)

    threads = [threading.Thread(target=issue, args=args) for args in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert failures == []

    data = app.extensions["rifd_store"]
    letters = list(data.iter(REGISTER))
    assert sorted(x["seq"] for x in letters) == list(range(1, PEOPLE * LETTERS_EACH + 1))
    for letter in letters:  # one prepared template shared by threads, each letter its own
        i = int(letter["issued_by"].removeprefix("staff"))
        assert letter["recipient"] == f"مستفيد {i}"
        document = Document(io.BytesIO(data.read_file(letter["sha256"])))
        body = "\n".join(p.text for p in document.paragraphs)
        header = "".join(t.text or "" for t in document.sections[0].header._element.iter(qn("w:t")))
        assert f"مستفيد {i}" in body and letter["number"] in header
        assert sum(f"مستفيد {j}" in body for j in range(PEOPLE)) == 1
