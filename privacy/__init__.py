"""A beneficiary's rights under the PDPL: find all that is held about him, export it, erase it."""
