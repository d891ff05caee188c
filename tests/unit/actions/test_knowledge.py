"""The actions' view of the knowledge base (`actions.base.Knowledge`) reads the in-memory snapshot:
the same answers as the repository's queries, and per turn only the small version query."""

from __future__ import annotations

from sqlalchemy import event

from actions.base import Knowledge
from bot.knowledge import repository


def test_knowledge_answers_like_the_repository(real_knowledge_factory):
    with real_knowledge_factory() as session:
        knowledge = Knowledge(session)
        summaries = repository.list_standards(session)
        assert knowledge.standards() == summaries
        some = summaries[:: max(1, len(summaries) // 12)]
        for summary in some:
            assert knowledge.standard(summary.id) == repository.get_standard(session, summary.id)
            assert knowledge.namesakes(summary.id) == repository.same_service_elsewhere(session, summary.id)
        for wilayah in ("balangan", "ogan-komering-ilir", None):
            assert knowledge.standards(wilayah) == repository.list_standards(session, wilayah=wilayah)
            assert knowledge.sectors(wilayah) == repository.list_sectors(session, wilayah=wilayah)
        sektor = summaries[0].sektor
        assert knowledge.standards(sektor=sektor) == repository.list_standards(session, sektor=sektor)
        assert knowledge.regions() == {r.id: r for r in repository.list_regions(session)}
        assert knowledge.standard("tidak-ada") is None
        assert knowledge.standard(None) is None


def test_a_turn_costs_only_the_version_query(real_knowledge_factory):
    with real_knowledge_factory() as session:
        Knowledge(session).snapshot()  # built once per process (the action server warms it)
    with real_knowledge_factory() as session:
        statements: list[str] = []
        engine = session.get_bind()

        def count(conn, cursor, statement, *args):  # noqa: ANN001 - SQLAlchemy's hook signature
            statements.append(statement)

        event.listen(engine, "before_cursor_execute", count)
        try:
            knowledge = Knowledge(session)
            first = knowledge.standards()[0]
            knowledge.standard(first.id)
            knowledge.namesakes(first.id)
            knowledge.sectors()
            knowledge.region(first.wilayah)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        # knowledge_version: the standards' and the regions' checksums, nothing else
        assert len(statements) == 2
        assert all("checksum" in s for s in statements)
