"""`rehearse report`: one self-contained HTML page for an attempt or a session.

Everything the page needs is inside it: plotly.js inlined once in the head, the recording as a
base64 data URI, the styles. It opens offline and makes no request. plotly is imported here only.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path
from typing import Sequence

from rehearse.attempt import STAR_PARTS, Record, Tip, Window
from rehearse.history.database import Attempt
from rehearse.report import clock
from rehearse.review.views import annotate, metrics_rows, part_spans, when

PART_COLOUR = {"situation": "#4c78a8", "task": "#72b7b2", "action": "#54a24b", "result": "#e4a11b"}
FILLER_COLOUR = "#b279a2"
PAUSE_COLOUR = "#e45756"
PLOT_CONFIG = {"displaylogo": False, "responsive": True}
WPM_WINDOW_S = 15.0  # the pace chart's window when the record has no windows of its own

STYLE = """
body { font: 16px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; color: #222; padding: 0 1rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.25rem; margin-top: 2.5rem; } .meta { color: #666; }
table.metrics { border-collapse: collapse; margin: 1rem 0; }
table.metrics td, table.metrics th { padding: .2rem 1rem .2rem 0; text-align: left; border-bottom: 1px solid #eee; }
.transcript { font-size: 1.05rem; line-height: 1.9; padding: 1rem; background: #fafafa; border-radius: 6px; }
.transcript .w { cursor: pointer; border-radius: 3px; padding: 0 1px; }
.part-situation { background: #4c78a833; } .part-task { background: #72b7b244; }
.part-action { background: #54a24b33; } .part-result { background: #e4a11b44; }
.filler { color: #fff; background: #b279a2 !important; font-weight: 600; }
.pause { color: #e45756; font-weight: 600; font-size: .85em; }
.legend span { margin-right: 1rem; padding: 0 .3rem; border-radius: 3px; }
audio { width: 100%; margin: 1rem 0; }
"""

SEEK_SCRIPT = """
document.querySelectorAll('.transcript .w[data-t]').forEach(function (w) {
  w.addEventListener('click', function () {
    var audio = document.getElementById(w.closest('.attempt').dataset.audio);
    if (audio) { audio.currentTime = parseFloat(w.dataset.t); audio.play(); }
  });
});
"""


def render_page(attempts: list[Attempt], single: bool) -> str:
    from plotly.offline import get_plotlyjs

    if single:
        title = f"Attempt {attempts[0].id}: {attempts[0].question_text or 'answer'}"
        body = [_attempt_section(attempts[0], heading="h1")]
    else:
        title = f"Session {attempts[0].session}"
        body = [f"<h1>{_e(title)}</h1>", _session_summary(attempts), _progress_charts(attempts)]
        body += [_attempt_section(a, heading="h2") for a in attempts]
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{_e(title)}</title><style>{STYLE}</style>"
            f"<script>{get_plotlyjs()}</script></head>\n<body>\n{''.join(body)}"
            f"<script>{SEEK_SCRIPT}</script>\n</body></html>\n")


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _attempt_section(attempt: Attempt, heading: str) -> str:
    record = attempt.record
    pieces = annotate(record)
    audio_id = f"audio-{attempt.id}"
    parts = [
        f"<section class=\"attempt\" id=\"attempt-{attempt.id}\" data-audio=\"{audio_id}\">",
        f"<{heading}>{_e(attempt.question_text or 'Answer')}</{heading}>",
        f"<p class=\"meta\">Attempt {attempt.id} · {_e(when(attempt.created_at))} · session {_e(attempt.session)}</p>",
        _audio(attempt.audio_path, audio_id),
        _metrics_table(record),
        _tips(record.tips),
        "<h3>Transcript</h3>", _legend(), _transcript(pieces),
    ]
    if any(p.start is not None for p in pieces):
        parts += ["<h3>Timeline</h3>", _figure_html(timeline_figure(record, pieces)),
                  "<h3>Pace</h3>", _figure_html(pace_figure(record))]
    parts.append("</section>\n")
    return "\n".join(p for p in parts if p)


def _audio(path: Path | None, audio_id: str) -> str:
    if path is None:
        return ""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return f"<p class=\"meta\">The recording {_e(path)} is missing.</p>"
    mime = {".wav": "audio/wav", ".flac": "audio/flac", ".mp3": "audio/mpeg", ".ogg": "audio/ogg"}
    uri = f"data:{mime.get(Path(path).suffix.lower(), 'audio/wav')};base64,{base64.b64encode(data).decode()}"
    return f"<audio id=\"{audio_id}\" controls preload=\"auto\" src=\"{uri}\"></audio>"


def _metrics_table(record: Record) -> str:
    rows = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in metrics_rows(record))
    return f"<table class=\"metrics\">{rows}</table>"


def _tips(tips: Sequence[Tip]) -> str:
    if not tips:
        return ""
    items = "".join(f"<li>{_e(t.text)}" + (f"<br><q>{_e(t.quote)}</q>" if t.quote else "")
                    + "</li>" for t in tips)
    return f"<h3>Tips</h3><ol class=\"tips\">{items}</ol>"


def _legend() -> str:
    spans = "".join(f"<span class=\"part-{p}\">{p.capitalize()}</span>" for p in STAR_PARTS)
    return (f"<p class=\"legend\">{spans}<span class=\"filler\">filler</span>"
            f"<span class=\"pause\">[long pause]</span> Click a word to hear it.</p>")


def _transcript(pieces) -> str:
    out = []
    for p in pieces:
        if p.pause_before_s is not None:
            out.append(f"<span class=\"pause\">[{p.pause_before_s:.1f} s]</span>")
        classes = " ".join(c for c in ("w", f"part-{p.part}" if p.part else "", "filler" if p.filler else "") if c)
        t = f" data-t=\"{p.start:.2f}\"" if p.start is not None else ""
        out.append(f"<span class=\"{classes}\"{t}>{_e(p.text)}</span>")
    return f"<div class=\"transcript\">{' '.join(out) or '(nothing was recognized)'}</div>"


def _figure_html(figure) -> str:
    return figure.to_html(full_html=False, include_plotlyjs=False, config=PLOT_CONFIG)


def timeline_figure(record: Record, pieces):
    """STAR parts as bands, long pauses and fillers as marks, along the seconds of the answer."""
    import plotly.graph_objects as go

    fig = go.Figure()
    for part in STAR_PARTS:
        spans = [(s, e) for p, s, e in part_spans(pieces) if p == part]
        if spans:
            fig.add_bar(y=["STAR"] * len(spans), base=[s for s, _ in spans], x=[e - s for s, e in spans],
                        orientation="h", name=part.capitalize(), marker_color=PART_COLOUR[part],
                        hovertemplate=f"{part}: %{{base:.1f}} s<extra></extra>")
    pauses = [p for p in pieces if p.pause_before_s is not None]
    if pauses:
        fig.add_bar(y=["pauses"] * len(pauses), base=[p.start - p.pause_before_s for p in pauses],
                    x=[p.pause_before_s for p in pauses], orientation="h", name="long pause",
                    marker_color=PAUSE_COLOUR, hovertemplate="pause %{x:.1f} s<extra></extra>")
    fillers = [p for p in pieces if p.filler and p.start is not None]
    if fillers:
        fig.add_scatter(x=[p.start for p in fillers], y=["fillers"] * len(fillers), mode="markers",
                        name="filler", marker=dict(color=FILLER_COLOUR, size=12, symbol="diamond"),
                        text=[p.text for p in fillers], hovertemplate="%{text} at %{x:.1f} s<extra></extra>")
    end = record.duration_s or max((p.end or 0) for p in pieces)
    fig.update_layout(barmode="overlay", height=260, margin=dict(l=70, r=20, t=20, b=40),
                      xaxis=dict(title="seconds", range=[0, end]),
                      yaxis=dict(categoryorder="array", categoryarray=["fillers", "pauses", "STAR"]))
    return fig


def pace_figure(record: Record):
    import plotly.graph_objects as go

    windows = record.metrics.wpm_windows or _windows(record)
    fig = go.Figure(go.Scatter(
        x=[(w.start + w.end) / 2 for w in windows], y=[w.wpm for w in windows],
        mode="lines+markers", name="words/min", line=dict(color="#4c78a8"),
        hovertemplate="%{y:.0f} words/min around %{x:.0f} s<extra></extra>"))
    overall = record.metrics.wpm
    if overall:
        fig.add_hline(y=overall, line_dash="dot", line_color="#888",
                      annotation_text=f"whole answer {overall:.0f}", annotation_position="top left")
    end = record.duration_s or max((w.end for w in windows), default=1)
    fig.update_layout(height=260, margin=dict(l=70, r=20, t=20, b=40), showlegend=False,
                      xaxis=dict(title="seconds", range=[0, end]),
                      yaxis=dict(title="words/min", rangemode="tozero"))
    return fig


def _windows(record: Record) -> list[Window]:
    """Words per minute in sliding windows, from the word times (records without wpm_windows)."""
    starts = [w.start for w in record.transcript.words if w.start is not None]
    if not starts:
        return []
    out, t = [], starts[0]
    while t <= starts[-1]:
        count = sum(1 for s in starts if t <= s < t + WPM_WINDOW_S)
        out.append(Window(start=t, end=t + WPM_WINDOW_S, wpm=count * 60.0 / WPM_WINDOW_S))
        t += WPM_WINDOW_S / 3
    return out


def _session_summary(attempts: list[Attempt]) -> str:
    head = "<tr><th>#</th><th>question</th><th>length</th><th>words/min</th><th>fillers/min</th><th>STAR</th></tr>"
    rows = "".join(
        f"<tr><td><a href=\"#attempt-{a.id}\">{a.id}</a></td><td>{_e(a.question_text or '')}</td>"
        f"<td>{clock(a.record.shown_length_s)}</td><td>{'–' if a.wpm is None else f'{a.wpm:.0f}'}</td>"
        f"<td>{'–' if a.fillers_per_min is None else f'{a.fillers_per_min:.1f}'}</td><td>{a.star_parts}/4</td></tr>"
        for a in attempts)
    return f"<h2>Summary</h2><table class=\"metrics\">{head}{rows}</table>"


def _progress_charts(attempts: list[Attempt]) -> str:
    from plotly.subplots import make_subplots

    labels = [f"#{a.id}" for a in attempts]
    fig = make_subplots(rows=1, cols=3, subplot_titles=("words/min", "fillers/min", "STAR parts"))
    fig.add_scatter(x=labels, y=[a.wpm for a in attempts], mode="lines+markers", row=1, col=1, name="words/min")
    fig.add_scatter(x=labels, y=[a.fillers_per_min for a in attempts], mode="lines+markers", row=1, col=2,
                    name="fillers/min", line=dict(color=FILLER_COLOUR))
    fig.add_bar(x=labels, y=[a.star_parts for a in attempts], row=1, col=3, name="STAR parts",
                marker_color=PART_COLOUR["action"])
    fig.update_yaxes(range=[0, 4], row=1, col=3)
    fig.update_layout(height=300, showlegend=False, margin=dict(l=40, r=20, t=40, b=40))
    return "<h2>Progress</h2>" + _figure_html(fig)

