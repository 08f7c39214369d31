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

@pytest.mark.parametrize('name', list(MODULES))
def test_small(name):
    "One concept per module: at most MAX_MODULE lines, each function at most MAX_FUNCTION."
    text = MODULES[name].read_text()
    assert len(text.splitlines()) <= MAX_MODULE, f"{name}.py: {len(text.splitlines())} lines"
    long = [(n.name, n.end_lineno - n.lineno + 1) for n in ast.walk(ast.parse(text))
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.end_lineno - n.lineno + 1 > MAX_FUNCTION]
    assert not long, f"{name}.py: functions over {MAX_FUNCTION} lines: {long}"
