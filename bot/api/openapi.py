"""OpenAPI 3 description of the staff API, served at /api/v1/openapi.json."""

from __future__ import annotations

from bot.pengaduan.models import STATUS as STATUS_PENGADUAN
from bot.permohonan.models import STATUS as STATUS_PERMOHONAN

_ERROR = {"$ref": "#/components/schemas/Error"}


def _resp(description: str, schema: dict | None = None) -> dict:
    body = {"description": description}
    if schema is not None:
        body["content"] = {"application/json": {"schema": schema}}
    return body


_COMMON = {
    "400": _resp("Body atau parameter tidak valid", _ERROR),
    "413": _resp("Body terlalu besar", _ERROR),
    "401": _resp("Token salah atau tidak ada", _ERROR),
    "503": _resp("API dimatikan (PANDU_API_TOKEN tidak diatur)", _ERROR),
}

_PERMOHONAN_IN = {
    "type": "object",
    "required": ["nomor_permohonan", "layanan", "nama_pemohon", "telepon", "tanggal_masuk", "status"],
    "properties": {
        "nomor_permohonan": {"type": "string", "example": "503/0451/IZ/2026"},
        "layanan": {
            "type": "string",
            "description": "id standar atau nama persis",
            "example": "balangan-izin-apotek",
        },
        "wilayah": {"type": "string", "example": "balangan"},
        "nama_pemohon": {"type": "string"},
        "telepon": {"type": "string", "example": "081234567890"},
        "tanggal_masuk": {"type": "string", "format": "date"},
        "status": {"type": "string", "enum": list(STATUS_PERMOHONAN)},
        "tahap": {"type": ["string", "integer"], "description": "nomor langkah prosedur standar, atau teks"},
        "catatan": {"type": "string"},
        "nomor_izin": {"type": "string"},
        "tanggal_selesai": {"type": "string", "format": "date"},
        "kode_tanda_terima": {
            "type": "string",
            "description": "opsional: kode pada tanda terima (4-32 huruf/angka); bila dipakai kantor, "
            "pengecekan status di chat juga menanyakannya",
        },
    },
}

SPEC: dict = {
    "openapi": "3.0.3",
    "info": {
        "title": "Pandu Izin - API petugas",
        "version": "1",
        "description": "Sistem perizinan kantor mengirim data permohonan; petugas menangani pengaduan. "
        "Semua endpoint (kecuali /health dan /openapi.json) butuh header "
        "`Authorization: Bearer <PANDU_API_TOKEN>`.",
    },
    "servers": [{"url": "/api/v1"}],
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Error": {
                "type": "object",
                "properties": {
                    "error": {"type": "string"},
                    "alasan": {"type": "array", "items": {"type": "string"}},
                },
            },
            "PermohonanIn": _PERMOHONAN_IN,
        },
    },
    "security": [{"bearer": []}],
    "paths": {
        "/permohonan": {
            "put": {
                "summary": "Tambah atau perbarui satu permohonan (upsert menurut nomor_permohonan)",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/PermohonanIn"}}
                    },
                },
                "responses": {
                    "201": _resp("Permohonan baru tersimpan"),
                    "200": _resp("Permohonan diperbarui (hasil: diubah) atau tidak berubah (hasil: sama)"),
                    "422": _resp("Data tidak valid; `alasan` berisi semua masalah", _ERROR),
                    **_COMMON,
                },
            },
            "patch": {
                "summary": "Ubah status/tahap/catatan/nomor izin satu permohonan",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["nomor_permohonan"],
                                "properties": {
                                    "nomor_permohonan": {"type": "string"},
                                    "status": {"type": "string", "enum": list(STATUS_PERMOHONAN)},
                                    "tahap": {"type": ["string", "integer"]},
                                    "catatan": {"type": "string"},
                                    "nomor_izin": {"type": "string"},
                                    "tanggal_selesai": {"type": "string", "format": "date"},
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "200": _resp("Diubah"),
                    "404": _resp("Nomor tidak ada", _ERROR),
                    "422": _resp("Data tidak valid", _ERROR),
                    **_COMMON,
                },
            },
            "get": {
                "summary": "Baca satu permohonan dengan riwayatnya",
                "parameters": [
                    {"name": "nomor", "in": "query", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {"200": _resp("Permohonan"), "404": _resp("Tidak ada", _ERROR), **_COMMON},
            },
        },
        "/pengaduan": {
            "get": {
                "summary": "Daftar pengaduan, terbaru dulu",
                "parameters": [
                    {
                        "name": "status",
                        "in": "query",
                        "schema": {"type": "string", "enum": list(STATUS_PENGADUAN)},
                    },
                    {"name": "wilayah", "in": "query", "schema": {"type": "string"}},
                ],
                "responses": {"200": _resp("{jumlah, pengaduan: [...]}"), **_COMMON},
            }
        },
        "/pengaduan/{kode}": {
            "get": {
                "summary": "Baca satu pengaduan (termasuk identitas pelapor: RAHASIA)",
                "parameters": [
                    {"name": "kode", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {"200": _resp("Pengaduan"), "404": _resp("Tidak ada", _ERROR), **_COMMON},
            }
        },
        "/pengaduan/{kode}/tanggapan": {
            "post": {
                "summary": "Tulis tanggapan petugas (dilihat pelapor lewat 'cek pengaduan')",
                "parameters": [
                    {"name": "kode", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["tanggapan"],
                                "properties": {
                                    "tanggapan": {"type": "string"},
                                    "status": {"type": "string", "enum": list(STATUS_PENGADUAN)},
                                },
                            }
                        }
                    },
                },
                "responses": {"200": _resp("Tersimpan"), "404": _resp("Tidak ada", _ERROR), **_COMMON},
            }
        },
        "/pengaduan/{kode}/status": {
            "post": {
                "summary": "Ubah status pengaduan",
                "parameters": [
                    {"name": "kode", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["status"],
                                "properties": {
                                    "status": {"type": "string", "enum": list(STATUS_PENGADUAN)},
                                    "catatan": {"type": "string"},
                                },
                            }
                        }
                    },
                },
                "responses": {"200": _resp("Diubah"), "404": _resp("Tidak ada", _ERROR), **_COMMON},
            }
        },
    },
}
