"""Knowledge-base benchmark (`make bench-kb`): parse, load, search. Prints the numbers.

- parse: every source document -> structured standards (H1's parser), and -> YAML-ready records;
- load: read + validate the curated YAML, migrate a fresh SQLite file, write in one transaction;
  then a second (idempotent) load of the same files;
- search: build the index from the database, then free-text queries over all standards: names,
  aliases, chat sentences with component words and regions, and one-letter typos;
- link: the NLU's one pass over a message (bot.nlu.linking: normalize, regions, services, cues)
  for the same messages;
- passages: passage retrieval (bot.knowledge.passages, BM25 over every item) for detail questions
  ("apakah perlu <a requirement's words>?") within one standard and across a region, the lines an
  answer quotes; the issue's budget is p95 < 5 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Callable

from bot.knowledge.loader import KNOWLEDGE_DIR

TEMPLATES = (
    "{name}",
    "syarat {name}",
    "kak, syarat bikin {name} apa aja?",
    "berapa biaya {name} di {region}?",
    "berapa lama proses {name}",
    "gimana cara urus {name} min",
)


def _timed(run: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Median seconds over `repeat` runs, and the last result."""
    timings, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), result


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 6:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1 :]


def queries(summaries, regions, count: int, seed: int = 7) -> list[tuple[str, str | None]]:
    """`count` realistic messages about the standards (deterministic), with the standard meant."""
    rng = random.Random(seed)
    region_names = {r.id: (r.alias[0] if r.alias else r.nama) for r in regions}
    out = []
    while len(out) < count:
        s = rng.choice(summaries)
        name = rng.choice([s.nama, s.nama.lower(), *s.alias]) if s.alias else s.nama
        if rng.random() < 0.2:
            name = " ".join(_typo(w, rng) for w in name.split())
        template = rng.choice(TEMPLATES)
        out.append((template.format(name=name, region=region_names.get(s.wilayah, s.wilayah)), s.id))
    chat = ["halo", "terima kasih kak", "cara bikin paspor", "berapa biayanya?", "izin usaha", "pirt"]
    return out + [(message, None) for message in chat]


def _percentiles(timings: list[float]) -> str:
    timings = sorted(timings)
    p50 = statistics.median(timings)
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    return f"p50 {p50:.3f} ms   p95 {p95:.3f} ms   max {timings[-1]:.3f} ms"


