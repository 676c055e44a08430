"""Production hashes passwords at full Argon2id strength; only the tests use a cheap profile."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from argon2 import PasswordHasher, extract_parameters

ROOT = Path(__file__).resolve().parents[2]

PROGRAM = """
import json
from accounts import users
hashed_at_import = len(users._dummy)
from store import Store
import tempfile
store = Store(tempfile.mkdtemp())
user = users.create(store, "sara", "a long enough password", ["intake"])
print(json.dumps({"hash": user["password_hash"], "hashed_at_import": hashed_at_import}))
"""


def test_production_hashes_at_full_strength_and_the_import_hashes_nothing():
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM], cwd=ROOT, capture_output=True, text=True, check=True
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    used = extract_parameters(result["hash"])
    full = PasswordHasher()
    assert used.type.name == "ID"
    assert (used.time_cost, used.memory_cost, used.parallelism) == (
        full.time_cost,
        full.memory_cost,
        full.parallelism,
    )
    assert full.memory_cost >= 65536
    assert result["hashed_at_import"] == 0


def test_the_tests_sign_in_with_a_cheap_profile(store):
    from accounts import users

    user = users.create(store, "cheap", "a long enough password", ["intake"])
    assert extract_parameters(user["password_hash"]).memory_cost < PasswordHasher().memory_cost
