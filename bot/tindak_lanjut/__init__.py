"""Complaint follow-up: each complaint's due date (working days, in the office's time zone), the
overdue and due-soon order staff work in, and the escalation steps of the region data."""
