"""Pandu Izin: permit-guidance assistant for DPMPTSP offices (knowledge base, NLU, channels)."""
