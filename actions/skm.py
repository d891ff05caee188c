"""The satisfaction survey (SKM, Permenpan RB 14/2017) in the chat.

- `action_skm_mulai` ("isi survei", "lanjut survei", the *Isi survei* button): resumes the
  conversation's unfinished survey at its next question, or starts one about what this conversation
  dealt with: the application verified here, a finished application or complaint it followed, a
  complaint by its ticket, else the office (asked with buttons when several). One survey per subject.
- `action_skm_jawab` (the answer buttons: /jawab_skm{"skm_nilai": "<unsur>:<1-4|lewati>"}): stores the
  answer at once (bot/skm/repository.py) and asks the next question; after the ninth, offers a
  comment (*Tulis komentar*: the form `skm_komentar_form`) or *Selesai*.
- `action_skm_simpan_komentar`: the comment, personal data masked, closes the survey.

The questions and answer words come from knowledge/skm/kuesioner.yaml. Each answer names its element,
so pressing an old question's button never answers the current one. Anonymous: the answers keep the
service, region and date, not who gave them (bot/skm/models.py).
"""

from __future__ import annotations

import logging
from typing import Any, Optional

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.handoff import kanal
from actions.jawaban import jawaban
from actions.penyimpanan import AksiBasisData

logger = logging.getLogger(__name__)

LEWATI = "lewati"
SELESAI = "selesai"
GANGGUAN = (
    'Maaf, jawaban survei belum dapat disimpan karena gangguan sistem. Ketik "lanjut survei" sebentar lagi.'
)


def tombol_pertanyaan(index: int) -> tuple[str, list[dict[str, str]]]:
    """The text and buttons of question `index` (0-8)."""
    from bot.skm.kuesioner import kuesioner

    unsur = kuesioner().unsur[index]
    text = f"Pertanyaan {index + 1} dari {len(kuesioner().unsur)}: {unsur.nama}\n{unsur.tanya}"
    buttons = [
        {"title": f"{score} {label}", "payload": f'/jawab_skm{{"skm_nilai":"{unsur.kunci}:{score}"}}'}
        for score, label in enumerate(unsur.jawaban, start=1)
    ]
    buttons.append({"title": "Lewati", "payload": f'/jawab_skm{{"skm_nilai":"{unsur.kunci}:{LEWATI}"}}'})
    return text, buttons


def ajak_komentar(dispatcher: CollectingDispatcher) -> None:
    dispatcher.utter_message(
        text="Terima kasih atas penilaian Anda! Ada saran atau komentar untuk kami?",
        buttons=[
            {"title": "Tulis komentar", "payload": "/komentar_skm"},
            {"title": "Selesai", "payload": f'/jawab_skm{{"skm_nilai":"{SELESAI}"}}'},
        ],
    )


def tanya_berikut(dispatcher: CollectingDispatcher, row: Any) -> None:
    from bot.skm.models import UNSUR

    if row.berikut >= len(UNSUR):
        ajak_komentar(dispatcher)
        return
    text, buttons = tombol_pertanyaan(row.berikut)
    dispatcher.utter_message(text=text, buttons=buttons)


def _entity(tracker: Tracker, name: str) -> Optional[str]:
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == name and entity.get("value") is not None:
            return str(entity["value"])
    return None


class _Subjek:
    """What a new survey is about: (subject kind, its key, region, standard id, words for people)."""

    def __init__(self, subjek: str, kunci: str, wilayah: str, standard_id: Optional[str], label: str):
        self.subjek, self.kunci, self.wilayah, self.standard_id, self.label = (
            subjek,
            kunci,
            wilayah,
            standard_id,
            label,
        )


def cari_subjek(session: Any, tracker: Tracker, today: Any) -> tuple[Optional[_Subjek], list[Any]]:
    """The survey's subject, or (None, the regions to choose from)."""
    from bot.knowledge import repository as kb
    from bot.notifikasi.langganan import subjek_selesai
    from bot.pengaduan.models import PengaduanRow
    from bot.permohonan.repository import get_permohonan

    def application(nomor: str) -> Optional[_Subjek]:
        p = get_permohonan(session, nomor)
        if p is None:
            return None
        standard = kb.get_standard(session, p.standard_id)
        name = standard.nama if standard is not None else p.standard_id
        return _Subjek("permohonan", f"permohonan:{p.nomor}", p.wilayah, p.standard_id, f"layanan {name}")

    def complaint(kode: str) -> Optional[_Subjek]:
        from sqlalchemy import select

        row = session.execute(
            select(PengaduanRow).where(PengaduanRow.kode_tiket == kode)
        ).scalar_one_or_none()
        if row is None or not row.wilayah:
            return None
        return _Subjek(
            "pengaduan", f"pengaduan:{kode}", row.wilayah, row.standard_id, f"penanganan pengaduan {kode}"
        )

    chosen_region = _entity(tracker, "wilayah")
    if not chosen_region:
        verified = tracker.get_slot("permohonan_terverifikasi")
        if verified and (found := application(str(verified))):
            return found, []
        followed = subjek_selesai(session, tracker.sender_id)
        if followed is not None:
            found = (
                application(followed.rujukan)
                if followed.jenis == "permohonan"
                else complaint(followed.rujukan)
            )
            if found is not None:
                return found, []
        ticket = tracker.get_slot("kode_tiket")
        if ticket and (found := complaint(str(ticket))):
            return found, []
    regions = kb.list_regions(session)
    wilayah = chosen_region or tracker.get_slot("wilayah")
    if not any(r.id == wilayah for r in regions):
        wilayah = regions[0].id if len(regions) == 1 else None
    if wilayah is None:
        return None, regions
    region = next(r for r in regions if r.id == wilayah)
    return _Subjek(
        "umum", f"umum:{wilayah}:{today.isoformat()}", wilayah, None, f"pelayanan {region.kantor}"
    ), []


