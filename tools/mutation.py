"""Mutation score of the access-control, guard and chain functions.

    .venv/bin/python tools/mutation.py [--children N]

Runs mutmut (its settings: [tool.mutmut] in pyproject.toml — what is copied, the test
selection) over the functions in SCOPE, in a fresh copy under `mutants/`, then
prints the score: mutants killed (or timed out) over all mutants in scope, leaving
out those that change nothing but the wording of a message. Every mutant not killed
is printed as a diff, each wording one listed apart. Exits 1 below TARGET.

A mutant is wording when its function's syntax tree differs from the original's
only in string constants that are literal text (message_constants) of the first
argument of an error given to the caller (workflow.errors), or of a value (never a
key: keys name fields and are read by clients) of the details dict given as its
second argument. Any other change — a key, a constant compared or looked up (even
inside a message), an argument removed or set to None — counts.
"""
import argparse
import ast
import copy
import difflib
import fnmatch
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 95.0
# mutmut's names: module.x_function__mutmut_N, or module.xǁClassǁmethod__mutmut_N.
SCOPE = {
    "workflow/policy.py": ["*"],  # view and what it shows, may-*, check-*, actions
    # Not describe() (the machine in words) nor _gaps, which runs once, at import, before
    # mutmut switches a mutant on: its mutants cannot be tried (what it builds is tested).
    "workflow/machine.py": ["x__is_author", "x__leads_team", "x__is_head", "x__board_decided",
                            "xǁRuleǁholds", "xǁ_Subjectǁ__init__", "x__guards_hold", "x_fire"],
    "workflow/chain.py": ["*"],
}
ERRORS = {"WorkflowError", "Invalid", "NotFound", "Forbidden", "StateConflict", "Unmet"}
DETECTED = {"killed", "timeout", "caught by type check"}


def patterns():
    """mutmut's glob of mutant names for each function in SCOPE."""
    found = []
    for path, functions in SCOPE.items():
        module = path.removesuffix(".py").replace("/", ".")
        found += [f"{module}.{function}__mutmut_*" for function in functions]
    return found


def run_mutmut(children):
    mutmut = Path(sys.executable).parent / "mutmut"
    return subprocess.run([str(mutmut), "run", "--max-children", str(children), *patterns()], cwd=ROOT).returncode


def results():
    """{mutant name: status} for every mutant in SCOPE."""
    from mutmut.stats import (
        status_by_exit_code,  # reads pyproject.toml from the working directory
    )

    statuses = {}
    for path in SCOPE:
        meta = json.loads((ROOT / "mutants" / (path + ".meta")).read_text("utf-8"))
        statuses.update({name: status_by_exit_code[code] for name, code in meta["exit_code_by_key"].items()
                         if any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns())})
    return statuses


def functions_of(path):
    """{function name as mutmut writes it: its ast node} in the mutated copy of `path`."""
    tree = ast.parse((ROOT / "mutants" / path).read_text("utf-8"))
    nodes = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            nodes[node.name] = node
        elif isinstance(node, ast.ClassDef):  # methods' mutants live in the class body
            nodes.update({item.name: item for item in node.body if isinstance(item, ast.FunctionDef)})
    return nodes


def message_constants(function):
    """ids of the string constants of `function` that are the wording of an error: the
    literal text of its message (first argument) and of the values of its details dict
    (second argument), never a constant used as a key or a lookup inside them."""
    found = set()
    for call in ast.walk(function):
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in ERRORS):
            continue
        positions = call.args[:1]
        if len(call.args) > 1 and isinstance(call.args[1], ast.Dict):
            positions += call.args[1].values
        elif len(call.args) > 1 and isinstance(call.args[1], ast.DictComp):
            positions.append(call.args[1].value)
        for position in positions:
            found |= {id(node) for node in _text_of(position)}
    return found


def _text_of(node):
    """The string constants that are text of the string `node` builds: itself, the
    literal parts of an f-string, both sides of a +, the separator of a join."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node]
    if isinstance(node, ast.JoinedStr):
        return [part for part in node.values if isinstance(part, ast.Constant)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _text_of(node.left) + _text_of(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "join":
        return _text_of(node.func.value)
    return []


def only_wording(original, mutant):
    """True if `mutant` differs from `original`, and only in message string constants."""
    return (_normalised(original, False) != _normalised(mutant, False)
            and _normalised(original, True) == _normalised(mutant, True))


def _normalised(function, blank_wording):
    """The function's syntax tree as text, its name (x_f__mutmut_orig, x_f__mutmut_N)
    left out, and if `blank_wording` every message constant made the same."""
    function = copy.deepcopy(function)
    function.name = "(function)"
    if blank_wording:
        wording = message_constants(function)
        for node in ast.walk(function):
            if id(node) in wording:
                node.value = "(message)"
    return ast.dump(function)


def split_name(mutant):
    """workflow.policy.x_view__mutmut_3 -> ("workflow/policy.py", "x_view")."""
    module, _, function = mutant.rpartition(".")
    return module.replace(".", "/") + ".py", function.rpartition("__mutmut_")[0]


def diff(path, mutant, functions):
    _, base = split_name(mutant)
    number = mutant.rpartition("__mutmut_")[2]
    original = ast.unparse(functions[f"{base}__mutmut_orig"]).splitlines()
    changed = ast.unparse(functions[f"{base}__mutmut_{number}"]).replace(f"__mutmut_{number}", "__mutmut_orig")
    return "\n".join(difflib.unified_diff(original, changed.splitlines(), path, path, n=1, lineterm=""))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, default=1, help="parallel mutmut workers (default 1)")
    options = parser.parse_args()
    os.chdir(ROOT)  # mutmut reads its settings from the working directory
    shutil.rmtree(ROOT / "mutants", ignore_errors=True)  # a copy of the code as it is now, every time
    if run_mutmut(options.children):
        sys.exit("mutmut did not finish: see its output above (the clean test run must pass first)")
    statuses = results()
    trees = {path: functions_of(path) for path in SCOPE}
    wording, survivors = [], []
    for mutant, status in sorted(statuses.items()):
        path, base = split_name(mutant)
        functions = trees[path]
        mutated = functions[f"{base}__mutmut_{mutant.rpartition('__mutmut_')[2]}"]
        if only_wording(functions[f"{base}__mutmut_orig"], mutated):
            wording.append((mutant, status, path))
        elif status not in DETECTED:
            survivors.append((mutant, status, path))
    counted = len(statuses) - len(wording)
    killed = counted - len(survivors)
    print(f"\nWording only, left out of the score ({len(wording)}):")
    for mutant, status, path in wording:
        added = [line[1:].strip() for line in diff(path, mutant, trees[path]).splitlines()
                 if line.startswith("+") and not line.startswith("+++")]
        print(f"  {mutant} ({status}): {' / '.join(added)}")
    print(f"\nNot killed ({len(survivors)}):")
    for mutant, status, path in survivors:
        print(f"\n{mutant}: {status}\n{diff(path, mutant, trees[path])}")
    score = 100.0 * killed / counted if counted else 0.0
    print(f"\nMutation score: {killed} of {counted} killed = {score:.1f}% "
          f"({len(statuses)} mutants in scope, {len(wording)} wording only; target {TARGET:.0f}%)")
    return 0 if score >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
