"""The monthly office report: numbers (data.py), charts (grafik.py), HTML (html.py), PDF (pdf.py)."""
