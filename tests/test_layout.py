"""The architecture as rules on the code: who may import what, one name per module, small modules.

README "Where things live" says the same in words. The rules are read from the source
(the import statements), so a lazy import inside a function counts as much as one at the top.
"""
import ast
import re
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("workflow", "services", "store", "web")
TOP_LEVEL = ("cli.py", "run.py", "wsgi.py")
FLASK = ("flask", "flask_login", "flask_wtf", "werkzeug", "wtforms", "jinja2", "markupsafe")
MAX_LINES = 400

# (code, what it must not import): the layers of README's "Where things live".
FORBIDDEN = {
    "workflow": ("store", "services", "web", *FLASK),
    "services": ("web", *FLASK),
    "store": ("workflow", "services", "web", *FLASK),
    "web": ("store",),
    "top level": ("store",),
}


def modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            yield package, path
    for name in TOP_LEVEL:
        yield "top level", ROOT / name


def imported(path):
    """Every top-level package name `path` imports (relative imports stay in their package)."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module.split(".")[0]


def test_each_layer_imports_only_what_it_may():
    broken = [f"{path.relative_to(ROOT)} imports {name}" for layer, path in modules()
              for name in set(imported(path)) if name in FORBIDDEN[layer]]
    assert not broken, broken


def test_the_rule_sees_a_forbidden_import(tmp_path):
    """The check reads imports wherever they are written, lazy ones included."""
    sample = tmp_path / "view.py"
    sample.write_text("def f():\n    from store.base import Put\n    import flask.json\n")
    assert set(imported(sample)) == {"store", "flask"}


def test_no_two_modules_share_a_name():
    names = Counter(path.stem for _, path in modules() if path.stem != "__init__")
    assert not [name for name, count in names.items() if count > 1]


@pytest.mark.parametrize("layer, path", list(modules()), ids=lambda v: str(v.relative_to(ROOT)) if isinstance(v, Path) else v)
def test_a_module_over_400_lines_says_why(layer, path):
    lines = len(path.read_text().splitlines())
    if lines > MAX_LINES:
        docstring = ast.get_docstring(ast.parse(path.read_text())) or ""
        assert f"over {MAX_LINES} lines" in docstring.lower(), f"{lines} lines and no reason in the docstring"


@pytest.mark.parametrize("doc", ["README.md", "SECURITY.md"])
def test_the_docs_name_only_files_that_exist(doc):
    named = set(re.findall(r"`((?:[a-z_]+/)+[a-z_]+\.(?:py|md|html|toml))`", (ROOT / doc).read_text()))
    assert named, "the check reads the docs' file names"
    assert sorted(path for path in named if not (ROOT / path).exists() and not (ROOT / "tests" / path).exists()) == []


def test_only_the_store_package_reads_its_own_modules():
    """Outside store/ the store is its package's interface (store/__init__.py), never a module inside it."""
    reaching = [f"{path.relative_to(ROOT)}: {node.module}" for layer, path in modules() if layer != "store"
                for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.ImportFrom)
                and node.level == 0 and (node.module or "").startswith("store.")]
    assert not reaching, reaching
