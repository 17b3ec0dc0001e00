"""The question bank: validation of bank files, the built-in banks, and choosing questions."""

from __future__ import annotations

from pathlib import Path

import pytest

from rehearse import questions as qmod
from rehearse.errors import BankError, UsageError
from rehearse.questions import KINDS, Question, competencies, find, load_bank, select

# The competencies the built-in behavioral bank must cover, each with at least three questions.
REQUIRED_COMPETENCIES = (
    "leadership", "conflict", "failure", "teamwork", "deadline", "customer", "initiative",
    "influence", "adaptability", "communication", "problem-solving", "prioritization",
    "feedback", "ethics", "learning", "ownership",
)  # fmt: skip


def question_toml(**changes: str | None) -> str:
    """One valid [[question]] table in TOML; a change replaces a value, None drops the key."""
    fields: dict[str, str | None] = {
        "id": '"ok-one"',
        "text": '"Tell me about a time you disagreed with a colleague."',
        "kind": '"behavioral"',
        "competencies": '["conflict"]',
        "target_s": "[60, 120]",
    }
    fields.update(changes)
    lines = [f"{key} = {value}" for key, value in fields.items() if value is not None]
    return "[[question]]\n" + "\n".join(lines) + "\n\n"


GOOD = question_toml()


# --- one bank file with one problem -------------------------------------------------------------

FILE_ERRORS = [
    # (bank file content, what the message must say)
    (GOOD + question_toml(id=None), "question 2 has no id"),
    (question_toml(id='"Conflict One"'), "question 1: id 'Conflict One' must be kebab-case"),
    (question_toml(id="7"), "question 1: id 7 must be kebab-case"),
    (question_toml(id='"double--hyphen"'), "id 'double--hyphen' must be kebab-case"),
    (question_toml(text=None), "question 'ok-one' has no text"),
    (question_toml(text='"   "'), "question 'ok-one': text must be a non-empty string"),
    (question_toml(text="42"), "question 'ok-one': text must be a non-empty string"),
    (question_toml(kind=None), "question 'ok-one' has no kind"),
    (question_toml(kind='"tecnical"'), "question 'ok-one': unknown kind 'tecnical' (valid kinds:"),
    (question_toml(competencies=None), "question 'ok-one' has no competencies"),
    (question_toml(competencies='"conflict"'), "competencies must be a list of kebab-case strings"),
    (question_toml(competencies="[1, 2]"), "competencies must be a list of kebab-case strings"),
    (question_toml(competencies='["Problem Solving"]'), "got ['Problem Solving']"),
    (question_toml(target_s=None), "question 'ok-one' has no target_s"),
    (question_toml(target_s="[120, 60]"),
     "question 'ok-one': target_s must be [min, max] seconds with 0 < min < max, got [120, 60]"),
    (question_toml(target_s="[60, 60]"), "with 0 < min < max, got [60, 60]"),
    (question_toml(target_s="[0, 60]"), "target_s must be [min, max] seconds"),
    (question_toml(target_s="[-10, 60]"), "target_s must be [min, max] seconds"),
    (question_toml(target_s="[60]"), "target_s must be [min, max] seconds"),
    (question_toml(target_s="[30, 60, 90]"), "target_s must be [min, max] seconds"),
    (question_toml(target_s='["60", "120"]'), "target_s must be [min, max] seconds"),
    (question_toml(target_s="[true, 120]"), "target_s must be [min, max] seconds"),
    (question_toml(target_s="90"), "target_s must be [min, max] seconds"),
    (question_toml(competency='["conflict"]'), "question 'ok-one' has unknown key 'competency'"),
    ('title = "My bank"\n' + GOOD, "unknown top-level key 'title'"),
    (GOOD.replace("[[question]]", "[question]"), "write [[question]], not [question]"),
    ("question = [1, 2]\n", "question 1 is not a table"),
    ("", "no questions"),
    ("# only a comment\n", "no questions"),
    ("question = []\n", "no questions"),
    (GOOD + "id = \n", "not valid TOML: "),
    ("[[question]]\nid = 'a'\nid = 'b'\n", "not valid TOML: "),
    (GOOD + GOOD, "duplicate id 'ok-one' (also earlier in this file)"),
    (GOOD.encode() + b'\n# caf\xe9\n', "not UTF-8 text (byte 0xe9 at offset"),
]


@pytest.mark.parametrize("content, problem", FILE_ERRORS)
def test_bad_bank_file_names_the_file_and_the_problem(tmp_path, monkeypatch, content, problem):
    monkeypatch.chdir(tmp_path)
    bank = tmp_path / "bad.toml"
    bank.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(BankError) as caught:
        load_bank(bank)
    message = str(caught.value)
    assert message.startswith("question bank bad.toml: ")
    assert problem in message


