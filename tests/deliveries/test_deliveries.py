"""Proof of delivery through the pages: a delivery recorded for an accepted request with its
proof, a voucher issued and verified, a bank batch exported and confirmed, the register."""

from __future__ import annotations

import io
import re
import zipfile

from docx import Document
from openpyxl import Workbook, load_workbook

from accounts.audit import COLLECTION as AUDIT
from accounts.roles import ROLES
from doc_templates import delivery_register as register_sheet
from privacy.erase import erase_person
from privacy.export import export_person
from privacy.person import find_person
from tests.cases.conftest import move, post
from tests.conftest import require_tool, sign_in
from tests.deliveries.conftest import IBAN, accepted
from tests.letters.test_pdf import assert_arabic, pdf_text
from tests.test_library import SIGNATURE

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
NAME = "فاطمة محمد عبدالله القحطاني"


def record(client, url: str, data: dict):
    return post(client, url, url, data)


def cash(client, cid: int, amount: str = "1500", **more):
    data = {"kind": "cash", "method": "bank_transfer", "amount": amount, **more}
    return record(client, f"/deliveries/new?case={cid}", data)


def delivery_id(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return int(re.search(r"/deliveries/(\d+)$", response.headers["Location"]).group(1))


def text_of(docx: bytes) -> str:
    doc = Document(io.BytesIO(docx))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    for section in doc.sections:
        parts += [p.text for p in section.header.paragraphs]
        parts += [c.text for t in section.header.tables for row in t.rows for c in row.cells]
    # Bidi isolates and the joiners that keep a reference in one piece are layout, not words.
    return re.sub("[\u2060\u2066-\u2069]", "", "\n".join(parts)).replace("\u202f", " ")


def test_a_delivery_for_an_accepted_request_keeps_its_proof_and_links(store, people):
    sara = people["sara"]
    cid = accepted(people)
    proof = (io.BytesIO(PDF), "إيصال.pdf")
    did = delivery_id(cash(sara, cid, "١٥٠٠", proofs=proof, description="إيجار شهرين"))
    found = store.get("deliveries", did)
    case = store.get("cases", cid)
    assert (found["case_id"], found["case_ref"], found["beneficiary_id"]) == (
        cid,
        case["ref"],
        case["beneficiary_id"],
    )
    assert found["amount"] == 1500 and found["decision"]["meeting_number"] == "7"
    assert found["transfer"]["status"] == "pending" and found["transfer"]["iban"] == IBAN
    [kept] = found["proofs"]
    page = sara.get(f"/deliveries/{did}").get_data(as_text=True)
    address = f"/deliveries/{did}/files/{kept['sha256']}"
    assert NAME in page and f'href="{address}"' in page
    assert sara.get(address).data == PDF
    entries = [e for e in store.iter(AUDIT) if e["entity"] == "delivery"]
    assert [e["action"] for e in entries] == ["record", "download"]
    # The request's page and the beneficiary's file list it, with a link to its page.
    assert f'href="/deliveries/{did}"' in sara.get(f"/cases/{cid}").get_data(as_text=True)
    person = sara.get(f"/beneficiaries/{case['beneficiary_id']}").get_data(as_text=True)
    assert f'href="/deliveries/{did}"' in person and 'id="deliveries"' in person


def test_no_delivery_before_the_committee_accepts_and_bad_input_is_named(store, people):
    sara = people["sara"]
    cid = accepted(people)
    refused = cash(sara, cid, amount="")
    assert refused.status_code == 400 and "اكتب مبلغ الدعم النقدي" in refused.get_data(as_text=True)
    late = record(sara, f"/deliveries/new?case={cid}", {"kind": "in_kind", "date": "2099-01-01"})
    assert "لا يكون في المستقبل" in late.get_data(as_text=True)
    bad = record(sara, f"/deliveries/new?case={cid}", {"kind": "x"})
    assert bad.status_code == 400
    assert store.count("deliveries") == 0
    # A request still with intake has no delivery.
    from tests.cases.conftest import submit_request

    fresh = submit_request(sara, "interview")
    early = record(sara, f"/deliveries/new?case={fresh}", {"kind": "in_kind"})
    assert early.status_code == 400 and "تقبله لجنة البحث" in early.get_data(as_text=True)


def test_served_is_refused_without_a_delivery_record_and_allowed_with_one(store, people):
    sara = people["sara"]
    cid = accepted(people)
    assert move(sara, cid, "register").status_code == 302
    refused = move(sara, cid, "serve", {"proof": "receipt"})
    assert refused.status_code == 400
    assert "دون سجل تسليم" in refused.get_data(as_text=True)
    assert store.get("cases", cid)["state"] == "registered"
    did = delivery_id(record(sara, f"/deliveries/new?case={cid}", {"kind": "in_kind"}))
    assert move(sara, cid, "serve", {"proof": "receipt"}).status_code == 302
    case = store.get("cases", cid)
    assert case["state"] == "served" and store.get("deliveries", did)["case_id"] == cid


def test_a_disbursement_voucher_prints_its_number_name_and_amount_and_verifies(store, people, anon):
    sara = people["sara"]
    cid = accepted(people)
    did = delivery_id(cash(sara, cid))
    url = f"/deliveries/{did}"
    issued = post(sara, url, f"{url}/voucher/disbursement_voucher", {"signature": SIGNATURE})
    assert issued.status_code == 302
    [voucher] = store.get("deliveries", did)["vouchers"]
    letter = store.get("letters", voucher["letter_id"])
    assert re.fullmatch(r"DV/14\d\d/000001", letter["number"]), letter["number"]
    text = text_of(store.read_file(letter["sha256"]))
    assert letter["number"] in text and NAME in text and "1,500" in text and "سند صرف" in text
    assert "ألف وخمسمائة" in text
    assert voucher["signature"]["sha256"]  # drawn on the page, printed in the voucher
    verify = anon.get(f"/verify/{letter['code']}").get_data(as_text=True)
    assert letter["number"] in verify and "سند صرف" in verify
    # A receipt voucher has its own series; the outgoing letters keep theirs.
    post(sara, url, f"{url}/voucher/receipt_voucher")
    post(sara, f"/cases/{cid}", f"/cases/{cid}/letter/acceptance")
    numbers = [x["number"] for x in store.iter("letters")]
    assert [n.split("/")[0] for n in numbers] == [numbers[0][:4], "DV", "RV", numbers[0][:4]]
    assert numbers[3].endswith("/000002")  # after the declaration's 000001
    # A signed paper voucher, scanned, is kept with the delivery.
    scan = {"scan": (io.BytesIO(PDF), "سند.pdf")}
    receipt = store.get("deliveries", did)["vouchers"][1]
    assert post(sara, url, f"{url}/voucher/{receipt['letter_id']}/signed", scan).status_code == 302
    kept = store.get("deliveries", did)["vouchers"][1]["signed_scan"]
    assert sara.get(f"{url}/files/{kept['sha256']}").data == PDF


def test_a_voucher_cannot_be_issued_as_an_ordinary_letter(store, people):
    sara = people["sara"]
    cid = accepted(people)
    response = post(sara, f"/cases/{cid}", f"/cases/{cid}/letter/disbursement_voucher")
    assert response.status_code == 404
    assert all(x["letter_type"] != "disbursement_voucher" for x in store.iter("letters"))


def confirmation(rows: list[list]) -> bytes:
    book = Workbook()
    book.active.append(["المرجع", "الحالة", "السبب"])
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, bid: int, data: bytes):
    url = f"/deliveries/transfers/{bid}"
    sheet = {"sheet": (io.BytesIO(data), "bank.xlsx")}
    return post(client, url, f"{url}/confirmation", sheet)