def detail_questions(standards, count: int, seed: int = 11) -> list[tuple[str, str]]:
    """`count` detail questions (deterministic): words of one requirement line of a standard."""
    rng = random.Random(seed)
    lines = [
        (s.id, item if isinstance(item, str) else item.get("teks", ""))
        for s in standards
        for item in (s.komponen["persyaratan"].butir if "persyaratan" in s.komponen else ())
    ]
    lines = [(standard_id, text) for standard_id, text in lines if text]
    out = []
    while len(out) < count and lines:
        standard_id, text = rng.choice(lines)
        words = [w for w in text.split() if len(w) > 3][:3]
        if words:
            out.append((standard_id, f"apakah perlu {' '.join(words).lower()}?"))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench_kb", description=__doc__)
    parser.add_argument("--knowledge", type=Path, default=KNOWLEDGE_DIR)
    parser.add_argument("--queries", type=int, default=400, help="number of search queries")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timed step (median)")
    args = parser.parse_args(argv)

    from bot import db
    from bot.knowledge.build import build_records
    from bot.knowledge.loader import load_knowledge, read_knowledge
    from bot.knowledge.parse import parse_sources
    from bot.knowledge.repository import list_standards, load_index

    sources = args.knowledge / "sources"
    print(f"knowledge base benchmark ({args.knowledge})")

    seconds, documents = _timed(lambda: parse_sources(sources), args.repeat)
    n_standards = sum(len(d.standards) for d in documents)
    print(f"parse        {seconds * 1000:8.1f} ms   {len(documents)} documents -> {n_standards} standards")
    seconds, _ = _timed(lambda: build_records(sources, args.knowledge), args.repeat)
    print(f"parse+build  {seconds * 1000:8.1f} ms   records with aliases, durations, fees, channels")

    seconds, knowledge = _timed(lambda: read_knowledge(args.knowledge), args.repeat)
    print(f"read YAML    {seconds * 1000:8.1f} ms   {len(knowledge.standards)} standards validated")
    with tempfile.TemporaryDirectory(prefix="pandu-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        started = time.perf_counter()
        db.migrate(url)
        migrated = time.perf_counter() - started
        factory = db.session_factory(url)
        started = time.perf_counter()
        report = load_knowledge(factory, knowledge)
        loaded = time.perf_counter() - started
        print(f"migrate      {migrated * 1000:8.1f} ms   fresh SQLite file")
        print(f"load         {loaded * 1000:8.1f} ms   {len(report.added['standar'])} standards inserted")
        started = time.perf_counter()
        report = load_knowledge(factory, knowledge)
        print(
            f"reload       {(time.perf_counter() - started) * 1000:8.1f} ms   "
            f"{report.unchanged['standar']} unchanged (idempotent)"
        )

        def build_index():
            with factory() as session:
                return load_index(session)

        seconds, index = _timed(build_index, args.repeat)
        with factory() as session:
            summaries = list_standards(session)
        print(f"index        {seconds * 1000:8.1f} ms   {len(summaries)} standards")
        messages = queries(summaries, index.regions, args.queries)
        for message, _ in messages[:20]:  # warm-up
            index.find(message)
        timings, statuses = [], {"found": 0, "ambiguous": 0, "none": 0}
        right = wrong = 0
        for message, meant in messages:
            started = time.perf_counter()
            result = index.find(message)
            timings.append((time.perf_counter() - started) * 1000)
            statuses[result.status] += 1
            if meant is not None and result.status == "found":
                right += result.best.standard_id == meant
                wrong += result.best.standard_id != meant
        db.dispose(url)
    timings.sort()
    p50 = statistics.median(timings)
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    print(
        f"search       p50 {p50:.3f} ms   p95 {p95:.3f} ms   max {timings[-1]:.3f} ms   "
        f"({len(timings)} queries: {statuses['found']} found, {statuses['ambiguous']} ambiguous, "
        f"{statuses['none']} none)"
    )
    print(f"             found and right: {right}, found but wrong: {wrong} (generated queries)")
    _bench_link_and_passages(args, messages)
    return 0


def _bench_link_and_passages(args, messages) -> None:
    """The linker's pass and passage retrieval, on a database loaded from `args.knowledge`."""
    from bot import db
    from bot.knowledge.loader import load_knowledge, read_knowledge
    from bot.knowledge.repository import list_regions, list_standards
    from bot.knowledge.snapshot import current_snapshot
    from bot.nlu.linking import KnowledgeIndex, link

    with tempfile.TemporaryDirectory(prefix="pandu-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        db.migrate(url)
        factory = db.session_factory(url)
        load_knowledge(factory, read_knowledge(args.knowledge))
        with factory() as session:
            started = time.perf_counter()
            index = KnowledgeIndex.build(list_standards(session), list_regions(session))
            built = time.perf_counter() - started
            started = time.perf_counter()
            snapshot = current_snapshot(session)
            snapped = time.perf_counter() - started
        db.dispose(url)
    print(f"link index   {built * 1000:8.1f} ms   linker's knowledge index (names, aliases, regions)")
    for message, _ in messages[:20]:  # warm-up (spaCy tables, caches)
        link(index, message)
    timings = []
    for message, _ in messages:
        started = time.perf_counter()
        link(index, message)
        timings.append((time.perf_counter() - started) * 1000)
    print(f"link         {_percentiles(timings)}   ({len(timings)} messages, one pass each)")
    print(f"snapshot     {snapped * 1000:8.1f} ms   standards in memory with passage and search indexes")
    standards = list(snapshot.standards.values())
    questions = detail_questions(standards, args.queries)
    passages = snapshot.passages
    for standard_id, question in questions[:20]:
        passages.search(question, standard_ids=[standard_id])
    one, region = [], []
    for standard_id, question in questions:
        started = time.perf_counter()
        passages.search(question, standard_ids=[standard_id], komponen=["persyaratan"])
        one.append((time.perf_counter() - started) * 1000)
        wilayah = snapshot.standards[standard_id].wilayah
        ids = [s.id for s in snapshot.of_region(wilayah)]
        started = time.perf_counter()
        passages.search(question, standard_ids=ids)
        region.append((time.perf_counter() - started) * 1000)
    print(f"passages     {_percentiles(one)}   ({len(one)} questions, one standard)")
    print(f"passages     {_percentiles(region)}   (the same, across the standard's region)")


if __name__ == "__main__":
    raise SystemExit(main())
