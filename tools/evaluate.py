"""`make eval`: how well the assistant answers, per kind of question (docs/evaluation.md).

    python -m tools.evaluate                       train if needed; the held-out test split, the fresh
                                                   held-out sets (tests/eval/fresh*/)
                                                   and the legacy set
                                                   (tests/eval/conversations.yml) over REST
    python -m tools.evaluate --split dev           the split to tune on (or train, all, fresh, fresh2,
                                                   fresh3, fresh4, test,fresh)
    python -m tools.evaluate --url http://127.0.0.1:5005    a running assistant
    python -m tools.evaluate --nlu-only --model M  in-process NLU only (intent, linking per kind), fast
    python -m tools.evaluate --with-default        also Rasa's default pipeline, for comparison
    python -m tools.evaluate --stats               the corpus: turns per kind and split (no model)
    python -m tools.evaluate --export train FILE   a split as JSON lines (text, kind, component, standards)

The corpus is generated at run time from tests/eval/templates/*.yml, the hand-written
conversations in tests/eval/conversations/ and the knowledge base (the fresh sets from
tests/eval/fresh/ to fresh4/, over the corpus's test standards: never tuned on); the
expected facts are read from the knowledge base. The servers run on free ports against an
evaluation database of their own (var/eval/eval.db: migrations, the knowledge base, the sample
applications), so a run changes nothing else. Three numbers per set, over the turns that state an
expectation: answer accuracy (the reply contains the expected facts), standard-linking accuracy
(the linker found exactly the expected standard(s)), intent accuracy (optional in the corpus).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Optional

from tools.evaluation.corpus import (
    EVAL_DIR,
    FRESH,
    FRESH2,
    FRESH3,
    FRESH4,
    HELD_OUT_SETS,
    KINDS,
    SPLITS,
    Catalog,
    Corpus,
    fresh_corpus,
    turn_standards,
)
from tools.evaluation.facts import KnowledgeFacts
from tools.evaluation.model import Conversation, load_conversations
from tools.evaluation.report import (
    Metrics,
    print_breakdown,
    print_errors,
    print_table,
    print_templates,
    print_threshold_sweep,
)
from tools.evaluation.runner import InProcessNLU, RestAssistant, TurnResult, run_conversations

ROOT = Path(__file__).resolve().parents[1]
LEGACY = EVAL_DIR / "conversations.yml"
DEFAULT_CONFIG = EVAL_DIR / "config_default.yml"
TARGET_ANSWER = 97.0  # issue target for the held-out split
TARGET_KIND = 90.0  # no kind below this


def log(message: str) -> None:
    print(f"[eval] {message}", file=sys.stderr, flush=True)


# --- the evaluation database ------------------------------------------------------------------------
def prepare_database(work_dir: Path, corpus_files: list[str]) -> str:
    """A fresh SQLite database for this run: schema, the knowledge base, the sample applications."""
    from bot.db import dispose, session_factory
    from bot.knowledge.loader import load
    from bot.permohonan.importer import impor_csv

    path = work_dir / "eval.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{path.resolve()}"
    load(ROOT / "knowledge", url)
    for name in corpus_files:
        result = impor_csv(ROOT / name, session_factory(url))
        if result.salah:
            raise SystemExit(f"evaluation applications {name}: " + "; ".join(str(b) for b in result.salah))
    dispose(url)
    log(f"evaluation database {path} (knowledge base + {len(corpus_files)} application files)")
    return url


# --- models and servers -------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def train_model(config: Path, out_dir: Path, name: str, database_url: str) -> Path:
    """`rasa train` with `config` on the project's domain and data (Rasa skips unchanged parts)."""
    from bot.run import rasa_bin

    out_dir.mkdir(parents=True, exist_ok=True)
    command = [
        rasa_bin(),
        "train",
        "--config",
        str(config),
        "--domain",
        "domain.yml",
        "--data",
        "data",
        "--out",
        str(out_dir),
        "--fixed-model-name",
        name,
    ]
    log(f"training {name}: {' '.join(command)}")
    started = time.monotonic()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": database_url}
    subprocess.run(command, cwd=ROOT, check=True, env=env)
    log(f"{name} trained in {time.monotonic() - started:.0f} s")
    return out_dir / f"{name}.tar.gz"


def evaluate_model(
    model: Path, sets: dict[str, list[Conversation]], facts: KnowledgeFacts, work_dir: Path, database_url: str
) -> dict[str, list[TurnResult]]:
    """Start the action server + Rasa server for `model` on free ports, run every set, stop."""
    from bot.run import Settings, Supervisor, core_services

    settings = Settings(
        rasa_port=free_port(),
        actions_port=free_port(),
        model=model,
        state_dir=work_dir,
        log_dir=work_dir / f"logs-{model.stem.split('.')[0]}",
        ready_timeout=600.0,
        env={"DATABASE_URL": database_url},
    )
    log(f"starting servers for {model.name} (logs in {settings.log_dir})")
    results = {}
    # Only what answers (action server, Rasa server): no console or worker on fixed ports.
    with Supervisor(settings, core_services(settings), quiet=True):
        assistant = RestAssistant(settings.rasa_url, settings.rasa_token)  # its API needs the token
        for name, conversations in sets.items():
            started = time.monotonic()
            results[name] = run_conversations(conversations, facts, assistant=assistant, progress=log)
            turns = sum(len(c.turns) for c in conversations)
            log(f"{name}: {turns} turns in {time.monotonic() - started:.0f} s")
    return results


