""""Write it yourself", driven through its widget as a trainee would: write, ask for the notes, see
each element's note with their own words highlighted, then the model answers; write again. The
text stays in memory: nothing is written to disk, and nothing reaches the gradebook."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
import yaml

from repairlab.coach import voice
from repairlab.coach.practice import MODEL, kind_models, load_prompts
from repairlab.trainee.vignettes import module_vignettes
from repairlab.trainee.widgets.write_it import EMPTY, PRIVATE, STALE, write_it
from repairlab.trainee.write_it import highlighted

from helpers import REPO

PROMPTS = REPO / "assets" / "write-it.yml"
IDS = [p["vignette"] for p in yaml.safe_load(PROMPTS.read_text(encoding="utf-8"))["prompts"]]


def test_every_prompt_follows_a_vignette_of_its_module():
    for prompt in load_prompts(PROMPTS).values():
        assert prompt.vignette in module_vignettes(prompt.module)


@pytest.mark.parametrize("vignette", IDS)
def test_write_then_notes_with_own_words_then_model_answers(vignette, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    widget = write_it(vignette)
    prompt = widget.practice.prompt
    assert PRIVATE in widget.children[0].value and widget.models.value == ""
    widget.text.value = prompt.model_answers[0]
    widget.ask.click()
    notes = widget.notes.value
    for element, note in zip(prompt.elements, widget.practice.notes):
        assert element.name in notes and note.label in notes and element.says.split(":")[0] in notes
    for note in widget.practice.notes:  # the trainee's own words the coach reacted to, highlighted
        assert all(f"<mark>{html.escape(e)}</mark>" in notes for e in note.judgement.evidence)
    assert "not a grade" in notes
    assert all(html.escape(a) in widget.models.value for a in prompt.model_answers)
    judged = [n.judgement.score for n in widget.practice.notes if n.judgement.score is not None]
    assert all(s >= 0.5 for s in judged), judged  # the model answer itself is never marked down
    widget.again.click()
    assert widget.notes.value == widget.models.value == "" and widget.text.value == prompt.model_answers[0]
    assert list(tmp_path.iterdir()) == []  # nothing saved


def test_empty_text_asks_for_words_first():
    widget = write_it(IDS[0])
    widget.text.value = "   "
    widget.ask.click()
    assert html.escape(EMPTY) in widget.notes.value and widget.models.value == ""


def test_a_weak_answer_gets_notes_that_say_what_is_missing():
    widget = write_it("late-start")
    widget.text.value = "Don't worry about it, these things happen. Shall we look at the agenda for today?"
    widget.ask.click()
    scores = [n.judgement.score for n in widget.practice.notes]
    assert 1.0 not in scores[:3]
    assert any(n.judgement.why == voice.NOT_JUDGED or n.judgement.score is not None for n in widget.practice.notes)


def test_words_about_the_client_are_named_in_the_notes():
    widget = write_it("late-start")
    widget.text.value = "Ana is angry because I was late again. I would apologise and ask her how it was for her."
    widget.ask.click()
    assert "These words speak about Ana, not to her" in widget.notes.value


def test_highlighting_escapes_the_trainees_text():
    out = highlighted("I <b>looked</b> at my phone", ["phone", "looked"])
    assert out == "I &lt;b&gt;<mark>looked</mark>&lt;/b&gt; at my <mark>phone</mark>"


def test_a_kind_is_judged_in_practice_only_if_it_reached_the_bar_on_unseen_tasks():
    models = kind_models()
    for prompt in load_prompts(PROMPTS).values():
        for element, fitted in zip(prompt.elements, prompt.coach.models):
            kappa = models.get(element.kind, (None, None))[1]
            assert (fitted is not None) == (kappa is not None and kappa >= 0.60)
    assert MODEL.is_file()


def test_the_practice_step_never_imports_grading_code():
    source = "\n".join(p.read_text(encoding="utf-8") for p in (
        REPO / "repairlab/trainee/write_it.py", REPO / "repairlab/trainee/widgets/write_it.py"))
    assert "gradebook" not in source and "open(" not in source and "write_text" not in source
    assert ".write" not in Path(REPO / "repairlab/coach/practice.py").read_text(encoding="utf-8")


def test_the_trainee_lab_never_saves_widget_state_into_a_notebook(tmp_path):
    import json

    from repairlab.course import load_course
    from repairlab.trainee.lab import WIDGET_SETTINGS, write_lab_config

    from helpers import copy_course

    root = copy_course(tmp_path / "course")
    _, settings = write_lab_config(load_course(root))
    assert json.loads((settings / WIDGET_SETTINGS).read_text(encoding="utf-8")) == {"saveState": False}


def test_after_a_vignette_the_step_waits_for_a_choice_and_the_models_for_the_trainees_words(tmp_path, monkeypatch):
    """Module 1's order: choose a response, then write, then the notes and the model answers. Before
    the choice nothing of the step shows; before writing, no model answer."""
    from repairlab.trainee.practise import practise

    monkeypatch.chdir(tmp_path)
    page = write_it("late-start", after=practise("owning-your-part", "late-start"))
    vignette, step = page.children
    assert step.layout.display == "none" and step.models.value == "" and step.notes.value == ""
    vignette.notice.value = vignette.notice.options[0][1]
    vignette.choice.value = "A"  # not the best response
    assert step.layout.display is None and step.models.value == ""
    step.ask.click()  # nothing written yet: still no model answer
    assert step.models.value == "" and html.escape(EMPTY) in step.notes.value
    step.text.value = ("I started late again after you swapped your shift. I'll keep the time before clear. "
                       "How was that?")
    step.ask.click()
    assert step.models.value and step.notes.value


def test_no_model_answer_is_one_of_the_vignettes_responses(course):
    """A trainee who chose another response has not been shown the best one; the model answers,
    shown after their own words, do not hand it to them word for word."""
    from repairlab.trainee.vignettes import load_vignettes

    for prompt in load_prompts(PROMPTS).values():
        responses = {" ".join(r.text.split()) for r in load_vignettes(course.module(prompt.module).vignettes)
                     [prompt.vignette].responses}
        assert not responses & {" ".join(a.split()) for a in prompt.model_answers}


def test_module_one_shows_the_step_after_its_first_vignette():
    import nbformat

    cells = nbformat.read(REPO / "modules/01-owning-your-part.ipynb", as_version=4).cells
    sources = [c.source for c in cells if c.cell_type == "code"]
    assert 'write_it("late-start", after=practise("owning-your-part", "late-start"))' in sources
    assert not any(s.strip().startswith("write_it(") and "after=" not in s for s in sources)


@pytest.mark.parametrize("text", [
    "I did not start late, so there is nothing to own here. I'm not going to change anything. And I'm not "
    "going to ask how that was for you.",
    "late, twice, swapped shifts, sorry, half hour clear, how was that for you",
    "I'm so sorry, Ana. I feel terrible, I'm a hopeless timekeeper. I completely understand if you want "
    "another therapist.",
])
def test_the_reviewers_answers_get_no_credit_in_practice(text):
    """A denial of every element, a keyword list and over-apologising: nothing met or partly met."""
    widget = write_it("late-start")
    widget.text.value = text
    widget.ask.click()
    assert all(n.judgement.score in (None, 0) for n in widget.practice.notes), [
        (n.element.name, n.judgement.score) for n in widget.practice.notes]


def test_write_again_puts_the_cursor_back_in_the_box(monkeypatch):
    widget = write_it("late-start")
    focused = []
    monkeypatch.setattr(widget.text, "focus", lambda: focused.append(True))
    widget.text.value = "I started late again and went straight to the agenda. What was that like for you?"
    widget.ask.click()
    widget.again.click()
    assert focused == [True]


def test_words_changed_after_the_notes_are_flagged_and_the_box_syncs_every_keystroke():
    widget = write_it("late-start")
    assert widget.text.continuous_update
    widget.text.value = "I started late again and went straight to the agenda. What was that like for you?"
    widget.ask.click()
    assert html.escape(STALE) not in widget.notes.value
    widget.text.value += " I am sorry."
    assert widget.notes.value.count(html.escape(STALE)) == 1
    widget.text.value += " Really."
    assert widget.notes.value.count(html.escape(STALE)) == 1
    widget.ask.click()
    assert html.escape(STALE) not in widget.notes.value


def test_the_answer_box_uses_the_pages_font():
    widget = write_it("late-start")
    assert "repairlab-write-it" in widget._dom_classes
    assert ".repairlab-write-it textarea{font-family:inherit" in widget.children[0].value


def test_the_prompt_does_not_assume_the_chosen_response_was_right():
    for prompt in load_prompts(PROMPTS).values():
        assert "Now say it in your own words" not in prompt.prompt
