"""The kinds of file that are pictures: what an image field and a phone's camera take.

A leaf module, so that forms.checks reads it without importing the field types.
"""

IMAGES = frozenset({"jpg", "png", "gif", "webp"})
