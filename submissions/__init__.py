"""Submissions: saving, finding and exporting what people entered."""