class ActionSkmMulai(AksiBasisData, Action):
    def name(self) -> str:
        return "action_skm_mulai"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        from bot.knowledge import operasional
        from bot.knowledge import repository as kb
        from bot.skm import repository as skm

        try:
            with self.factory()() as session:
                row = skm.berjalan(session, tracker.sender_id)
                intro = None
                if row is not None:
                    intro = "Kita lanjutkan survei kepuasan Anda."
                else:
                    wilayah = _entity(tracker, "wilayah") or tracker.get_slot("wilayah")
                    region = kb.get_region(session, wilayah) if wilayah else None
                    today = operasional.hari_ini(region, self.clock())
                    subject, regions = cari_subjek(session, tracker, today)
                    if subject is None:
                        dispatcher.utter_message(
                            text="Survei kepuasan untuk kantor DPMPTSP wilayah mana?",
                            buttons=[
                                {"title": r.nama, "payload": f'/isi_skm{{"wilayah":"{r.id}"}}'}
                                for r in regions
                            ],
                        )
                        return []
                    region = kb.get_region(session, subject.wilayah)
                    today = operasional.hari_ini(region, self.clock())
                    row, created = skm.mulai(
                        session,
                        tracker.sender_id,
                        subject.subjek,
                        subject.kunci,
                        subject.wilayah,
                        subject.standard_id,
                        kanal(tracker),
                        today,
                    )
                    if row.selesai:
                        dispatcher.utter_message(
                            text=f"Anda sudah mengisi survei kepuasan untuk {subject.label}. Terima kasih!"
                        )
                        return []
                    intro = (
                        f"Terima kasih! Survei Kepuasan Masyarakat untuk {subject.label}: 9 pertanyaan, "
                        "jawab dengan tombol 1 (terendah) sampai 4 (tertinggi). Setiap pertanyaan boleh "
                        'dilewati, dan bila terputus ketik "lanjut survei". Jawaban Anda anonim.'
                        if created
                        else "Kita lanjutkan survei kepuasan Anda."
                    )
                session.commit()
                dispatcher.utter_message(text=intro)
                tanya_berikut(dispatcher, row)
        except SQLAlchemyError:
            logger.exception("survey could not start (database)")
            dispatcher.utter_message(text=GANGGUAN)
        return []


class ActionSkmJawab(AksiBasisData, Action):
    def name(self) -> str:
        return "action_skm_jawab"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        from bot.skm import repository as skm
        from bot.skm.models import UNSUR

        value = (_entity(tracker, "skm_nilai") or "").strip().lower()
        try:
            with self.factory()() as session:
                row = skm.berjalan(session, tracker.sender_id)
                if row is None:
                    dispatcher.utter_message(
                        text='Tidak ada survei yang sedang berjalan. Ketik "isi survei" untuk memulai.'
                    )
                    return []
                if value == SELESAI:
                    skm.selesaikan(session, row)
                    session.commit()
                    dispatcher.utter_message(
                        text="Survei Anda sudah tersimpan. Terima kasih atas penilaiannya!"
                    )
                    return []
                unsur, _, answer = value.partition(":")
                current = UNSUR[row.berikut] if row.berikut < len(UNSUR) else None
                if unsur != current or not (answer == LEWATI or answer in ("1", "2", "3", "4")):
                    # An old question's button, or something unreadable: ask what is asked now.
                    if unsur in UNSUR and current is not None and UNSUR.index(unsur) < row.berikut:
                        dispatcher.utter_message(text="Pertanyaan itu sudah dijawab. Pertanyaan berikutnya:")
                    tanya_berikut(dispatcher, row)
                    return []
                skm.jawab(session, row, None if answer == LEWATI else int(answer))
                session.commit()
                tanya_berikut(dispatcher, row)
        except SQLAlchemyError:
            logger.exception("survey answer not saved (database)")
            dispatcher.utter_message(text=GANGGUAN)
        return []


class ValidateSkmKomentarForm(FormValidationAction):
    def name(self) -> str:
        return "validate_skm_komentar_form"

    def validate_skm_komentar(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = " ".join(str(value or "").split())
        # "lewati", "tidak ada", "gak jadi" (the NLU's short replies), a button payload, or nothing
        # but punctuation: no comment.
        if jawaban(tracker) is not None or text.startswith("/") or not any(ch.isalnum() for ch in text):
            return {"skm_komentar": "-"}
        return {"skm_komentar": text[:1000]}


class ActionSkmSimpanKomentar(AksiBasisData, Action):
    def name(self) -> str:
        return "action_skm_simpan_komentar"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        from bot.skm import repository as skm

        comment = tracker.get_slot("skm_komentar")
        try:
            with self.factory()() as session:
                row = skm.berjalan(session, tracker.sender_id)
                if row is None:
                    dispatcher.utter_message(text="Terima kasih atas masukan Anda!")
                    return [SlotSet("skm_komentar", None)]
                skm.selesaikan(session, row, comment if comment and comment != "-" else None)  # masked there
                session.commit()
        except SQLAlchemyError:
            logger.exception("survey comment not saved (database)")
            dispatcher.utter_message(text=GANGGUAN)
            return [SlotSet("skm_komentar", None)]
        dispatcher.utter_message(
            text="Survei dan komentar Anda sudah tersimpan. Terima kasih atas penilaiannya!"
        )
        return [SlotSet("skm_komentar", None)]