def test_a_bank_batch_is_exported_and_its_confirmation_marks_each_transfer(store, people):
    sara, omar = people["sara"], people["omar"]
    cid = accepted(people)
    first, second = delivery_id(cash(sara, cid, "1000")), delivery_id(cash(sara, cid, "500"))
    assert "لا يوجد آيبان" not in omar.get("/deliveries/transfers/").get_data(as_text=True)
    made = post(omar, "/deliveries/transfers/", "/deliveries/transfers/batch")
    bid = int(made.headers["Location"].rsplit("/", 1)[1])
    sheet = load_workbook(io.BytesIO(omar.get(f"/deliveries/transfers/{bid}/sheet.xlsx").data))
    ws = sheet.active
    assert ws.sheet_view.rightToLeft
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("المرجع", "اسم المستفيد", "الآيبان", "المبلغ", "البيان")
    refs = {row[3]: row[0] for row in rows[1:]}
    assert sorted(refs) == [500, 1000] and {row[1] for row in rows[1:]} == {NAME}
    assert {row[2] for row in rows[1:]} == {IBAN}

    # Bad files change nothing and say why, in Arabic.
    garbage = upload(omar, bid, b"not a spreadsheet")
    assert garbage.status_code == 400 and "ليس ملف Excel" in garbage.get_data(as_text=True)
    half = upload(omar, bid, confirmation([[refs[1000], "تم"], ["RFD9999-000001", "تم"]]))
    assert half.status_code == 400 and "السطر 3" in half.get_data(as_text=True)
    odd = upload(omar, bid, confirmation([[refs[1000], "ربما"]]))
    assert "حالة غير مفهومة" in odd.get_data(as_text=True)
    assert {store.get("deliveries", d)["transfer"]["status"] for d in (first, second)} == {"sent"}

    good = confirmation([[refs[1000], "تم", ""], [refs[500], "مرفوض", "الحساب مغلق"]])
    assert upload(omar, bid, good).status_code == 302
    assert store.get("deliveries", first)["transfer"]["status"] == "done"
    failed = store.get("deliveries", second)["transfer"]
    assert (failed["status"], failed["reason"]) == ("failed", "الحساب مغلق")
    assert store.get("transfer_batches", bid)["confirmation"]["name"] == "bank.xlsx"
    # A failed transfer delivered nothing: no voucher for it.
    url = f"/deliveries/{second}"
    assert post(sara, url, f"{url}/voucher/disbursement_voucher").status_code == 400


