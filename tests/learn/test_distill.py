import json
import re
import threading
import time
from pathlib import Path

import pytest
import yaml

from skillbank.learn.distill import (
    TAG_CONSOLIDATE,
    TAG_CONTRADICTIONS,
    TAG_DESCRIBE,
    TAG_EXTRACT,
    DistillError,
    distill,
    render_run,
    slugify,
)
from skillbank.learn.runs import load_runs, parse_run
from skillbank.llm.testing import ScriptedServer

FIX = Path(__file__).parent / "fixtures_runs"


def _runs():
    runs = load_runs(FIX / "good.jsonl").runs  # fs-0 (ok), fs-1 (failed), fs-2 (ok)
    extra = []
    for i, ok in ((3, True), (4, False), (5, True)):
        extra.append(
            parse_run(
                {
                    "trajectory_id": f"fs-{i}",
                    "task_id": f"t{i}",
                    "task": f"Clean up folder number {i}",
                    "outcome": {"success": ok},
                    "source": {"env": "toy-fs", "model": "m"},
                    "messages": [
                        {"role": "user", "content": "clean up"},
                        {"role": "assistant", "tool_calls": [{"id": "a", "type": "function", "function": {"name": "rm", "arguments": '{"path": "old", "recursive": true}'}}]},
                        {"role": "tool", "tool_call_id": "a", "content": "ok" if ok else "error: permission denied"},
                    ],
                }
            )
        )
    return runs + extra


# what the "LLM" extracts from each run: (tier, title, lesson, tools)
EXTRACTED = {
    "fs-0": [("strategic", "Look before you act", "List the folder first, then act on what is there.", ["ls"]),
             ("atomic", "mv arguments", "mv takes src and dst; dst may be a folder ending with a slash.", ["mv"])],
    "fs-1": [("atomic", "Folders are permanent", "Never delete folders; they cannot be removed.", ["rm"])],
    "fs-2": [("strategic", "Look before you act", "Check what exists before changing anything.", ["ls"]),
             ("functional", "Show a file", "To show a file, cat it by its name in the current folder.", ["cat"])],
    "fs-3": [("atomic", "Deleting folders", "Delete a folder with rm and recursive=true.", ["rm"])],
    "fs-4": [("functional", "Recover from permission errors", "On 'permission denied', stop and report instead of retrying.", ["rm"])],
    "fs-5": [("atomic", "Deleting folders", "Use rm with recursive=true for folders.", ["rm"])],
}


def _payload(user):
    """The JSON list after the first line of a prompt (the JSON instruction follows it)."""
    return json.JSONDecoder().raw_decode(user.split("\n", 1)[1])[0]


class Script:
    def __init__(self):
        self.active = 0
        self.max_active = 0
        self.lock = threading.Lock()
        self.levels = []

    def __call__(self, req):
        system = req.messages[0]["content"]
        user = req.messages[1]["content"]
        if system.startswith(TAG_EXTRACT):
            with self.lock:
                self.active += 1
                self.max_active = max(self.max_active, self.active)
            time.sleep(0.05)
            with self.lock:
                self.active -= 1
            rid = re.search(r"Run id: (\S+)", user).group(1)
            if rid == "fs-4":
                return "I cannot produce JSON, sorry."  # twice: this run yields nothing
            items = [{"tier": t, "title": ti, "lesson": le, "tools": to} for t, ti, le, to in EXTRACTED[rid]]
            return json.dumps({"lessons": items})
        if system.startswith(TAG_CONSOLIDATE):
            lessons = _payload(user)
            self.levels.append(len(lessons))
            groups = {}
            for lesson in lessons:  # merge lessons with the same tier and title
                groups.setdefault((lesson["tier"], lesson["title"]), []).append(lesson)
            out = [{"tier": t, "title": ti, "lesson": g[-1]["lesson"], "tools": g[0]["tools"], "merged_from": [x["id"] for x in g]}
                   for (t, ti), g in groups.items()]
            out.append({"tier": "atomic", "title": "invented", "lesson": "uncited lessons are dropped", "merged_from": ["L99"]})
            return json.dumps({"lessons": out})
        if system.startswith(TAG_CONTRADICTIONS):
            lessons = _payload(user)
            never = [x["id"] for x in lessons if x["lesson"].startswith("Never delete")]
            use = [x["id"] for x in lessons if "recursive=true" in x["lesson"]]
            if never and use:
                return json.dumps({"contradictions": [{"ids": never + use, "reason": "successful runs deleted folders",
                                   "resolved": {"tier": "atomic", "title": "Deleting folders",
                                                "lesson": "Folders can be deleted: call rm with recursive=true; a plain rm fails on a folder."}}]})
            return json.dumps({"contradictions": []})
        if system.startswith(TAG_DESCRIBE):
            return 'Here you go: {"description": "File-system housekeeping in the toy-fs shell: moving, showing and deleting files and folders. Use when a task asks to reorganise or clean up files.", "overview": "Start with the plan, then use the procedures and tool rules."}'
        raise AssertionError(f"unexpected prompt: {system[:80]}")


