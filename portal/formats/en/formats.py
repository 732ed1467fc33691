"""English formats of the portal.

Django's English default writes "12/04/2026 10:17 p.m.", which customers
outside the United States misread. Year-month-day with a 24-hour clock is
what the requests overview and the CSV export show, so every page does.
"""

SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