# --- output ----------------------------------------------------------------------------------------------
SET_NAMES = (*SPLITS, *HELD_OUT_SETS)
SET_TITLES = {
    FRESH: "fresh set",
    FRESH2: "second fresh set",
    FRESH3: "third fresh set",
    FRESH4: "fourth fresh set",
}


def corpus_part(corpus: Corpus, fresh: dict[str, Corpus], name: str) -> list[Conversation]:
    """The conversations of a split of the corpus (train, dev, test) or of a fresh set."""
    return fresh[name].conversations("test") if name in fresh else corpus.conversations(name)


def print_stats(corpus: Corpus, fresh: dict[str, Corpus]) -> None:
    parts = {name: corpus_part(corpus, fresh, name) for name in SET_NAMES}
    counts = {name: Counter(t.kind for c in convs for t in c.turns) for name, convs in parts.items()}
    styles = {name: Counter(t.style for c in convs for t in c.turns) for name, convs in parts.items()}
    print(f"{'kind':<24}" + "".join(f"{s:>8}" for s in SET_NAMES))
    for kind in KINDS:
        print(f"{kind:<24}" + "".join(f"{counts[s].get(kind, 0):>8}" for s in SET_NAMES))
    print(f"{'(all turns)':<24}" + "".join(f"{sum(counts[s].values()):>8}" for s in SET_NAMES))
    print(f"\n{'style':<24}" + "".join(f"{s:>8}" for s in SET_NAMES))
    for style in sorted(set().union(*styles.values())):
        print(f"{style:<24}" + "".join(f"{styles[s].get(style, 0):>8}" for s in SET_NAMES))
    standards = {s: len(corpus.standards_in(s)) for s in SPLITS}
    print("\nstandards per split: " + ", ".join(f"{s} {n}" for s, n in standards.items()))
    for name in fresh:
        used = {sid for c in parts[name] for t in c.turns for sid in turn_standards(t)}
        outside = sorted(sid for sid in used if corpus.standard_split.get(sid) != "test")
        print(
            f"{name}: {len(used)} standards"
            + (f", NOT in the test split: {outside}" if outside else ", all of test")
        )


