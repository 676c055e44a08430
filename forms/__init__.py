"""The form engine: definitions, field types, conditions, WTForms building, exports.

Flask-free where it can be, so that the CLI, the web views and the benchmarks
share one path from a JSON definition to validated, normalised answers.
"""
