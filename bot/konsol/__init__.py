"""The staff console: a web app (Sanic, server-rendered Indonesian pages) served by the project.

    python -m bot konsol serve          (make run starts it: bot/konsol/service.py)

Pages live in `halaman/`, one module per area, each with a `register(app, konsol)` and a NAV
entry: the inbox of conversations handed to a person (`antrean`), complaints (`pengaduan`),
applications (`permohonan`) and, for admins, accounts and the audit trail (`staf`). A new area
(notifications, the satisfaction survey, reports...) is one more module in `halaman.PAGE_MODULES`.
Login, sessions and CSRF are `keamanan.py`; the handoff operations (take, reply, hand back) are
`layanan.py`, which writes into the conversation through the Rasa server's staff bridge
(`jembatan.py`) and delivers through the applicant's channel (`kirim.py`). See docs/konsol.md.
"""