def test_invalid_toml_gives_the_line(tmp_path):
    bank = tmp_path / "broken.toml"
    bank.write_text(GOOD + "id = \n")
    with pytest.raises(BankError, match=r"broken\.toml: not valid TOML: .*line 8"):
        load_bank(bank)


def test_a_file_outside_the_current_folder_is_named_in_full(tmp_path, monkeypatch):
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    bank = tmp_path / "elsewhere.toml"
    bank.write_text("")
    with pytest.raises(BankError, match=f"^question bank {bank}: no questions"):
        load_bank(bank)


# --- folders and missing paths ------------------------------------------------------------------

FOLDER_ERRORS = [
    # ({file name: content}, path to load, name in the message, problem)
    ({}, "missing.toml", "missing.toml", "no such file or folder"),
    ({}, "bank", "bank", "no .toml files in this folder"),
    ({"bank/notes.txt": GOOD}, "bank", "bank", "no .toml files in this folder"),
    ({"bank/a.toml": GOOD, "bank/b.toml": GOOD}, "bank", "bank/b.toml",
     "duplicate id 'ok-one' (also in bank/a.toml)"),
    ({"bank/a.toml": GOOD, "bank/b.toml": ""}, "bank", "bank/b.toml",
     "no questions; add [[question]] tables"),
]