def test_distill_end_to_end(tmp_path):
    script = Script()
    runs = _runs()
    with ScriptedServer(script) as srv, srv.provider(max_retries=0) as llm:
        skill = distill(runs, llm, name="Toy FS housekeeping!", workers=4, batch_size=2, target=3)
    assert skill.name == "toy-fs-housekeeping"
    assert script.max_active > 1  # runs were analysed in parallel

    # hierarchical consolidation: several levels over batches of 2
    assert skill.stats["consolidation_levels"] >= 2 and script.levels and max(script.levels) <= 2
    assert skill.stats["lessons_extracted"] == 7 and skill.stats["runs_with_lessons"] == 5
    assert any(e.startswith("extract:fs-4") for e in skill.stats["llm_errors"])

    # tiers and citations
    by_title = {lesson.title: lesson for lesson in skill.lessons}
    assert set(by_title) == {"Look before you act", "mv arguments", "Show a file", "Deleting folders"}
    assert sorted(by_title["Look before you act"].runs) == ["fs-0", "fs-2"]
    assert skill.tier("strategic") and skill.tier("functional") and skill.tier("atomic")
    ids = {r.trajectory_id for r in runs}
    assert all(lesson.runs and set(lesson.runs) <= ids for lesson in skill.lessons)

    # the contradiction is resolved, keeping every citation
    (c,) = skill.contradictions
    deleting = by_title["Deleting folders"]
    assert deleting.text.startswith("Folders can be deleted") and sorted(deleting.runs) == ["fs-1", "fs-3", "fs-5"]
    assert not any(lesson.text.startswith("Never delete") for lesson in skill.lessons)
    assert c["reason"] == "successful runs deleted folders"

    # the SKILL.md: strict front matter, tiers with citations
    md = skill.skill_md
    fm = yaml.safe_load(md.split("---\n")[1])
    assert set(fm) <= {"name", "description", "license", "compatibility", "metadata", "allowed-tools"}
    assert fm["name"] == "toy-fs-housekeeping" and len(fm["description"]) <= 1024
    assert fm["description"].startswith("File-system housekeeping")
    assert all(isinstance(v, str) for v in fm["metadata"].values()) and fm["metadata"]["source-runs"] == "6"
    body = md.split("---\n", 2)[2]
    assert body.index("## Strategic plans") < body.index("## Functional skills") < body.index("## Atomic skills")
    assert "(runs: `fs-0`, `fs-2`)" in body
    assert "`fs-1`, `fs-3`, `fs-5`" in body
    refs = json.loads(skill.files["references/lessons.json"])
    assert {lesson["title"] for lesson in refs["lessons"]} == set(by_title)
    assert skill.problems == []

    # written folder validates with the library validator and the reference one
    folder = skill.write(tmp_path)
    assert folder == tmp_path / "toy-fs-housekeeping" and (folder / "SKILL.md").read_bytes() == skill.files["SKILL.md"]
    from skillbank.skill import load

    assert load(folder, mode="strict").ok
    skills_ref = pytest.importorskip("skills_ref")
    assert skills_ref.validate(folder) == []
    with pytest.raises(FileExistsError):
        skill.write(tmp_path)
    assert skill.write(tmp_path, overwrite=True) == folder


