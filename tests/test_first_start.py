"""A new data folder: the one-time upgrade steps have nothing to do, and are noted at once."""

from __future__ import annotations

from app import ONE_TIME_STEPS, create_app
from upgrades.people import UPGRADES


def test_a_new_folder_notes_every_one_time_step_and_still_holds_no_data(tmp_path):
    config = {"TESTING": True, "DATA_DIR": str(tmp_path / "data"), "SECRET_KEY": "t"}
    data = create_app(config).extensions["rifd_store"]
    noted = data.find(UPGRADES)
    assert sorted(n["step"] for n in noted) == sorted(ONE_TIME_STEPS)
    assert all(n["fresh"] for n in noted)
    # A restore or a copy may still go into it.
    assert not data.holds_data()
    create_app(config)  # a second start notes nothing again
    assert len(data.find(UPGRADES)) == len(ONE_TIME_STEPS)
