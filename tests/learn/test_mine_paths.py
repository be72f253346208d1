"""Path parameters: `cd(folder=$d); tool(file_name=$f)` takes one path `d/f` (join / dirname / basename)."""

from skillbank.learn.emit import describe, script_source
from skillbank.learn.mine import Call, Template, Trace, cost, match_at, mine, register_path_rule

register_path_rule("cd", "folder", ("file_name", "dir_name", "source", "file_name1", "destination", "file_name2"))


def _trace(i, folder, name, content="x"):
    turn = [
        Call("cd", {"folder": folder}, '{"current_working_directory": "%s"}' % folder),
        Call("touch", {"file_name": name}, "None"),
        Call("echo", {"content": content, "file_name": name}, "None"),
    ]
    return Trace(f"r{i}", f"t{i}", [turn])


def _skill(cands, names):
    return next(t for t in cands if [s.name for s in t.steps] == names and all(s.kind != "const" for st in t.steps for _, s in st.args))


def test_navigation_and_file_parameters_fold_into_one_path():
    traces = [_trace(0, "docs", "a.txt"), _trace(1, "work", "b.md"), _trace(2, "tmp", "c.csv")]
    t = _skill(mine(traces), ["cd", "touch"])
    assert t.params == ("path",) and t.p == 1 and t.is_skill() and t.saving == 1
    kinds = [s.kind for st in t.steps for _, s in st.args]
    assert kinds == ["part", "part"]
    assert match_at(t, traces[1].turns[0], 0) == {"path": "work/b.md"}
    assert "folder=$path[0]" in describe(t) and "file_name=$path[1]" in describe(t)
    # the script turns the path back into the calls
    made = []
    ns: dict = {}
    exec(script_source(t, "touch-at"), ns)
    ns["run"](lambda tool, **args: made.append((tool, args)), path="notes/n.txt")
    assert made == [("cd", {"folder": "notes"}), ("touch", {"file_name": "n.txt"})]
    assert cost(traces, [t]).cost_after == 3 * 2  # (cd, touch) -> 1 decision, echo stays


def test_shared_file_parameter_is_part_of_the_path_and_content_stays_free():
    traces = [_trace(0, "docs", "a.txt", "hi"), _trace(1, "work", "b.md", "yo"), _trace(2, "tmp", "c.csv", "ok")]
    t = _skill(mine(traces), ["cd", "touch", "echo"])
    assert t.p == 2 and set(t.params) == {"path", "content"}
    assert match_at(t, traces[2].turns[0], 0) == {"path": "tmp/c.csv", "content": "ok"}


def test_values_with_a_slash_are_not_folded():
    traces = [_trace(0, "a/b", "a.txt"), _trace(1, "c/d", "b.md"), _trace(2, "e", "c.csv")]
    cands = mine(traces)
    assert not any(s.kind == "part" for t in cands for st in t.steps for _, s in st.args)
    # (cd $folder, touch $file) needs two free values for two calls: not a skill
    assert not any([s.name for s in t.steps] == ["cd", "touch"] and not any(s.kind == "const" for st in t.steps for _, s in st.args) for t in cands)


def test_template_round_trips_through_json():
    traces = [_trace(0, "docs", "a.txt"), _trace(1, "work", "b.md")]
    t = _skill(mine(traces), ["cd", "touch"])
    assert Template.from_json(t.to_json()).signature() == t.signature()
