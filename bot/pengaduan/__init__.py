"""Complaints (pengaduan) and suggestions (saran), each with an unguessable ticket."""
