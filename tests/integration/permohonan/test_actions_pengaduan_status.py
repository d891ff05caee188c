"""Status-check and complaint actions against a real (migrated, loaded) database."""

from __future__ import annotations

import logging
import random
from datetime import date

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from actions.applications import (
    TERKUNCI,
    ActionCekStatusPermohonan,
    ValidateCekPermohonanForm,
    cari_nomor,
)
from actions.complaints import (
    FORM_SLOTS,
    ActionAskPengaduanKonfirmasi,
    ActionCekPengaduan,
    ActionMulaiPengaduan,
    ActionSimpanPengaduan,
    ValidatePengaduanForm,
)
from bot.nlu.linking import link
from bot.pengaduan.repository import get_pengaduan, list_pengaduan, tanggapi
from bot.permohonan.importer import impor_csv
from tests.permohonan_support import (
    APOTEK,
    SUSU,
    TODAY,
    permohonan_record,
    write_csv,
)

URAIAN = "Petugas loket meminta uang tambahan di luar tarif resmi agar berkas saya cepat diproses."


def tracker(
    slots: dict | None = None, text: str = "", sender: str = "wa:6281300001111", entities=()
) -> Tracker:
    latest = {"text": text, "intent": {"name": "inform", "confidence": 1.0}, "entities": list(entities)}
    events = [{"event": "user", "text": text, "input_channel": "rest", "parse_data": latest}]
    return Tracker(sender, dict(slots or {}), latest, events, False, None, {}, "action_listen")


def said(text: str, slots: dict | None = None) -> Tracker:
    """The tracker after the person typed `text`, with the entities the NLU linker gives it."""
    return tracker(slots, text=text, entities=link(None, text).entities())


def slots_of(events) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


async def run(action, t: Tracker) -> tuple[list[dict], dict]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, t, {})
    return dispatcher.messages, slots_of(events)


def text_of(messages) -> str:
    return "\n".join(m.get("text") or m.get("response") or "" for m in messages)


@pytest.fixture
def imported(factory, tmp_path):
    rows = [
        permohonan_record(),  # diproses, step 6, received 2 Mar 2026
        permohonan_record(
            nomor_permohonan="503/0452/IZ/2026",
            layanan=SUSU,
            wilayah="purwakarta",
            nama_pemohon="Dedi Kurniawan",
            telepon="081322001144",
            status="dikembalikan",
            tahap="Verifikasi persyaratan",
            catatan="Denah bangunan belum dilampirkan",
            tanggal_masuk="2026-11-16",
        ),
        permohonan_record(
            nomor_permohonan="503/0390/IZ/2026",
            status="selesai",
            tahap="9",
            nomor_izin="IZ-APT/2026/0390",
            tanggal_selesai="2026-02-20",
            tanggal_masuk="2026-02-02",
        ),
        permohonan_record(nomor_permohonan="503/0499/IZ/2026", tanggal_masuk="2026-11-16", tahap="3"),
    ]
    assert impor_csv(write_csv(tmp_path / "p.csv", rows), factory, today=TODAY).berhasil
    return factory


def status_action(factory, today: date = TODAY) -> ActionCekStatusPermohonan:
    return ActionCekStatusPermohonan(factory, clock=lambda wilayah=None: today)


# --- status check -------------------------------------------------------------------------------
async def test_status_happy_path_shows_step_deadline_and_masks_identity(imported):
    messages, slots = await run(
        status_action(imported, date(2026, 3, 16)),
        tracker({"nomor_permohonan": "503/0451/IZ/2026", "kode_verifikasi": "7788"}),
    )
    text = text_of(messages)
    assert "Layanan: Izin Apotek (Kabupaten Balangan)" in text
    assert "Status: Sedang diproses" in text
    assert "langkah 6 dari 9: Kasi memverifikasi dan memaraf persetujuan izin" in text
    assert "Berkas lengkap diterima: 2 Maret 2026" in text
    assert "(12 hari kerja): 25 Maret 2026" in text  # Nyepi and Idul Fitri leave skipped
    assert "Sisa waktu: 2 hari kerja." in text  # 17 and 25 Mar (18-24 Mar are off)
    assert "S*** R********" in text and "Siti" not in text and "7788" not in text
    assert "Sumber" in text and "balangan_keputusan-standar-pelayanan-2021.txt" in text
    assert slots["nomor_permohonan"] is None and slots["kode_verifikasi"] is None  # nothing lingers
    assert slots["permohonan_terverifikasi"] == "503/0451/IZ/2026" and slots["layanan"] == APOTEK


