"""The numbers `make eval` prints: overall accuracy, accuracy per kind and per style, the failing
turns, and the FallbackClassifier threshold sweep."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Optional

from tools.evaluation.runner import TurnResult


@dataclass(frozen=True)
class Metrics:
    intent: tuple[int, int]
    link: tuple[int, int]
    answer: tuple[int, int]

    @staticmethod
    def of(results: list[TurnResult]) -> Metrics:
        def score(values: list[Optional[bool]]) -> tuple[int, int]:
            judged = [v for v in values if v is not None]
            return sum(judged), len(judged)

        return Metrics(
            score([r.intent_ok for r in results]),
            score([r.link_ok for r in results]),
            score([r.answer_ok for r in results]),
        )


def pct(pair: tuple[int, int]) -> str:
    good, total = pair
    return f"{100.0 * good / total:5.1f}% ({good}/{total})" if total else "   n/a"


def print_table(columns: dict[str, Metrics], title: str) -> None:
    names = list(columns)
    width = max(26, *(len(n) + 2 for n in names))
    print(f"\n{title}\n")
    print(f"{'metric':<26}" + "".join(f"{n:>{width}}" for n in names))
    for label, attribute in (
        ("answer accuracy", "answer"),
        ("standard-linking accuracy", "link"),
        ("intent accuracy", "intent"),
    ):
        print(f"{label:<26}" + "".join(f"{pct(getattr(columns[n], attribute)):>{width}}" for n in names))


def print_breakdown(
    results: list[TurnResult], by: Callable[[TurnResult], str], label: str, minimum: float
) -> None:
    """One row per value of `by` (kind, style): answer and linking accuracy with counts, and a mark
    on rows below `minimum` answer accuracy."""
    groups: dict[str, list[TurnResult]] = defaultdict(list)
    for r in results:
        groups[by(r)].append(r)
    print(f"\n{label:<24} {'turns':>6} {'answer':>20} {'linking':>20}")
    for key in sorted(groups):
        rows = groups[key]
        metrics = Metrics.of(rows)
        good, total = metrics.answer
        mark = "  < target" if total and 100.0 * good / total < minimum else ""
        print(f"{key:<24} {len(rows):>6} {pct(metrics.answer):>20} {pct(metrics.link):>20}{mark}")


def print_errors(name: str, results: list[TurnResult], limit: int) -> None:
    wrong = [r for r in results if r.intent_ok is False or r.link_ok is False or r.answer_ok is False]
    skipped = [r for r in results if r.skipped]
    if skipped:
        print(f"\n{name}: {len(skipped)} turns not scored: {skipped[0].skipped}")
    if not wrong:
        return
    print(f"\n{name}: {len(wrong)} turns with an error (first {min(limit, len(wrong))})")
    confusions = Counter((r.intent_expected, r.intent_predicted) for r in results if r.intent_ok is False)
    for (expected, predicted), count in confusions.most_common(8):
        print(f"  intent {expected} -> {predicted}: {count}")
    for r in wrong[:limit]:
        parts = []
        if r.answer_ok is False:
            parts.append("answer missing " + "; ".join(r.answer_failures))
        if r.link_ok is False:
            parts.append(f"link {r.link_detail}")
        if r.intent_ok is False:
            parts.append(f"intent {r.intent_predicted} (want {r.intent_expected})")
        reply = " ".join(r.reply.split())[:140]
        print(f"  [{r.kind}/{r.style}] {r.text!r}: " + " | ".join(parts))
        if r.answer_ok is False:
            print(f"      reply: {reply!r}")


def print_templates(results: list[TurnResult], limit: int = 12) -> None:
    """The templates whose turns fail most: a kind's number in a split rests on a few templates,
    so one phrasing the assistant never understands shows up here first."""
    groups: dict[str, list[TurnResult]] = defaultdict(list)
    for r in results:
        if r.answer_ok is not None and r.source:
            groups[r.source.split("+")[-1]].append(r)
    worst = sorted(
        ((sum(1 for r in rows if not r.answer_ok), len(rows), source) for source, rows in groups.items()),
        key=lambda row: (-row[0], -row[1], row[2]),
    )
    worst = [row for row in worst if row[0] >= 2][:limit]
    if worst:
        print(f"\n{'template (most failures)':<48} {'failed':>8}")
        for failed, total, source in worst:
            print(f"{source[:48]:<48} {failed:>4}/{total:<3}")


def print_threshold_sweep(results: list[TurnResult]) -> None:
    """What FallbackClassifier thresholds would do on these turns (how config.yml's were chosen).

    accepted-correct: in-scope turns whose intent is right and confident enough; accepted-wrong:
    wrong intents that pass (the harmful case: a wrong answer); caught: turns without an expected
    intent (emoji, gibberish) that fall back."""
    scored = [r for r in results if r.ranking]
    in_scope = [r for r in scored if r.intent_expected is not None]
    no_intent = [r for r in scored if r.intent_expected is None]
    print("\nFallbackClassifier sweep (threshold, ambiguity_threshold) on DIET's ranking:")
    print(f"{'thr':>5} {'amb':>5} {'accepted-correct':>17} {'accepted-wrong':>15} {'caught':>8}")
    for ambiguity in (0.0, 0.05, 0.1):
        for threshold in (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8):

            def accepted(r: TurnResult, t: float = threshold, a: float = ambiguity) -> bool:
                best = r.ranking[0][1]
                second = r.ranking[1][1] if len(r.ranking) > 1 else 0.0
                return best >= t and best - second >= a

            correct = sum(1 for r in in_scope if accepted(r) and r.ranking[0][0] == r.intent_expected)
            wrong = sum(1 for r in in_scope if accepted(r) and r.ranking[0][0] != r.intent_expected)
            caught = sum(1 for r in no_intent if not accepted(r))
            print(
                f"{threshold:>5.2f} {ambiguity:>5.2f} {correct:>11}/{len(in_scope):<5}"
                f"{wrong:>10}/{len(in_scope):<4} {caught:>4}/{len(no_intent)}"
            )
