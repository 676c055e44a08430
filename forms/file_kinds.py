"""The kinds of file that are pictures, sound or film: what a phone's camera or recorder takes.

A leaf module, so that forms.checks reads it without importing the field types.
"""

IMAGES = frozenset({"jpg", "png", "gif", "webp"})
# What phones record: a file field taking only these opens the recorder (XLSForm audio).
AUDIO = ("m4a", "mp3", "ogg", "wav", "aac", "amr")
# And the camera's films (XLSForm video); 3gp is an Android phone's film or sound.
VIDEO = ("mp4", "webm", "mov", "3gp")