async def test_returned_file_shows_what_is_missing_and_done_shows_permit(imported):
    messages, _ = await run(
        status_action(imported),
        tracker({"nomor_permohonan": "503/0452/IZ/2026", "kode_verifikasi": "1144"}),
    )
    text = text_of(messages)
    assert "Dikembalikan" in text and "Yang perlu dilengkapi: Denah bangunan belum dilampirkan" in text
    assert "Tahap sekarang: Verifikasi persyaratan" in text
    messages, _ = await run(
        status_action(imported),
        tracker({"nomor_permohonan": "503/0390/IZ/2026", "kode_verifikasi": "7788"}, sender="other"),
    )
    text = text_of(messages)
    assert "Nomor izin: IZ-APT/2026/0390" in text and "Selesai pada: 20 Februari 2026" in text
    assert "TERLAMBAT" not in text


async def test_overdue_says_so_and_offers_a_prefilled_complaint(imported):
    messages, slots = await run(
        status_action(imported, TODAY),
        tracker({"nomor_permohonan": "503/0451/IZ/2026", "kode_verifikasi": "7788"}),
    )
    assert "TERLAMBAT" in messages[0]["text"]
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/ajukan_pengaduan", "/deny"]
    assert slots["permohonan_terlambat"] is True
    # The complaint that follows starts with the application and its standard filled in.
    _, prefill = await run(ActionMulaiPengaduan(imported), tracker({**slots}))
    assert prefill["pengaduan_permohonan"] == "503/0451/IZ/2026"
    assert prefill["pengaduan_layanan"] == APOTEK and prefill["pengaduan_wilayah"] == "balangan"


async def test_wrong_digits_and_unknown_number_give_the_same_answer(imported):
    wrong, wrong_slots = await run(
        status_action(imported),
        tracker({"nomor_permohonan": "503/0451/IZ/2026", "kode_verifikasi": "1111"}, sender="a"),
    )
    unknown, unknown_slots = await run(
        status_action(imported),
        tracker({"nomor_permohonan": "503/9999/IZ/2026", "kode_verifikasi": "7788"}, sender="b"),
    )
    assert (
        wrong
        == unknown
        == [
            {
                "text": None,
                "buttons": [],
                "elements": [],
                "custom": {},
                "template": "utter_permohonan_tidak_cocok",
                "response": "utter_permohonan_tidak_cocok",
                "image": None,
                "attachment": None,
            }
        ]
    )
    assert wrong_slots == unknown_slots


async def test_three_failures_lock_the_sender_out(imported):
    t = lambda kode: tracker({"nomor_permohonan": "503/0451/IZ/2026", "kode_verifikasi": kode})  # noqa: E731
    for kode in ("0000", "1111"):
        messages, _ = await run(status_action(imported), t(kode))
        assert messages[0]["response"] == "utter_permohonan_tidak_cocok"
    messages, _ = await run(status_action(imported), t("2222"))  # the third failure locks
    assert messages[0]["response"] == "utter_permohonan_terkunci"
    messages, _ = await run(status_action(imported), t("7788"))  # right digits, but locked
    assert messages[0]["response"] == "utter_permohonan_terkunci"
    # A new form run does not even ask for the digits while locked.
    validator = ValidateCekPermohonanForm(imported)
    result = validator.validate_nomor_permohonan(
        "503/0451/IZ/2026", CollectingDispatcher(), tracker(text="503/0451/IZ/2026"), {}
    )
    assert result == {
        "nomor_permohonan": "503/0451/IZ/2026",
        "kode_verifikasi": TERKUNCI,
        "kode_tanda_terima": TERKUNCI,
    }


