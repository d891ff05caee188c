"""Loader: YAML -> database, validate-first, one transaction, idempotent, bad input loses nothing."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from bot import db
from bot.__main__ import main
from bot.knowledge.loader import LoadError, load, load_knowledge, read_knowledge
from bot.knowledge.models import AliasRow, ButirRow, KomponenRow, StandarRow, WilayahRow
from bot.knowledge.repository import get_standard
from bot.knowledge.schema import KOMPONEN, KnowledgeFileError

BIDAN = "balangan-surat-izin-praktik-bidan"
TABLES = (WilayahRow, StandarRow, KomponenRow, ButirRow, AliasRow)


def snapshot(factory) -> dict:
    """Every row of every knowledge table, to prove a failed load changed nothing."""
    with factory() as session:
        out = {}
        for model in TABLES:
            columns = model.__table__.columns
            rows = session.execute(select(*columns)).all()
            out[model.__tablename__] = sorted(tuple(repr(v) for v in row) for row in rows)
        return out


def standard_file(knowledge: Path, standard_id: str) -> Path:
    wilayah = (
        "ogan-komering-ilir" if standard_id.startswith("ogan-komering-ilir-") else standard_id.split("-")[0]
    )
    return knowledge / "standards" / wilayah / f"{standard_id[len(wilayah) + 1 :]}.yaml"


def edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def count(factory, model, **where) -> int:
    with factory() as session:
        query = select(func.count()).select_from(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return session.execute(query).scalar_one()


# --- happy path --------------------------------------------------------------------------------


def test_first_load_adds_everything(db_url, knowledge_dir):
    report = load(knowledge_dir, db_url)
    assert sorted(report.added["wilayah"]) == ["balangan", "ogan-komering-ilir"]
    assert len(report.added["standar"]) == 7
    factory = db.session_factory(db_url)
    assert count(factory, StandarRow) == 7
    assert count(factory, KomponenRow) == 7 * len(KOMPONEN)
    # 4 top-level requirements, 3 nested under the second, 1 nested deeper: 8 rows.
    assert count(factory, ButirRow, standar_id=BIDAN, kunci="persyaratan") == 8
    assert count(factory, AliasRow, standar_id=BIDAN) == 3


def test_second_load_is_idempotent(db_url, knowledge_dir):
    load(knowledge_dir, db_url)
    factory = db.session_factory(db_url)
    before = snapshot(factory)
    report = load(knowledge_dir, db_url)
    assert not report.changed
    assert report.unchanged == {"wilayah": 2, "standar": 7}
    assert snapshot(factory) == before


def test_loaded_standard_equals_its_yaml(loaded_factory, knowledge_dir):
    data = yaml.safe_load(standard_file(knowledge_dir, BIDAN).read_text(encoding="utf-8"))
    with loaded_factory() as session:
        standard = get_standard(session, BIDAN)
    assert standard.nama == data["nama"] and standard.nomor == 61 and standard.alias == tuple(data["alias"])
    assert standard.sumber.baris == 1774 and standard.sumber.tanggal == "2021-08-12"
    assert list(standard.komponen) == list(KOMPONEN)
    for key, component in standard.komponen.items():
        assert component.label == data["komponen"][key]["label"]
        assert component.teks == data["komponen"][key]["teks"]
        assert list(component.butir) == data["komponen"][key]["butir"]
    assert standard.komponen["jangka_waktu"].extra == {"hari_kerja_maks": 12, "hari_kerja_min": None}
    assert standard.komponen["biaya"].extra == {"rupiah": 0}
    assert standard.komponen["pengaduan"].extra == {"kanal": data["komponen"]["pengaduan"]["kanal"]}


def test_changed_file_is_rewritten_and_deleted_file_removed(db_url, knowledge_dir):
    load(knowledge_dir, db_url)
    edit(
        standard_file(knowledge_dir, BIDAN),
        lambda d: d["komponen"]["persyaratan"].update(butir=["Surat permohonan", "KTP"]),
    )
    apotek = standard_file(knowledge_dir, "balangan-izin-apotek")
    apotek.unlink()
    report = load(knowledge_dir, db_url)
    assert report.updated["standar"] == [BIDAN]
    assert report.removed["standar"] == ["balangan-izin-apotek"]
    assert report.unchanged["standar"] == 5
    factory = db.session_factory(db_url)
    with factory() as session:
        assert get_standard(session, BIDAN).komponen["persyaratan"].butir == ("Surat permohonan", "KTP")
        assert get_standard(session, "balangan-izin-apotek") is None
    # Children of the removed standard are gone too.
    for model in (KomponenRow, ButirRow, AliasRow):
        assert count(factory, model, standar_id="balangan-izin-apotek") == 0


def test_region_without_file_is_removed_with_its_standards(db_url, knowledge_dir):
    load(knowledge_dir, db_url)
    for path in (knowledge_dir / "standards" / "ogan-komering-ilir").glob("*.yaml"):
        path.unlink()
    (knowledge_dir / "wilayah" / "ogan-komering-ilir.yaml").unlink()
    report = load(knowledge_dir, db_url)
    assert report.removed["wilayah"] == ["ogan-komering-ilir"]
    assert len(report.removed["standar"]) == 2
    assert count(db.session_factory(db_url), WilayahRow) == 1


def test_cli_load_and_search(db_url, knowledge_dir, capsys):
    assert main(["kb", "load", "--knowledge", str(knowledge_dir), "--database-url", db_url]) == 0
    assert "7 loaded (7 added" in capsys.readouterr().out
    assert main(["kb", "search", "syarat sip bidan", "--database-url", db_url]) == 0
    out = capsys.readouterr().out
    assert out.startswith("found") and BIDAN in out and '"sip bidan"' in out
    assert main(["kb", "search", "cara bikin paspor", "--database-url", db_url]) == 1
    assert capsys.readouterr().out.startswith("none")


# --- bad input: a clear message naming the file, the database as it was ------------------------


def corrupt_missing_key(knowledge: Path) -> Path:
    path = standard_file(knowledge, BIDAN)
    edit(path, lambda d: d.pop("nama"))
    return path


def corrupt_wrong_type(knowledge: Path) -> Path:
    path = standard_file(knowledge, BIDAN)
    edit(path, lambda d: d["komponen"]["biaya"].update(rupiah="gratis"))
    return path


def corrupt_syntax(knowledge: Path) -> Path:
    path = standard_file(knowledge, BIDAN)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = "nama: [Surat Izin Praktik Bidan"  # unclosed flow sequence on line 4
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def corrupt_empty(knowledge: Path) -> Path:
    path = standard_file(knowledge, BIDAN)
    path.write_text("", encoding="utf-8")
    return path


def corrupt_binary(knowledge: Path) -> Path:
    path = standard_file(knowledge, BIDAN)
    path.write_bytes(b"id: x\n\xff\xfe\x00\x89PNG\r\n\x1a\n")
    return path


def corrupt_duplicate_id(knowledge: Path) -> Path:
    edit(standard_file(knowledge, "balangan-izin-apotek"), lambda d: d.update(id=BIDAN))
    return standard_file(knowledge, BIDAN)  # the file read second is named, the first mentioned


def corrupt_unknown_region(knowledge: Path) -> Path:
    path = standard_file(knowledge, "balangan-izin-apotek")
    (knowledge / "standards" / "tapin").mkdir()
    moved = knowledge / "standards" / "tapin" / "izin-apotek.yaml"
    path.rename(moved)
    edit(moved, lambda d: d.update(id="tapin-izin-apotek", wilayah="tapin"))
    return moved


@pytest.mark.parametrize(
    "corrupt, where, words",
    [
        (corrupt_missing_key, "nama", "missing"),
        (corrupt_wrong_type, "komponen.biaya.rupiah", "expected int, got str"),
        (corrupt_syntax, "line 4", "YAML syntax error"),
        (corrupt_empty, "(root)", "expected a mapping, got NoneType"),
        (corrupt_binary, "line 2", "not UTF-8"),
        (corrupt_duplicate_id, "id", "duplicate id"),
        (corrupt_unknown_region, "wilayah", "unknown region 'tapin'"),
    ],
)
def test_bad_file_names_file_and_field_and_changes_nothing(
    db_url, knowledge_dir, corrupt, where, words, capsys
):
    load(knowledge_dir, db_url)
    factory = db.session_factory(db_url)
    before = snapshot(factory)
    path = corrupt(knowledge_dir)
    with pytest.raises(KnowledgeFileError) as caught:
        load(knowledge_dir, db_url)
    message = str(caught.value)
    assert f"{path}: {where}" in message and words in message
    assert snapshot(factory) == before
    # The command line says the same and exits non-zero.
    assert main(["kb", "load", "--knowledge", str(knowledge_dir), "--database-url", db_url]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "not changed" in err
    assert snapshot(factory) == before


def test_every_problem_is_reported_at_once(knowledge_dir):
    corrupt_missing_key(knowledge_dir)
    edit(
        standard_file(knowledge_dir, "balangan-izin-apotek"),
        lambda d: d["komponen"].pop("prosedur"),
    )
    with pytest.raises(KnowledgeFileError) as caught:
        read_knowledge(knowledge_dir)
    fields = {e.field for e in caught.value.errors}
    assert {"nama", "komponen.prosedur"} <= fields


def test_empty_knowledge_directory_is_refused(db_url, knowledge_dir, tmp_path):
    load(knowledge_dir, db_url)
    before = snapshot(db.session_factory(db_url))
    empty = tmp_path / "kosong"
    empty.mkdir()
    with pytest.raises(KnowledgeFileError, match="no standard files found"):
        load(empty, db_url)
    assert snapshot(db.session_factory(db_url)) == before


def test_database_error_rolls_back_the_whole_load(db_url, knowledge_dir):
    load(knowledge_dir, db_url)
    factory = db.session_factory(db_url)
    before = snapshot(factory)
    edit(standard_file(knowledge_dir, BIDAN), lambda d: d.update(nama="Nama Baru"))
    knowledge = read_knowledge(knowledge_dir)
    # A region the database does not have: the foreign key fails after the update was written.
    broken = knowledge.standards[-1]
    data = {**broken.data, "wilayah": "tidak-ada"}
    standards = (*knowledge.standards[:-1], dataclasses.replace(broken, data=data, checksum="changed"))
    knowledge = dataclasses.replace(knowledge, standards=standards)
    assert knowledge.standards[0].data["id"] != broken.data["id"]
    with pytest.raises(LoadError, match="nothing was changed"):
        load_knowledge(factory, knowledge)
    assert snapshot(factory) == before


# --- database setup ----------------------------------------------------------------------------


def test_database_url_defaults_to_sqlite_under_data_dir(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("PANDU_DATA_DIR", str(tmp_path / "data"))
    assert db.database_url() == f"sqlite:///{(tmp_path / 'data' / 'pandu_izin.db').resolve()}"
    assert (tmp_path / "data").is_dir()
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@h/x")
    assert db.database_url() == "postgresql://u@h/x"


def test_sqlite_file_has_foreign_keys_and_wal(tmp_path):
    url = f"sqlite:///{tmp_path / 'sub' / 'k.db'}"
    try:
        db.migrate(url)
        with db.get_engine(url).connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        db.dispose(url)


def test_migrations_reach_head_and_match_the_models(db_url):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(db.alembic_config()).get_current_head()
    assert db.current_revision(db_url) == head
    db.migrate(db_url)  # a second upgrade is a no-op
    knowledge_tables = {m.__tablename__ for m in TABLES}

    def only_knowledge(obj, name, type_, reflected, compare_to) -> bool:
        return type_ != "table" or name in knowledge_tables

    with db.get_engine(db_url).connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": only_knowledge}
        )
        assert compare_metadata(context, db.Base.metadata) == []
