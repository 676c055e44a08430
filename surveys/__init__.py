"""The results of a form's answers: kept tallies, the figures worked out from them, charts.

surveys/tallies.py   what each stored answer adds to its day's tally (one home, called
                     in the submission's own save step) and the rebuild for older data
surveys/figures.py   pure functions: tallies in, figures out (CSAT, NPS, distributions,
                     the trend by Hijri month); what a page, a command and a report print
surveys/query.py     a filter (period, channel, program, service, staff) read from the
                     store through the tallies or the indexes
surveys/charts.py    one chart per question, drawn on the server (SVG and PNG)
"""