async def test_fifty_guessed_numbers_reveal_nothing(imported):
    rng = random.Random(4)
    existing = ["503/0451/IZ/2026", "503/0452/IZ/2026", "503/0390/IZ/2026", "503/0499/IZ/2026"]
    guesses = existing + [f"503/{rng.randint(1, 9999):04d}/IZ/2026" for _ in range(46)]
    answers = set()
    for i, nomor in enumerate(guesses):
        # Each guess from a fresh sender (an attacker rotating numbers), with made-up digits.
        messages, slots = await run(
            status_action(imported),
            tracker(
                {"nomor_permohonan": nomor, "kode_verifikasi": f"{rng.randint(0, 9999):04d}"}, sender=f"g{i}"
            ),
        )
        answers.add((repr(messages), repr(sorted(slots.items()))))
    assert len(guesses) == 50 and len(answers) == 1


def test_number_and_digit_validation():
    assert cari_nomor("nomor 503/iz/2026 sudah sampai mana?") == "503/IZ/2026"
    assert cari_nomor("saya lupa nomornya") is None
    validator = ValidateCekPermohonanForm(lambda: None)
    dispatcher = CollectingDispatcher()
    assert validator.validate_kode_verifikasi("77 88", dispatcher, tracker(), {}) == {
        "kode_verifikasi": "7788"
    }
    assert validator.validate_kode_verifikasi("4 angka terakhir 1177", dispatcher, tracker(), {}) == {
        "kode_verifikasi": "1177"
    }
    assert validator.validate_kode_verifikasi("123", dispatcher, tracker(), {}) == {"kode_verifikasi": None}
    assert dispatcher.messages[-1]["response"] == "utter_kode_verifikasi_format"


# --- complaints ---------------------------------------------------------------------------------
def complaint_slots(**overrides) -> dict:
    slots = {
        "pengaduan_wilayah": "balangan",
        "pengaduan_layanan": APOTEK,
        "pengaduan_permohonan": None,
        "pengaduan_kategori": "kkn_gratifikasi",
        "pengaduan_uraian": URAIAN,
        "pengaduan_waktu": "senin kemarin",
        "pengaduan_nama": "Budi Santoso",
        "pengaduan_kontak": "081233334444",
        "pengaduan_konfirmasi": "ya",
    }
    slots.update(overrides)
    return slots


async def test_complaint_with_identity_is_saved_and_confirmed_with_ticket(imported, caplog):
    summary, summary_slots = await run(ActionAskPengaduanKonfirmasi(imported), tracker(complaint_slots()))
    text = text_of(summary)
    assert "Kategori: KKN/gratifikasi" in text and "Layanan: Izin Apotek" in text
    assert "B*** S******" in text and "********4444" in text and "Budi" not in text
    assert "hari kerja" not in text  # Balangan's standard gives no response time: none promised
    assert summary_slots["pengaduan_kanal"]

    with caplog.at_level(logging.DEBUG):
        messages, slots = await run(ActionSimpanPengaduan(imported), tracker(complaint_slots()))
    text = text_of(messages)
    kode = slots["kode_tiket"]
    assert f"Nomor tiket: {kode}" in text and "Pengaduan Anda sudah tersimpan" in text
    assert "WhatsApp: 08125671335" in text  # the region's other channels, from the knowledge base
    assert "Budi" not in text and "081233334444" not in text
    assert all(slots[s] is None for s in FORM_SLOTS)
    with imported() as session:
        saved = get_pengaduan(session, kode)
    assert saved.jenis == "pengaduan" and saved.nama == "Budi Santoso" and saved.standard_id == APOTEK
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert kode in logged
    for secret in ("Budi", "081233334444", "uang tambahan"):
        assert secret not in logged


