"""The saved outputs the docs show: every code cell that displays something has its output saved, no output names
a path of the machine that ran it or holds a warning or error, a table is displayed as a table, not printed as
pipes, and a progress bar shows its last state only."""
import ast, json, re
from pathlib import Path
import pytest

NBS = Path(__file__).resolve().parents[1]/'nbs'
NOTEBOOKS = sorted(NBS.glob('[0-9]*.ipynb'))
DIRECTIVE = re.compile(r'^\s*#\s*\|\s*(\S+)', re.M)
# absolute paths of a build machine: temporary folders, home folders, checkouts (a run folder is shown relative)
MACHINE_PATH = re.compile(r'(?<![\w.])(/tmp/|/var/folders/|/private/var/|/home/\w|/Users/\w|/root/|/work/|/check/|'
                          r'[A-Z]:\\\\?Users)')
PIPE_ROW = re.compile(r'^\s*\|.*\|\s*$')
PIPE_RULE = re.compile(r'^\s*\|(\s*:?-{3,}:?\s*\|)+\s*$')
# cells left out: never run where the docs are made (cuda), not shown (hide), or not run at all (eval: false)
NOT_SHOWN = {'cuda', 'hide', 'eval:'}

def code_cells(nb: Path):
    "(index, source, outputs, flags) of every code cell."
    for i, c in enumerate(json.loads(nb.read_text())['cells']):
        if c['cell_type'] == 'code':
            src = ''.join(c['source'])
            yield i, src, c.get('outputs', []), set(DIRECTIVE.findall(src))

def displays(src: str) -> bool:
    """Whether a cell shows something whenever it runs: it prints, displays, or ends in an expression that is not
    a call (a call may return None). `show_doc` cards are drawn afresh when the site is built."""
    try: body = ast.parse(DIRECTIVE.sub('', src)).body
    except SyntaxError: return False
    calls = [n.func for s in body if isinstance(s, ast.Expr) for n in [s.value] if isinstance(n, ast.Call)]
    named = {f.id if isinstance(f, ast.Name) else getattr(f, 'attr', '') for f in calls}
    if named & {'print', 'display'}: return True
    return bool(body) and isinstance(body[-1], ast.Expr) and not isinstance(body[-1].value, (ast.Call, ast.Await))

def texts(outputs: list):
    "The text of every output: streams, plain, markdown and HTML results, tracebacks."
    for o in outputs:
        if o.get('output_type') == 'stream': yield 'stream', ''.join(o.get('text', ''))
        elif o.get('output_type') == 'error': yield 'error', '\n'.join(o.get('traceback', []))
        for k in ('text/plain', 'text/markdown', 'text/html'):
            if k in o.get('data', {}): yield k, ''.join(o['data'][k])

def printed_table(text: str) -> bool:
    "Whether a printed text holds a markdown pipe table (a header row followed by its rule)."
    lines = text.splitlines()
    return any(PIPE_ROW.match(a) and PIPE_RULE.match(b) for a, b in zip(lines, lines[1:]))

def problems(nb: Path) -> list:
    "Every problem of a notebook's saved outputs, each naming the cell."
    found = []
    for i, src, outs, flags in code_cells(nb):
        where = f"{nb.name} cell {i}"
        if flags & NOT_SHOWN: continue
        if displays(src) and not outs: found.append(f"{where}: shows something but has no saved output")
        for kind, text in texts(outs):
            if kind == 'error': found.append(f"{where}: a saved error")
            if m := MACHINE_PATH.search(text): found.append(f"{where}: a machine path ({text[m.start():m.start() + 40]!r})")
            if kind == 'stream' and printed_table(text):
                found.append(f"{where}: a table printed as pipes; display it as Markdown")
            if kind == 'stream' and '\r' in text.rstrip('\n').replace('\r\n', '\n'):
                found.append(f"{where}: a progress bar saved with every state it drew")
            if kind == 'stream' and 'Warning' in text and re.search(r'\w+Warning:', text):
                found.append(f"{where}: a warning in the output")
    return found

@pytest.mark.parametrize('nb', NOTEBOOKS, ids=lambda p: p.stem)
def test_outputs_saved_and_clean(nb):
    assert not problems(nb), '\n'.join(problems(nb))

def test_the_checks_fail(tmp_path):
    "Each check finds what it looks for in a notebook made to have it."
    cells = [('print(1)', []), ('x', []),                                       # outputs missing
             ('print(p)', [{'output_type': 'stream', 'name': 'stdout', 'text': '/tmp/pytest-1/run\n'}]),
             ('print(t)', [{'output_type': 'stream', 'name': 'stdout', 'text': '| a | b |\n|---|---|\n| 1 | 2 |\n'}]),
             ('tqdm(x)', [{'output_type': 'stream', 'name': 'stderr', 'text': '\r 0%|  |\r100%|##|\n'}]),
             ('#| cuda\nprint(1)', []), ('y = 1', []), ('f(x)', [])]             # fine: skipped, silent, a call
    nb = {'cells': [{'cell_type': 'code', 'source': s, 'outputs': o, 'metadata': {}} for s, o in cells],
          'metadata': {}, 'nbformat': 4, 'nbformat_minor': 5}
    (tmp_path/'01_x.ipynb').write_text(json.dumps(nb))
    found = problems(tmp_path/'01_x.ipynb')
    assert [f.split(':')[0] for f in found] == [f'01_x.ipynb cell {i}' for i in (0, 1, 2, 3, 4)], found
    assert 'machine path' in found[2] and 'printed as pipes' in found[3] and 'every state' in found[4]
