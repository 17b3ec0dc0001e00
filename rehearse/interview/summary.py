"""How the end of an interview reads in the terminal: the session summary and the verdicts on the
candidate's own questions. Pure renderers of the summary dict that `--json` prints."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from rehearse.report import clock, shorten

_VERDICT_STYLE = {"thoughtful": "green", "weak": "red", "ok": "yellow"}


def print_summary(summary: dict, console: Console) -> None:
    console.rule("Interview summary")
    table = Table("#", "question", "length", "wpm", "fillers/min", "STAR", "follow-up", box=None)
    for n, answer in enumerate(summary["answers"], 1):
        star = "".join(p[0].upper() if ok else "·" for p, ok in answer["star"].items())
        table.add_row(str(n), shorten(answer["question"]["text"] or "", 48), clock(answer["length_s"]),
                      _number(answer["wpm"]), _number(answer["fillers_per_min"], 1), star,
                      "asked" if answer["follow_up"] else "")
    console.print(table)
    overall = summary["overall"]
    console.print(f"Overall: {clock(overall['total_s'])} recorded, {_number(overall['wpm'])} words/min, "
                  f"{_number(overall['fillers_per_min'], 1)} fillers/min, "
                  f"{overall['stories_complete']} of {overall['stories']} stories with all four STAR parts, "
                  f"{overall['follow_ups_asked']} follow-up(s) asked")
    if "candidate_questions" in summary:
        print_candidate_questions(summary, console)
    terms = summary.get("job_terms")
    if terms:
        console.print(f"Job terms you used: {', '.join(terms['used']) or 'none'}")
        console.print(f"Job terms you never touched: {', '.join(terms['unused']) or 'none'}")
    if summary.get("report_path"):
        console.print(f"Session report: {summary['report_path']}")


def print_candidate_questions(result: dict, console: Console) -> None:
    console.rule("Your questions for them")
    asked = result["candidate_questions"]
    if not asked:
        console.print("[red]You asked no questions.[/] Having none reads as little interest.")
    if asked:
        # Each question under its verdict's column, so a wrapped line stays under its question.
        verdicts = Table.grid(padding=(0, 2))
        for q in asked:
            style = _VERDICT_STYLE.get(q["verdict"], "")
            verdicts.add_row(f"[{style}]{q['verdict']}[/]", f"“{q['text']}”  [dim]{q['reason']}[/]")
        console.print(verdicts)
    if result.get("suggestions"):
        console.print("Questions you could ask:")
        bullets = Table.grid(padding=(0, 1))
        for text in result["suggestions"]:
            bullets.add_row("  •", text)
        console.print(bullets)


def _number(value, digits: int = 0) -> str:
    if value is None:
        return "–"
    return f"{value:.{digits}f}"
