"""The reports a board reads: a period's requests, decisions, deliveries, satisfaction and
complaints (reports/board.py), and a survey's own results, as Word, PDF and Excel
(reports/documents.py)."""
