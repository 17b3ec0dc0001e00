"""The commands beyond one answer: interview, ask, pace and followup. Each parses its flags and
calls the library; `register` adds them to the CLI."""

from __future__ import annotations

from pathlib import Path

import click

from rehearse.cli.components import Components, pass_components, recording_options

_JSON = click.option("--json", "json_out", is_flag=True, help="Print JSON on stdout.")


def _interviewer(components: Components, no_voice, follow_ups, **options):
    from rehearse.interview.session import interviewer

    practice = components.practice(no_voice=no_voice, **options)
    return interviewer(practice, ask_follow_ups=follow_ups)


def _read_job(path: Path) -> str:
    from rehearse.assess_files import read_text

    return read_text(str(path))


@click.command("interview")
@recording_options
@click.option("--role", metavar="ROLE", help="The role you are interviewing for.")
@click.option("--job", "job_file", type=click.Path(path_type=Path),
              help="A job description (text): questions for what it asks, and which of its terms you used.")
@click.option("--length", type=click.Choice(["short", "standard"]), default="standard", show_default=True,
              help="3 (short) or 5 (standard) behavioral questions.")
@click.option("--no-follow-ups", is_flag=True, help="Never ask a follow-up question.")
@click.option("--question-id", metavar="ID", help="Only this question, with its follow-up.")
@click.option("--seed", type=int, help="Seed for choosing questions.")
@click.option("--bank", type=click.Path(path_type=Path), help="Your own question bank (TOML file or folder).")
@click.option("--no-voice", is_flag=True, help="Print questions instead of speaking them.")
@pass_components
def interview(components: Components, role, job_file, length, no_follow_ups, question_id, seed, bank,
              no_voice, no_live, **options) -> None:
    """A mock interview: introduction, stories, a situational question, your questions; then a summary."""
    from rehearse.interview import job
    from rehearse.interview.session import plan
    from rehearse.questions import competencies, find, load_bank

    bank_questions = load_bank(bank)
    terms = job.extract_terms(_read_job(job_file)) if job_file else None
    if question_id:
        chosen = [find(bank_questions, question_id)]
    else:
        wanted = job.competencies_asked(terms, competencies(bank_questions)) if terms else ()
        chosen = plan(bank_questions, length, seed=seed, wanted=wanted, role=role)
    interviewer = _interviewer(components, no_voice, not no_follow_ups, live=not no_live, **options)
    records = interviewer.run(chosen)
    _summary(components, records, interviewer.session_dir.name, role, terms, options["json_out"])


def _summary(components: Components, records, session, role, terms, json_out) -> None:
    from rehearse.errors import RehearseError
    from rehearse.interview import job
    from rehearse.interview.session import summarize, write_session_report

    terminal = components.terminal()
    try:
        report_path = write_session_report(session)
    except RehearseError as exc:
        terminal.err.print(f"[yellow]no session report: {exc}[/]")
        report_path = None
    said = " ".join(r.transcript.text for r in records)
    summary = summarize(records, session=session, role=role, report_path=report_path,
                                  job_terms=job.terms_used(terms, said) if terms is not None else None)
    if json_out:
        terminal.print_json(summary)
    else:
        from rehearse.interview.summary import print_summary

        print_summary(summary, terminal.out)


@click.command("ask")
@recording_options
@click.option("--text", "text_file", metavar="FILE|-", help="Judge typed questions instead of recording them.")
@click.option("--no-voice", is_flag=True, help="Print the question instead of speaking it.")
@pass_components
def ask(components: Components, text_file, no_voice, no_live, **options) -> None:
    """Ask the questions you would ask the interviewer, and hear how they land."""
    from rehearse.interview import candidate_questions
    from rehearse.interview.session import CLOSING_ID
    from rehearse.questions import find, load_bank

    terminal = components.terminal()
    if text_file:
        from rehearse.assess_files import read_text

        result = candidate_questions.assess(read_text(text_file))
    else:
        interviewer = _interviewer(components, no_voice, False, live=not no_live, **options)
        result = interviewer.run([find(load_bank(), CLOSING_ID)])[0].to_json()
        if options["json_out"]:
            return  # the answer's record, with its candidate_questions, is already printed
    if options["json_out"]:
        terminal.print_json(result)
    else:
        from rehearse.interview.summary import print_candidate_questions

        print_candidate_questions(result, terminal.out)


@click.command("pace")
@click.argument("script", required=False, type=click.Path(path_type=Path))
@click.option("--target", required=True, metavar="DURATION", help="How long the talk should take: 5m, 90s, 2m30s.")
@click.option("--end-silence", type=click.FloatRange(0.5, 30), default=4.0, show_default=True,
              help="Seconds of silence that end the talk.")
@click.option("--max-seconds", type=click.FloatRange(1, 7200),
              help="Longest talk recorded (default: twice the target, plus a minute).")
@click.option("--input-device", metavar="D", help="Microphone: index or part of its name.")
@click.option("--model", metavar="M", help="Whisper model folder or name (default: embedded base).")
@_JSON
@pass_components
def pace(components: Components, script, target, end_silence, max_seconds, input_device, model,
         json_out) -> None:
    """Time a presentation against a target, section by section when you give its SCRIPT (.md or .txt)."""
    from rehearse.audio.recorder import RecordOptions
    from rehearse.presentation.drill import Drill, print_report
    from rehearse.presentation.script import parse_target, read_script

    target_s = parse_target(target)
    sections = read_script(script) if script else []
    open_source = components.microphone(input_device)
    terminal = components.terminal()
    options = RecordOptions(end_silence, think_time_s=60.0, max_seconds=max_seconds or 2 * target_s + 60)
    drill = Drill(open_source, components.transcriber(model), terminal, options)
    report = drill.run(target_s, sections, script)
    if json_out:
        terminal.print_json(report.to_json())
    else:
        print_report(report, terminal.out)


@click.command("followup")
@click.argument("session")
@click.option("--name", required=True, help="Your name, to sign the email.")
@click.option("--company", required=True, help="The company you interviewed with.")
@click.option("--role", required=True, help="The role you interviewed for.")
@click.option("--interviewer", metavar="I", help="Who interviewed you.")
@click.option("--output", type=click.Path(path_type=Path), help="Write the email to this file.")
@_JSON
@pass_components
def followup(components: Components, session, name, company, role, interviewer, output, json_out) -> None:
    """Draft a thank-you email that mentions something from SESSION's answers ('last' for the latest)."""
    from rehearse.history.folder import write_private  # the email quotes the answers: private, like the data folder
    from rehearse.interview import thank_you

    with components.history() as history:
        if session == "last":
            latest = history.recent(1)
            if not latest:
                raise click.UsageError("no sessions yet; run 'rehearse interview'")
            session = latest[0].session
        attempts = history.attempts_in_session(session)
    email = thank_you.draft([a.record for a in attempts], name=name, company=company, role=role,
                            interviewer=interviewer)
    text = f"Subject: {email.subject}\n\n{email.body}"
    if output:
        write_private(output, text)
        click.echo(f"Wrote {output}", err=True)
    if json_out:
        components.terminal().print_json({"session": session, **email.to_json()})
    elif not output:
        click.echo(text, nl=False)


def register(group: click.Group) -> None:
    for command in (interview, ask, pace, followup):
        group.add_command(command)