async def test_purwakarta_without_identity_is_a_suggestion_and_says_so(imported):
    slots = complaint_slots(
        pengaduan_wilayah="purwakarta", pengaduan_layanan=SUSU, pengaduan_nama="-", pengaduan_kontak="-"
    )
    summary, _ = await run(ActionAskPengaduanKonfirmasi(imported), tracker(slots))
    text = text_of(summary)
    assert "diperlakukan sebagai SARAN" in text
    assert "paling lambat 14 hari kerja" in text and "paling lambat 30 hari" in text
    messages, result = await run(ActionSimpanPengaduan(imported), tracker(slots))
    assert "Saran Anda sudah tersimpan" in text_of(messages)
    assert "paling lambat 14 hari kerja" in text_of(messages)
    with imported() as session:
        assert get_pengaduan(session, result["kode_tiket"]).jenis == "saran"


async def test_cancel_at_confirmation_saves_nothing(imported):
    validator = ValidatePengaduanForm(imported)
    assert validator.validate_pengaduan_konfirmasi("Batal", CollectingDispatcher(), said("Batal"), {}) == {
        "pengaduan_konfirmasi": "batal"
    }
    messages, slots = await run(
        ActionSimpanPengaduan(imported), tracker(complaint_slots(pengaduan_konfirmasi="batal"))
    )
    assert messages[0]["response"] == "utter_pengaduan_dibatalkan"
    assert all(slots[s] is None for s in FORM_SLOTS)
    with imported() as session:
        assert list_pengaduan(session) == []


async def test_batal_mid_form_ends_the_form(imported):
    validator = ValidatePengaduanForm(imported)
    result = validator.validate_pengaduan_uraian("batal", CollectingDispatcher(), said("batal"), {})
    assert result["pengaduan_konfirmasi"] == "batal"
    required = await validator.required_slots(list(FORM_SLOTS), CollectingDispatcher(), tracker(result), {})
    assert required == []


def test_correction_before_confirming_clears_only_that_field(imported):
    validator = ValidatePengaduanForm(imported)
    d = CollectingDispatcher()
    assert validator.validate_pengaduan_konfirmasi("ubah uraian", d, tracker(), {}) == {
        "pengaduan_uraian": None,
        "pengaduan_konfirmasi": None,
    }
    assert validator.validate_pengaduan_konfirmasi("ubah identitas", d, tracker(), {}) == {
        "pengaduan_nama": None,
        "pengaduan_kontak": None,
        "pengaduan_konfirmasi": None,
    }
    assert validator.validate_pengaduan_konfirmasi("hmm", d, tracker(), {}) == {"pengaduan_konfirmasi": None}
    assert d.messages[-1]["response"] == "utter_pengaduan_konfirmasi_tidak_jelas"


def test_field_validation(imported):
    v = ValidatePengaduanForm(imported)
    d = CollectingDispatcher()
    assert v.validate_pengaduan_uraian("terlalu pendek", d, tracker(), {}) == {"pengaduan_uraian": None}
    assert d.messages[-1]["response"] == "utter_pengaduan_uraian_pendek"
    assert v.validate_pengaduan_uraian("x" * 2001, d, tracker(), {}) == {"pengaduan_uraian": None}
    assert v.validate_pengaduan_uraian(URAIAN, d, tracker(), {}) == {"pengaduan_uraian": URAIAN}
    assert v.validate_pengaduan_kategori("KKN/gratifikasi", d, tracker(), {}) == {
        "pengaduan_kategori": "kkn_gratifikasi"
    }
    assert v.validate_pengaduan_kategori("2", d, tracker(), {}) == {"pengaduan_kategori": "sarana_prasarana"}
    assert v.validate_pengaduan_kategori("cuaca", d, tracker(), {}) == {"pengaduan_kategori": None}
    assert v.validate_pengaduan_waktu("lewati", d, said("lewati"), {}) == {"pengaduan_waktu": "-"}
    assert v.validate_pengaduan_waktu("gak ada kak", d, said("gak ada kak"), {}) == {"pengaduan_waktu": "-"}
    assert v.validate_pengaduan_waktu("-", d, said("-"), {}) == {"pengaduan_waktu": "-"}
    assert v.validate_pengaduan_waktu("Senin pagi", d, said("Senin pagi"), {}) == {
        "pengaduan_waktu": "Senin pagi"
    }
    assert v.validate_pengaduan_wilayah("Kabupaten Purwakarta", d, tracker(), {}) == {
        "pengaduan_wilayah": "purwakarta"
    }
    assert v.validate_pengaduan_wilayah("Atlantis", d, tracker(), {}) == {"pengaduan_wilayah": None}