def report(name: str, results: list[TurnResult], errors: int, sweep: bool, held_out: bool = False) -> None:
    """The errors, the breakdowns per kind and style, the worst templates. Of a fresh set, the
    turns shown one by one are only those of half A: half B stays unread (tools/fresh_halves.py)."""
    from tools.fresh_halves import half

    shown = [r for r in results if half(r.source or "") == "A"] if held_out else results
    print_errors(f"{name} (half A only)" if held_out else name, shown, errors)
    if sweep:
        print(f"\n{name}:")
        print_threshold_sweep(results)
    print(f"\n=== {name}: {len(results)} user turns")
    print_breakdown(results, lambda r: r.kind, "kind", TARGET_KIND)
    print_breakdown(results, lambda r: r.style, "style", TARGET_KIND)
    print_templates(shown)


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.evaluate", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--split",
        default="test,fresh,fresh2,fresh3,fresh4",
        help="corpus part: train, dev, test, fresh, fresh2, fresh3 or fresh4 (the fresh held-out sets), "
        "all (train, dev and test), or several (dev,test); default test,fresh,fresh2,fresh3,fresh4",
    )
    parser.add_argument("--no-legacy", action="store_true", help="skip tests/eval/conversations.yml")
    parser.add_argument("--legacy-only", action="store_true", help="only tests/eval/conversations.yml")
    parser.add_argument("--url", help="a running assistant, e.g. http://127.0.0.1:5005 (its DATABASE_URL)")
    parser.add_argument(
        "--token",
        help="its API token (default: $PANDU_RASA_TOKEN, else the one `make run` keeps in "
        "var/rasa_api_token)",
    )
    parser.add_argument("--model", type=Path, help="our trained model (default: train config.yml)")
    parser.add_argument("--with-default", action="store_true", help="also Rasa's default pipeline")
    parser.add_argument("--default-model", type=Path, help="the default pipeline's trained model")
    parser.add_argument("--nlu-only", action="store_true", help="intent and linking only, in process")
    parser.add_argument("--models-dir", type=Path, default=None, help="work directory (default: var/eval)")
    parser.add_argument("--errors", type=int, default=40, help="how many failing turns to list per set")
    parser.add_argument("--report", type=Path, help="write every turn's result as JSON here")
    parser.add_argument("--sweep", action="store_true", help="print a FallbackClassifier threshold sweep")
    parser.add_argument("--stats", action="store_true", help="print the corpus counts and exit")
    parser.add_argument("--export", nargs=2, metavar=("SPLIT", "FILE"), help="write a split as JSON lines")
    args = parser.parse_args(argv)

    from bot.db import data_dir, database_url, session_factory

    work_dir = args.models_dir or (data_dir() / "eval")
    work_dir.mkdir(parents=True, exist_ok=True)
    application_files = list(Catalog().section("permohonan", "berkas", []) or [])
    if args.url:
        db_url = database_url()
        log(f"using the running assistant's database {db_url} (sample applications: load them there)")
    else:
        db_url = prepare_database(work_dir, application_files)
    os.environ["DATABASE_URL"] = db_url  # the in-process NLU's linker reads the same knowledge base
    if os.environ.pop("PANDU_WILAYAH_DEFAULT", None):
        log("PANDU_WILAYAH_DEFAULT ignored: the evaluation serves all regions")
    facts = KnowledgeFacts(session_factory(db_url))
    corpus = Corpus(facts)
    fresh = {name: fresh_corpus(facts, corpus, folder, name) for name, folder in HELD_OUT_SETS.items()}

    if args.stats:
        print_stats(corpus, fresh)
        return 0
    if args.export:
        split, target = args.export
        names = SPLITS if split == "all" else split.split(",")
        if any(n not in SET_NAMES for n in names):
            parser.error(f"unknown split {split!r}: train, dev, test, fresh, fresh2, fresh3, fresh4 or all")
        records = [r for n in names for r in (fresh[n].export("test") if n in fresh else corpus.export(n))]
        with open(target, "w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        log(f"{len(records)} turns of {split} written to {target}")
        return 0

    sets: dict[str, list[Conversation]] = {}
    if not args.legacy_only:
        if args.split == "all":
            sets["corpus all"] = [c for s in SPLITS for c in corpus.conversations(s)]
        for split in [] if args.split == "all" else args.split.split(","):
            if split not in SET_NAMES:
                parser.error(
                    f"unknown split {split!r}: train, dev, test, fresh, fresh2, fresh3, fresh4 or all"
                )
            name = SET_TITLES.get(split, f"corpus {split}")
            sets[name] = corpus_part(corpus, fresh, split)
    if not args.no_legacy:
        sets["legacy set"] = load_conversations(LEGACY)

    pipelines: dict[str, dict[str, list[TurnResult]]] = {}
    if args.nlu_only:
        model = args.model or train_model(ROOT / "config.yml", work_dir, "pandu-izin", db_url)
        nlu = InProcessNLU(model)
        pipelines["Pandu Izin (NLU only)"] = {
            n: run_conversations(c, facts, nlu=nlu) for n, c in sets.items()
        }
    elif args.url:
        from bot.db import data_dir

        token_file = data_dir() / "rasa_api_token"
        token = args.token or os.environ.get("PANDU_RASA_TOKEN") or None
        if token is None and token_file.exists():
            token = token_file.read_text(encoding="ascii").strip()
        assistant = RestAssistant(args.url, token)
        pipelines["Pandu Izin"] = {
            n: run_conversations(c, facts, assistant=assistant, progress=log) for n, c in sets.items()
        }
    else:
        model = args.model or train_model(ROOT / "config.yml", work_dir, "pandu-izin", db_url)
        with tempfile.TemporaryDirectory(prefix="eval-", dir=work_dir) as tmp:
            pipelines["Pandu Izin"] = evaluate_model(model, sets, facts, Path(tmp), db_url)
    if args.with_default:
        default = args.default_model or train_model(DEFAULT_CONFIG, work_dir, "default-pipeline", db_url)
        if args.nlu_only:
            nlu = InProcessNLU(default)
            pipelines["Rasa default (NLU only)"] = {
                n: run_conversations(c, facts, nlu=nlu) for n, c in sets.items()
            }
        else:
            with tempfile.TemporaryDirectory(prefix="eval-", dir=work_dir) as tmp:
                pipelines["Rasa default pipeline"] = evaluate_model(default, sets, facts, Path(tmp), db_url)

    for pipeline, by_set in pipelines.items():
        for set_name, results in by_set.items():
            held_out = set_name in SET_TITLES.values()
            report(f"{pipeline}, {set_name}", results, args.errors, args.sweep, held_out)
    for set_name in sets:
        columns = {pipeline: Metrics.of(by_set[set_name]) for pipeline, by_set in pipelines.items()}
        turns = sum(len(c.turns) for c in sets[set_name])
        print_table(columns, f"{set_name}: {len(sets[set_name])} conversations, {turns} user turns")
    if args.report:
        data = {
            f"{pipeline} | {set_name}": [r.__dict__ for r in results]
            for pipeline, by_set in pipelines.items()
            for set_name, results in by_set.items()
        }
        args.report.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