def test_distill_fallbacks():
    runs = _runs()[:2]

    def script(req):
        system = req.messages[0]["content"]
        if system.startswith(TAG_EXTRACT):
            return '{"lessons": [{"tier": "plan", "title": "t", "lesson": "A lesson: with a colon", "tools": "ls"}]}'
        return "no json"  # describe fails: a fallback description is used

    with ScriptedServer(script) as srv, srv.provider(max_retries=0) as llm:
        skill = distill(runs, llm, name="x", workers=2)
    assert skill.problems == []
    assert [lesson.tier for lesson in skill.lessons] == ["strategic", "strategic"]
    assert skill.lessons[0].tools == ["ls"]
    assert "toy-fs" in skill.description and skill.stats["consolidation_levels"] == 0


def test_distill_nothing_extracted():
    with ScriptedServer(lambda req: '{"lessons": []}') as srv, srv.provider(max_retries=0) as llm:
        with pytest.raises(DistillError, match="no lesson"):
            distill(_runs()[:1], llm, name="x")
    with pytest.raises(DistillError, match="no runs"):
        distill([], None, name="x")


def test_slugify_and_render():
    assert slugify("  My Skill__v2 ") == "my-skill-v2"
    assert len(slugify("a" * 100)) == 64
    with pytest.raises(ValueError):
        slugify("!!!")
    text = render_run(_runs()[0])
    assert "Run id: fs-0" in text and "Outcome: SUCCESS" in text and 'CALL mv({"src"' in text and "RESULT: ok" in text
    assert "You are a file agent" not in text  # system prompt left out
    long = render_run(_runs()[0], max_chars=60)
    assert "lines omitted" in long


TAU = Path(__file__).parents[2].parent / "shared" / "bench" / "trajectories" / "tau-bench-airline-gpt4o" / "gpt-4o-airline.json"


@pytest.mark.bench
def test_distill_tau_bench_slice(tmp_path):
    """Forty real runs through the whole pipeline (scripted LLM): prompts stay bounded, output is valid."""
    if not TAU.exists():
        pytest.skip(f"{TAU} is absent")
    from skillbank.learn.importers import import_tau_bench

    runs = import_tau_bench(TAU).runs[:40]
    sizes = []

    def script(req):
        system, user = req.messages[0]["content"], req.messages[1]["content"]
        sizes.append(len(user))
        if system.startswith(TAG_EXTRACT):
            tools = re.search(r"Tools called in this run: (.*)", user).group(1).split(", ")
            ok = "Outcome: SUCCESS" in user
            return json.dumps({"lessons": [
                {"tier": "atomic", "title": f"Using {t}", "lesson": f"Call {t} with verified ids.", "tools": [t]} for t in tools[:2]
            ] + [{"tier": "strategic", "title": "Confirm before writing" if ok else "Do not act unconfirmed",
                  "lesson": "Look up the user and reservation, confirm, then write.", "tools": []}]})
        if system.startswith(TAG_CONSOLIDATE):
            lessons = _payload(user)
            groups = {}
            for lesson in lessons:
                groups.setdefault(lesson["title"], []).append(lesson)
            return json.dumps({"lessons": [{"tier": g[0]["tier"], "title": t, "lesson": g[0]["lesson"], "tools": g[0]["tools"],
                                            "merged_from": [x["id"] for x in g]} for t, g in groups.items()]})
        if system.startswith(TAG_CONTRADICTIONS):
            return '{"contradictions": []}'
        return '{"description": "Airline customer-service agent lessons (tau-bench airline): look-ups, cancellations, changes. Use for airline reservation tasks.", "overview": "Plans first."}'

    with ScriptedServer(script) as srv, srv.provider(max_retries=0) as llm:
        skill = distill(runs, llm, name="tau-airline-lessons", workers=4, batch_size=10, target=12)
    assert skill.problems == [] and not skill.stats["llm_errors"]
    assert skill.stats["runs_with_lessons"] == 40 and skill.stats["consolidation_levels"] >= 1
    assert max(sizes) < 12_000  # transcripts are clipped
    cited = {r for lesson in skill.lessons for r in lesson.runs}
    assert cited <= {r.trajectory_id for r in runs} and len(cited) == 40
    assert skill.tier("strategic") and skill.tier("atomic")
    assert "tau-bench-airline" in skill.skill_md
    skills_ref = pytest.importorskip("skills_ref")
    assert skills_ref.validate(skill.write(tmp_path)) == []