async def test_same_message_delivered_twice_gives_one_complaint(imported):
    first, a = await run(ActionSimpanPengaduan(imported), tracker(complaint_slots()))
    second, b = await run(ActionSimpanPengaduan(imported), tracker(complaint_slots()))
    assert a["kode_tiket"] == b["kode_tiket"]
    with imported() as session:
        assert len(list_pengaduan(session)) == 1


async def test_database_stopped_during_complaint_shows_no_ticket(imported):
    # The summary was shown while the database was up (channels kept in a slot) ...
    _, summary_slots = await run(ActionAskPengaduanKonfirmasi(imported), tracker(complaint_slots()))
    # ... then the database stops: connections are refused.
    down = sessionmaker(
        bind=create_engine("postgresql://postgres@127.0.0.1:1/none", future=True), future=True
    )
    messages, slots = await run(ActionSimpanPengaduan(down), tracker({**complaint_slots(), **summary_slots}))
    text = text_of(messages)
    assert "BELUM tersimpan" in text and "Tidak ada nomor tiket" in text
    assert "ADU-" not in text
    assert "WhatsApp: 08125671335" in text  # the other channels, from the summary's slot
    assert slots == {"pengaduan_konfirmasi": None}  # answers kept: "kirim lagi pengaduan" retries
    with imported() as session:
        assert list_pengaduan(session) == []


async def test_check_by_ticket_shows_status_and_staff_response(imported):
    _, saved = await run(ActionSimpanPengaduan(imported), tracker(complaint_slots()))
    kode = saved["kode_tiket"]
    with imported() as session:
        tanggapi(
            session,
            kode,
            "Petugas yang bersangkutan sudah diperiksa atasan.",
            "cli",
            status="ditindaklanjuti",
        )
        session.commit()
    text_in = f"cek pengaduan {kode.lower()}"
    messages, _ = await run(ActionCekPengaduan(imported), tracker(text=text_in))
    text = text_of(messages)
    assert kode in text and "Status: Sedang ditindaklanjuti" in text
    assert "Tanggapan petugas" in text and "sudah diperiksa atasan" in text
    assert "Budi" not in text
    messages, _ = await run(ActionCekPengaduan(imported), tracker(text="cek pengaduan ADU-2222-3333"))
    assert messages[0]["response"] == "utter_pengaduan_tidak_ditemukan"


async def test_start_without_context_asks_region(imported):
    _, slots = await run(ActionMulaiPengaduan(imported), tracker({}))
    assert slots["pengaduan_wilayah"] is None and slots["pengaduan_layanan"] is None


async def test_status_check_can_be_cancelled_without_counting_a_failure(imported):
    validator = ValidateCekPermohonanForm(imported)
    result = validator.validate_kode_verifikasi("batal", CollectingDispatcher(), said("batal"), {})
    assert result == {"nomor_permohonan": "batal", "kode_verifikasi": "batal"}
    messages, slots = await run(status_action(imported), tracker(result))
    assert messages[0]["response"] == "utter_cek_permohonan_batal"
    assert slots == {"nomor_permohonan": None, "kode_verifikasi": None, "kode_tanda_terima": None}
    # Two real failures after the cancel do not lock: the cancel was not counted.
    for kode in ("0000", "1111"):
        messages, _ = await run(
            status_action(imported),
            tracker({"nomor_permohonan": "503/0451/IZ/2026", "kode_verifikasi": kode}),
        )
        assert messages[0]["response"] == "utter_permohonan_tidak_cocok"


def test_region_named_by_the_linker_is_taken(imported):
    v = ValidatePengaduanForm(imported)
    t = tracker(text="yang di oki eh purwakarta", entities=[{"entity": "wilayah", "value": "purwakarta"}])
    assert v.validate_pengaduan_wilayah(t.latest_message["text"], CollectingDispatcher(), t, {}) == {
        "pengaduan_wilayah": "purwakarta"
    }