def test_a_confirmation_document_with_marks_made_by_hand(store, people):
    sara, omar = people["sara"], people["omar"]
    did = delivery_id(cash(sara, accepted(people)))
    made = post(omar, "/deliveries/transfers/", "/deliveries/transfers/batch")
    bid = int(made.headers["Location"].rsplit("/", 1)[1])
    url = f"/deliveries/transfers/{bid}"
    unmarked = post(omar, url, f"{url}/confirmation", {"document": (io.BytesIO(PDF), "b.pdf")})
    assert unmarked.status_code == 400
    marks = {f"status-{did}": "done", "document": (io.BytesIO(PDF), "bank.pdf")}
    assert post(omar, url, f"{url}/confirmation", marks).status_code == 302
    assert store.get("deliveries", did)["transfer"]["status"] == "done"
    assert omar.get(f"{url}/confirmation").data == PDF
    downloads = [e for e in store.iter(AUDIT) if e["action"] == "download"]
    assert [(e["entity"], e["after"]["name"]) for e in downloads] == [
        ("transfer_batch", "bank.pdf")
    ]


def test_the_register_lists_filters_and_exports_with_links(app, store, people, runner):
    sara, nora = people["sara"], people["nora"]
    cid = accepted(people)
    old = delivery_id(
        record(sara, f"/deliveries/new?case={cid}", {"kind": "in_kind", "date": "2026-01-10"})
    )
    new = delivery_id(cash(sara, cid, proofs=(io.BytesIO(PDF), "p.pdf")))
    page = nora.get("/deliveries/").get_data(as_text=True)
    assert f'href="/deliveries/{old}"' in page and f'href="/deliveries/{new}#proofs"' in page
    january = nora.get("/deliveries/?from=2026-01-01&to=2026-01-31").get_data(as_text=True)
    assert f'href="/deliveries/{old}"' in january and f'href="/deliveries/{new}"' not in january
    bid = store.get("cases", cid)["beneficiary_id"]
    theirs = nora.get(f"/deliveries/?beneficiary={bid}&from=2026-01-01").get_data(as_text=True)
    assert f'href="/deliveries/{old}"' in theirs and f'href="/deliveries/{new}"' in theirs
    assert f'href="/deliveries/{old}"' not in nora.get(
        f"/deliveries/?beneficiary={bid + 1}"
    ).get_data(as_text=True)
    bad = nora.get("/deliveries/?from=tomorrow")
    assert bad.status_code == 400 and "تاريخ غير صحيح" in bad.get_data(as_text=True)

    sheet = load_workbook(
        io.BytesIO(nora.get("/deliveries/export.xlsx?from=2026-01-01").data)
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    assert sheet.sheet_view.rightToLeft and rows[0][0] == "رقم التسليم"
    assert [r[0] for r in rows[1:]] == [new, old]
    assert rows[1][-1].endswith(f"/deliveries/{new}") and rows[1][-2] == "p.pdf"

    out = app.config["DATA_DIR"] + "/january.xlsx"
    result = runner.invoke(
        args=["deliveries", "export", "--from", "2026-01-01", "--to", "2026-01-31", "-o", out]
    )
    assert result.exit_code == 0, result.output
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [old] and rows[1][2] == NAME and rows[1][3] == "دعم عيني"
    wrong = runner.invoke(args=["deliveries", "export", "--from", "soon", "-o", out])
    assert wrong.exit_code != 0 and "not a date" in wrong.output


def test_each_person_does_only_what_his_role_allows(store, people):
    sara, vera, huda, omar = people["sara"], people["vera"], people["huda"], people["omar"]
    cid = accepted(people)
    did = delivery_id(cash(sara, cid, proofs=(io.BytesIO(PDF), "p.pdf")))
    digest = store.get("deliveries", did)["proofs"][0]["sha256"]
    assert vera.get("/deliveries/").status_code == 200  # the viewer reads the register
    assert vera.get(f"/deliveries/{did}/files/{digest}").status_code == 403  # no reveal
    assert f"/files/{digest}" not in vera.get(f"/deliveries/{did}").get_data(as_text=True)
    for client in (vera, huda):
        assert client.get(f"/deliveries/new?case={cid}").status_code == 403
        assert client.post(f"/deliveries/{did}/voucher/disbursement_voucher").status_code == 403
    for client in (sara, vera, huda):
        assert client.get("/deliveries/transfers/").status_code == 403
        assert client.post("/deliveries/transfers/batch").status_code == 403
    assert omar.get("/deliveries/transfers/").status_code == 200
    assert people["boss"].get("/deliveries/").status_code == 403
    assert store.count("deliveries") == 1


def test_erasing_the_person_keeps_the_accounts_and_drops_him(app, store, people):
    sara = people["sara"]
    did = delivery_id(cash(sara, accepted(people), proofs=(io.BytesIO(PDF), "p.pdf")))
    url = f"/deliveries/{did}"
    post(sara, url, f"{url}/voucher/receipt_voucher", {"signature": SIGNATURE})
    before = store.get("deliveries", did)
    files = [before["proofs"][0]["sha256"], before["vouchers"][0]["signature"]["sha256"]]
    person = find_person(store, app.extensions["rifd_forms"], "1000000008")
    assert [d["id"] for d in person.deliveries] == [did]
    summary = erase_person(store, app.extensions["rifd_forms"], person, retention_years=10)
    after = store.get("deliveries", did)
    assert summary["deliveries"] == 1
    assert (after["name"], after["national_id"], after["transfer"]["iban"]) == ("—", "", "")
    assert (after["kind"], after["amount"], after["date"]) == ("cash", 1500, before["date"])
    assert after["proofs"] == [] and "signature" not in after["vouchers"][0]
    assert not any(store.has_file(digest) for digest in files)
    voucher = store.get("letters", after["vouchers"][0]["letter_id"])
    assert voucher["recipient"] == "—" and voucher["number"].startswith("RV/")
    assert NAME not in str(list(store.iter("deliveries")))


def test_a_program_session_delivered_to_a_group_is_found_by_its_program(store, people):
    sara = people["sara"]
    pid = store.insert("programs", {"name": "دورة الإسعافات الأولية"})
    session = {"kind": "session", "group": "أسر حي المزروعية", "quantity": "25"}
    did = delivery_id(record(sara, f"/deliveries/new?program={pid}", session))
    found = store.get("deliveries", did)
    assert (found["program_id"], found["program_name"], found["group"]) == (
        pid,
        "دورة الإسعافات الأولية",
        "أسر حي المزروعية",
    )
    assert found["quantity"] == 25 and found.get("beneficiary_id") is None
    assert f'href="/deliveries/{did}"' in sara.get(f"/deliveries/?program={pid}").get_data(
        as_text=True
    )
    assert f'href="/deliveries/{did}"' not in sara.get(f"/deliveries/?program={pid + 1}").get_data(
        as_text=True
    )
    nobody = record(sara, f"/deliveries/new?program={pid}", {"kind": "session"})
    assert nobody.status_code == 400 and "وصف المجموعة" in nobody.get_data(as_text=True)
    missing = record(sara, "/deliveries/new?program=999", {"kind": "session", "group": "x"})
    assert missing.status_code == 400 and "لا يوجد برنامج" in missing.get_data(as_text=True)


def test_the_persons_export_holds_his_deliveries_proofs_and_vouchers(app, store, people):
    sara = people["sara"]
    did = delivery_id(cash(sara, accepted(people), proofs=(io.BytesIO(PDF), "p.pdf")))
    post(sara, f"/deliveries/{did}", f"/deliveries/{did}/voucher/disbursement_voucher")
    number = store.get("deliveries", did)["vouchers"][0]["number"]
    person = find_person(store, app.extensions["rifd_forms"], "1000000008")
    archive = zipfile.ZipFile(
        io.BytesIO(export_person(store, app.extensions["rifd_forms"], person))
    )
    names = archive.namelist()
    assert archive.read(f"documents/delivery-{did}/proof-1.pdf") == PDF
    assert f"letters/{number.replace('/', '_')}.docx" in names
    sheet = load_workbook(io.BytesIO(archive.read("data.xlsx")))["التسليمات"]
    [header, row] = list(sheet.iter_rows(values_only=True))
    assert header[0] == "رقم التسليم" and row[0] == str(did) and row[8] == number


def test_a_transfers_permission_without_reveal_gets_403_not_500(app, monkeypatch):
    monkeypatch.setitem(ROLES, "teller", frozenset({"deliveries.transfers"}))
    client = app.test_client()
    sign_in(client, app, username="teller", roles=["teller"])
    assert client.get("/deliveries/transfers/").status_code == 200
    made = post(client, "/deliveries/transfers/", "/deliveries/transfers/batch")
    assert made.status_code == 403  # the batch shows IBANs in full: pii.reveal too


def test_the_register_prints_for_an_auditor_with_its_lines_totals_and_period(store, people):
    sara, nora, ali = people["sara"], people["nora"], people["ali"]
    cid = accepted(people)
    kind = record(sara, f"/deliveries/new?case={cid}", {"kind": "in_kind", "date": "2026-01-10"})
    old = delivery_id(kind)
    new = delivery_id(cash(sara, cid, amount="1250", proofs=(io.BytesIO(PDF), "p.pdf")))
    ref = store.get("cases", cid)["ref"]
    response = nora.get("/deliveries/register.docx")
    assert response.status_code == 200 and response.data.startswith(b"PK")
    text = text_of(response.data)
    for expected in ("سجل التسليم", "كل الفترات", NAME, "دعم عيني", "دعم نقدي", ref):
        assert expected in text, expected
    assert "1,250 ريال" in text and "مجموع المبالغ: 1,250 ريال" in text
    assert "عدد عمليات التسليم: 2" in text and "مرفقات: 1" in text
    assert str(old) in text and str(new) in text
    # A period chooses the lines and is printed above them.
    january = text_of(nora.get("/deliveries/register.docx?from=2026-01-01&to=2026-01-31").data)
    assert "عدد عمليات التسليم: 1" in january and "دعم نقدي" not in january
    assert "من " in january and " إلى " in january
    bad = nora.get("/deliveries/register.docx?from=tomorrow", follow_redirects=True)
    assert bad.status_code == 400 and "تاريخ غير صحيح" in bad.get_data(as_text=True)
    assert nora.get("/deliveries/register.odt").status_code == 404
    assert ali.get("/deliveries/register.docx").status_code == 403  # no deliveries.read
    page = nora.get("/deliveries/").get_data(as_text=True)
    assert 'href="/deliveries/register.docx"' in page and 'href="/deliveries/register.pdf"' in page


def test_the_shipped_register_sheet_is_what_its_script_builds():
    """A hand-edited or stale sheet fails: run `python -m doc_templates.delivery_register`."""
    with (
        zipfile.ZipFile(register_sheet.PATH) as shipped,
        zipfile.ZipFile(io.BytesIO(register_sheet.build())) as new,
    ):
        assert shipped.namelist() == new.namelist()
        for member in shipped.namelist():
            assert shipped.read(member) == new.read(member), member


def test_the_printed_register_as_pdf_says_what_the_word_file_says(store, people, tmp_path):
    require_tool("soffice")
    sara, nora = people["sara"], people["nora"]
    cid = accepted(people)
    delivery_id(cash(sara, cid, amount="1250"))
    response = nora.get("/deliveries/register.pdf")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    text = pdf_text(response.data, tmp_path)
    assert_arabic(text, "سجل التسليم")
    assert "العتيبي" in text or "القحطاني" in text  # the beneficiary's family name
    assert "1,250" in text and store.get("cases", cid)["ref"] in text
