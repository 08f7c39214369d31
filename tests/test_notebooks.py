"""The notebooks read as nbdev intends: a title and a one-sentence summary (the module docstring), one definition
per exported cell, each public definition shown (`show_doc`) and used in the cells right after; outputs sized
for a web page."""
import ast, base64, json, re
from pathlib import Path
import pytest

NBS = Path(__file__).resolve().parents[1]/'nbs'
PKG = Path(__file__).resolve().parents[1]/'where_to_edit'
NOTEBOOKS = sorted(p for p in NBS.glob('[0-9]*.ipynb'))
MAX_PNG, MAX_NBS = 200_000, 7_000_000   # every output saved (test_outputs.py): about 6 MB in all
DIRECTIVE = re.compile(r'^\s*#\s*\|\s*(\S+)(.*)$', re.M)

def cells(nb: Path) -> list:
    "(kind, source, outputs) of every cell."
    return [(c['cell_type'], ''.join(c['source']), c.get('outputs', [])) for c in json.loads(nb.read_text())['cells']]

def is_patch(d) -> bool: return getattr(d, 'id', None) == 'patch' or getattr(getattr(d, 'func', None), 'id', None) == 'patch'

def exported(src: str) -> bool: return any(d == 'export' for d, _ in DIRECTIVE.findall(src))

def usage(nb: Path) -> tuple:
    """(public definitions, those used in the cells between their show_doc and the next exported cell) of a
    notebook. Constants and `__all__` are left out: a definition here is a function or class."""
    cs, public, used = cells(nb), [], []
    for i, (kind, src, _) in enumerate(cs):
        if kind != 'code' or not exported(src): continue
        try: tree = ast.parse(DIRECTIVE.sub('', src))
        except SyntaxError: continue
        names = [n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))
                 and not n.name.startswith('_') and not any(is_patch(d) for d in n.decorator_list)]
        for name in names:
            public.append(name)
            after = []
            for kind2, src2, _ in cs[i + 1:]:
                if kind2 == 'code' and exported(src2): break
                if kind2 == 'code': after.append(src2)
            rest = [s for s in after if not re.fullmatch(r'\s*show_doc\([^)]*\)\s*', s)]
            if any(re.search(rf'\b{re.escape(name)}\b', s) for s in rest): used.append(name)
    return public, used

@pytest.mark.parametrize('nb', NOTEBOOKS, ids=lambda p: p.stem)
def test_opening(nb):
    "A title, a one-line summary that is a full sentence, and the default_exp cell."
    (k0, title, _), (k1, dexp, _) = cells(nb)[:2]
    assert k0 == 'markdown' and title.startswith('# '), f"{nb.name}: no title cell"
    summary = [l for l in title.splitlines() if l.startswith('>')]
    assert len(summary) == 1 and summary[0].rstrip().endswith('.'), f"{nb.name}: the summary must be one line, a sentence"
    if 'default_exp' in ''.join(s for _, s, _ in cells(nb)):
        assert 'default_exp' in dexp, f"{nb.name}: default_exp is not the second cell"

@pytest.mark.parametrize('nb', NOTEBOOKS, ids=lambda p: p.stem)
def test_one_definition_per_cell(nb):
    "An exported cell holds one definition (or constants only), never imports and code together after the first."
    for kind, src, _ in cells(nb):
        if kind != 'code' or not exported(src): continue
        body = [n for n in ast.parse(DIRECTIVE.sub('', src)).body]
        if all(isinstance(n, (ast.Import, ast.ImportFrom)) for n in body): continue
        defs = [n for n in body if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and not n.name.startswith('_')]
        patched = {n.args.args[0].annotation.id for n in defs if isinstance(n, ast.FunctionDef) and n.args.args
                   and any(is_patch(d) for d in n.decorator_list)
                   and isinstance(n.args.args[0].annotation, ast.Name)}
        plain = [d.name for d in defs if not any(is_patch(x) for x in d.decorator_list)]
        # methods grown onto one class with @patch (apply and revert, say) are one step of one definition
        assert len(plain) + len(patched) <= 1, f"{nb.name}: one cell defines {[d.name for d in defs]}"
        assert not any(isinstance(n, (ast.Import, ast.ImportFrom)) for n in body), \
            f"{nb.name}: imports inside a definition cell: {src[:80]!r}"

def test_definitions_used_after_show_doc():
    "At least 90 % of the public definitions are exercised in the cells right after their definition."
    public, used = [], []
    for nb in NOTEBOOKS:
        p, u = usage(nb)
        public += p; used += u
    unused = sorted(set(public) - set(used))
    assert len(used) >= .9 * len(public), f"{len(used)} of {len(public)} used; not: {unused}"

def test_module_docstrings():
    "Every module's docstring (the notebook's summary) is a full sentence."
    for p in sorted(PKG.glob('[a-z]*.py')):
        doc = ast.get_docstring(ast.parse(p.read_text())) or ''
        assert doc.rstrip().endswith('.') and doc.count('`') % 2 == 0 and doc.count('(') == doc.count(')'), \
            f"{p.name}: docstring {doc!r}"

def test_output_sizes():
    "PNG outputs under 200 KB each, the notebooks under 6 MB together."
    big = []
    for nb in NOTEBOOKS:
        for _, _, outs in cells(nb):
            for o in outs:
                png = o.get('data', {}).get('image/png')
                if png and len(base64.b64decode(''.join(png))) > MAX_PNG: big.append(nb.name)
    assert not big, f"PNG outputs over {MAX_PNG // 1000} KB in {sorted(set(big))}"
    total = sum(p.stat().st_size for p in NBS.glob('*.ipynb'))
    assert total < MAX_NBS, f"nbs/ holds {total / 1e6:.1f} MB"
