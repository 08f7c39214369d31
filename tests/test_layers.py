"""The package's layering (DESIGN.md): a module imports only modules of notebooks that sort before its
own, never from inside a function; modules and functions stay small."""
import ast, re
from pathlib import Path
import pytest

PKG = Path(__file__).resolve().parents[1]/'where_to_edit'
MAX_MODULE, MAX_FUNCTION = 400, 60

def notebook_of(path: Path) -> str:
    "The notebook a module is exported from, named in its header."
    m = re.search(r'File to edit: \.\./nbs/(\S+)\.ipynb', path.read_text())
    assert m, f"{path.name}: no 'File to edit' header; is it exported by nbdev?"
    return m.group(1)

MODULES = {p.stem: p for p in sorted(PKG.glob('*.py')) if not p.stem.startswith('_')}

def package_imports(tree: ast.AST):
    "(node, imported module name, inside a function) of every import of the package's own modules."
    funcs = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))]
    inner = {id(x) for f in funcs for x in ast.walk(f)}
    for n in ast.walk(tree):
        if isinstance(n, ast.ImportFrom):
            if n.level == 1 and n.module: mods = [n.module]
            elif n.level == 1: mods = [a.name for a in n.names]
            elif n.module == 'where_to_edit': mods = [a.name for a in n.names]
            elif (n.module or '').startswith('where_to_edit.'): mods = [n.module.split('.')[1]]
            else: continue
        elif isinstance(n, ast.Import):
            mods = [a.name.split('.')[1] for a in n.names if a.name.startswith('where_to_edit.')]
        else: continue
        for m in mods:
            if m in MODULES: yield n, m, id(n) in inner

@pytest.mark.parametrize('name', list(MODULES))
def test_imports_go_down(name):
    "Every import of the package's modules names a module whose notebook sorts before this one's."
    path, mine = MODULES[name], notebook_of(MODULES[name])
    for node, m, inner in package_imports(ast.parse(path.read_text())):
        assert not inner, f"{name}.py:{node.lineno} imports {m} inside a function"
        assert notebook_of(MODULES[m]) < mine, \
            f"{name}.py:{node.lineno} imports {m} ({notebook_of(MODULES[m])}) from above ({mine})"

def test_detects_upward_import(tmp_path):
    "The check itself fails on an upward import and on an import inside a function."
    up = ast.parse("from .cli import wte_bench\ndef f():\n    from where_to_edit.core import Config\n")
    found = [(m, inner) for _, m, inner in package_imports(up)]
    assert found == [('cli', False), ('core', True)]

def signature_lines(tree: ast.AST) -> int:
    "Lines taken by the signatures of every function: one line per parameter with its docment is documentation."
    return sum(n.body[0].lineno - n.lineno - 1 for n in ast.walk(tree)
               if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.body[0].lineno > n.lineno + 1)

def body_length(f) -> int:
    "A function's length from its first statement (docstring included) to its end, its signature left out."
    return f.end_lineno - f.body[0].lineno + 1

def test_signatures_not_counted():
    "A signature spread over one line per parameter counts as one line; a body counts in full."
    tree = ast.parse("def f(a, # the a\n      b, # the b\n      ):\n    'doc'\n    return a + b\n")
    assert signature_lines(tree) == 2 and body_length(tree.body[0]) == 2

@pytest.mark.parametrize('name', list(MODULES))
def test_small(name):
    """One concept per module: at most MAX_MODULE lines, each function body at most MAX_FUNCTION; the lines
    of signatures beyond their first do not count, so describing every parameter never forces a split."""
    text = MODULES[name].read_text()
    tree = ast.parse(text)
    lines = len(text.splitlines()) - signature_lines(tree)
    assert lines <= MAX_MODULE, f"{name}.py: {lines} lines besides signatures"
    long = [(n.name, body_length(n)) for n in ast.walk(tree)
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and body_length(n) > MAX_FUNCTION]
    assert not long, f"{name}.py: function bodies over {MAX_FUNCTION} lines: {long}"
