"""Scripts and styles carry their content's version and are kept a year (web/static_files.py)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from web.static_files import YEAR, version

ROOT = Path(__file__).resolve().parents[2]


def test_pages_name_their_scripts_with_the_version_of_their_content(client):
    page = client.get("/").get_data(as_text=True)
    found = re.search(r'src="/static/js/page\.js\?v=([0-9a-f]{12})"', page)
    assert found, page
    content = (ROOT / "static" / "js" / "page.js").read_bytes()
    assert found.group(1) == hashlib.sha256(content).hexdigest()[:12]


def test_a_versioned_file_is_kept_a_year_an_unversioned_one_is_checked(anon):
    page = anon.get("/login").get_data(as_text=True)
    css = re.search(r'href="(/static/css/rifd\.css\?v=[0-9a-f]{12})"', page).group(1)
    kept = anon.get(css)
    assert kept.status_code == 200
    assert kept.cache_control.max_age == YEAR and kept.cache_control.public
    checked = anon.get("/static/css/rifd.css")
    assert checked.status_code == 200 and checked.cache_control.max_age is None
    assert checked.get_data() == kept.get_data()


def test_the_version_follows_the_file_and_nothing_outside_the_folder_has_one(tmp_path):
    script = tmp_path / "a.js"
    script.write_text("one()", encoding="utf-8")
    first = version(str(tmp_path), "a.js")
    script.write_text("two(2)", encoding="utf-8")
    assert version(str(tmp_path), "a.js") not in (None, first)
    assert version(str(tmp_path), "missing.js") is None
    assert version(str(tmp_path), "../" + tmp_path.name + "/a.js") is None