@pytest.mark.parametrize("files, target, shown, problem", FOLDER_ERRORS)
def test_bad_bank_folder_names_the_path_and_the_problem(
    tmp_path, monkeypatch, files, target, shown, problem
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bank").mkdir()
    for name, content in files.items():
        (tmp_path / name).write_text(content)
    with pytest.raises(BankError) as caught:
        load_bank(Path(target))
    assert str(caught.value) == f"question bank {shown}: {problem}"


def test_missing_default_folder_is_a_bank_error(tmp_path, monkeypatch):
    monkeypatch.setattr(qmod, "DEFAULT_BANK_DIR", tmp_path / "prompts")
    with pytest.raises(BankError, match="question bank folder .*prompts is missing"):
        load_bank()


def test_a_folder_loads_every_toml_file_in_name_order(tmp_path):
    (tmp_path / "b.toml").write_text(question_toml(id='"from-b"'))
    (tmp_path / "a.toml").write_text(question_toml(id='"from-a"', kind='"closing"'))
    (tmp_path / "readme.md").write_text("not a bank")
    bank = load_bank(tmp_path)
    assert [(q.id, q.kind, q.source.name) for q in bank] == [
        ("from-a", "closing", "a.toml"),
        ("from-b", "behavioral", "b.toml"),
    ]


def test_a_valid_question_is_read_and_normalized(tmp_path):
    bank = tmp_path / "ok.toml"
    text = '"""\nTell me about a time\n   you disagreed.\n"""'
    bank.write_text(question_toml(text=text, competencies='["conflict", "teamwork", "conflict"]'))
    [question] = load_bank(bank)
    assert question == Question(
        id="ok-one",
        text="Tell me about a time you disagreed.",
        competencies=("conflict", "teamwork"),
        kind="behavioral",
        target_s=(60.0, 120.0),
        source=bank,
    )
    assert question.to_json() == {
        "id": "ok-one",
        "text": "Tell me about a time you disagreed.",
        "competencies": ["conflict", "teamwork"],
        "kind": "behavioral",
        "target_s": [60.0, 120.0],
    }


def test_a_byte_order_mark_is_accepted(tmp_path):
    bank = tmp_path / "bom.toml"
    bank.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    assert [q.id for q in load_bank(bank)] == ["ok-one"]


# --- the built-in banks -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_bank() -> list[Question]:
    return load_bank()


def test_the_built_in_bank_has_enough_behavioral_questions(real_bank):
    assert len([q for q in real_bank if q.kind == "behavioral"]) >= 48


@pytest.mark.parametrize("kind, at_least", [
    ("behavioral", 48), ("situational", 6), ("opening", 2), ("closing", 1),
])  # fmt: skip
def test_the_built_in_bank_has_every_kind_of_question(real_bank, kind, at_least):
    assert len([q for q in real_bank if q.kind == kind]) >= at_least


@pytest.mark.parametrize("competency", REQUIRED_COMPETENCIES)
def test_every_competency_has_three_behavioral_questions(real_bank, competency):
    tagged = [q for q in real_bank if q.kind == "behavioral" and competency in q.competencies]
    assert len(tagged) >= 3


def test_built_in_ids_are_unique_and_texts_read_as_questions(real_bank):
    assert len({q.id for q in real_bank}) == len(real_bank)
    assert all(q.text[-1] in "?." for q in real_bank)
    assert len({q.text for q in real_bank}) == len(real_bank)


@pytest.mark.parametrize("kind, openings", [
    ("behavioral", ("Tell me about", "Describe", "Give me an example")),
    ("situational", ("What would you do",)),
])  # fmt: skip
def test_built_in_questions_are_phrased_for_their_kind(real_bank, kind, openings):
    assert all(q.text.startswith(openings) for q in real_bank if q.kind == kind)


def test_built_in_targets_follow_the_kind(real_bank):
    expected = {"behavioral": (60.0, 120.0), "situational": (45.0, 90.0), "opening": (60.0, 90.0)}
    for question in real_bank:
        assert question.target_s == expected.get(question.kind, question.target_s), question.id


def test_the_default_bank_is_the_prompts_folder():
    assert qmod.DEFAULT_BANK_DIR == Path(qmod.__file__).resolve().parent.parent / "prompts"
    assert load_bank(qmod.DEFAULT_BANK_DIR) == load_bank()


# --- choosing questions -------------------------------------------------------------------------


def make(qid: str, kind: str = "behavioral", *tags: str) -> Question:
    return Question(qid, f"Tell me about {qid}.", tags, kind, (60.0, 120.0), Path("t.toml"))


SMALL = [
    make("lead-1", "behavioral", "leadership"),
    make("lead-2", "behavioral", "leadership", "conflict"),
    make("fight-1", "behavioral", "conflict"),
    make("solve-1", "behavioral", "problem-solving"),
    make("what-if", "situational", "conflict", "ethics"),
    make("hello", "opening", "communication"),
    make("bye", "closing"),
]


def ids(questions: list[Question]) -> list[str]:
    return [q.id for q in questions]


@pytest.mark.parametrize("options, expected", [
    (dict(competency="leadership", count=2), {"lead-1", "lead-2"}),
    (dict(competency="conflict", count=2), {"lead-2", "fight-1"}),
    (dict(competency="Problem Solving"), {"solve-1"}),
    (dict(competency="problem_solving"), {"solve-1"}),
    (dict(kind="situational"), {"what-if"}),
    (dict(kind="situational", competency="ethics"), {"what-if"}),
    (dict(kind="opening"), {"hello"}),
    (dict(question_id="bye"), {"bye"}),
    (dict(question_id="what-if", competency="leadership"), {"what-if"}),
    (dict(kind=None, count=7), {q.id for q in SMALL}),
    (dict(count=4), {"lead-1", "lead-2", "fight-1", "solve-1"}),
])  # fmt: skip
def test_select_filters(options, expected):
    assert set(ids(select(SMALL, seed=1, **options))) == expected


@pytest.mark.parametrize("options, message", [
    (dict(competency="ethics"),
     "unknown competency 'ethics'; valid competencies: conflict, leadership, problem-solving"),
    (dict(competency="leadrship", kind=None),
     "valid competencies: communication, conflict, ethics, leadership, problem-solving"),
    (dict(question_id="nope"), "unknown question id 'nope'; see 'rehearse questions'"),
    (dict(kind="technical"), "unknown kind 'technical'; valid kinds: behavioral, situational"),
    (dict(kind="followup"), "the question bank has no followup questions"),
    (dict(count=0), "count must be at least 1, got 0"),
    (dict(count=-3), "count must be at least 1, got -3"),
])  # fmt: skip
def test_select_refuses(options, message):
    with pytest.raises(UsageError) as caught:
        select(SMALL, **options)
    assert message in str(caught.value)


@pytest.mark.parametrize("seed", [0, 1, 42, 2024])
def test_select_is_deterministic_for_a_seed(real_bank, seed):
    first = select(real_bank, count=5, seed=seed)
    assert first == select(real_bank, count=5, seed=seed)
    assert len(set(ids(first))) == 5


def test_different_seeds_give_different_draws(real_bank):
    draws = {tuple(ids(select(real_bank, count=5, seed=seed))) for seed in range(10)}
    assert len(draws) > 1


def test_select_without_repeats_until_the_pool_is_used_up(real_bank):
    behavioral = [q for q in real_bank if q.kind == "behavioral"]
    drawn = select(real_bank, count=len(behavioral), seed=3)
    assert sorted(ids(drawn)) == sorted(ids(behavioral))


@pytest.mark.parametrize("count", [3, 4, 9])
def test_select_more_than_available_comes_round_again(count):
    drawn = ids(select(SMALL, competency="leadership", count=count, seed=5))
    assert len(drawn) == count
    assert set(drawn) == {"lead-1", "lead-2"}
    assert all(a != b for a, b in zip(drawn, drawn[1:]))


def test_select_by_id_repeats_that_question():
    assert ids(select(SMALL, question_id="hello", count=3)) == ["hello"] * 3


def test_find_ignores_kind():
    assert find(SMALL, "bye").kind == "closing"


def test_competencies_are_sorted_and_unique():
    assert competencies(SMALL) == [
        "communication", "conflict", "ethics", "leadership", "problem-solving",
    ]  # fmt: skip
    assert competencies([]) == []


def test_kinds_are_the_documented_ones():
    assert KINDS == ("behavioral", "situational", "opening", "closing", "followup")
