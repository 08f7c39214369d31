"""Every command the README shows works: each console-script line parses with that script's own argument parser, each
script answers --help, each make target exists; the embedded-run commands also run at the tiny scale (test_cli)."""
import re, shlex, subprocess, importlib, configparser
import pytest
from fastcore.script import anno_parser
from conftest import BIN, ROOT

def scripts() -> dict:
    "Console script name -> 'module:function', from settings.ini."
    cfg = configparser.ConfigParser(); cfg.read(ROOT/'settings.ini')
    return dict(l.strip().split('=') for l in cfg['DEFAULT']['console_scripts'].strip().splitlines())

def readme_commands(path=ROOT/'README.md') -> list:
    "(script, args) of every command line in the README's bash blocks; `make` lines as ('make', [target])."
    out = []
    for block in re.findall(r'```bash\n(.*?)```', path.read_text(), re.S):
        for line in re.sub(r'\\\n\s*', ' ', block).splitlines():
            words = shlex.split(line.split(' #')[0].replace('[', '').replace(']', ''), comments=True)
            if not words: continue
            name = words[0].rsplit('/', 1)[-1]
            if name == 'torchrun':                      # torchrun ... --no-python .venv/bin/wte_meta ARGS
                words = words[words.index('--no-python') + 1:]; name = words[0].rsplit('/', 1)[-1]
            if name.startswith('wte_') or name == 'make': out.append((name, words[1:]))
    return out

def parser(name):
    mod, fn = scripts()[name].split(':')
    return anno_parser(getattr(importlib.import_module(mod), fn).__wrapped__)

COMMANDS = readme_commands()

def test_found_them():
    assert {n for n, _ in COMMANDS} >= {'wte_reproduce', 'wte_bench', 'wte_perf', 'wte_meta', 'wte_docs', 'wte_figures', 'make'}

@pytest.mark.parametrize('name,args', [c for c in COMMANDS if c[0] != 'make'], ids=lambda c: ' '.join(c) if isinstance(c, list) else c)
def test_parses(name, args):
    try: parser(name).parse_args(args)
    except SystemExit: pytest.fail(f"README: `{name} {' '.join(args)}` does not parse")

def test_parser_refuses_a_wrong_flag():          # the check above can fail: the README once said --max-edits
    with pytest.raises(SystemExit): parser('wte_bench').parse_args(['--max-edits', '5'])

def test_make_targets():
    targets = set(re.findall(r'^([a-z-]+):', (ROOT/'Makefile').read_text(), re.M))
    for name, args in COMMANDS:
        if name == 'make': assert args[0] in targets, f"README: make {args[0]}: no such target"

HELP_ALL = """
import contextlib, importlib, io, json, sys
out = {}
for name, target in json.loads(sys.argv[1]).items():
    mod, fn = target.split(':')
    buf, sys.argv = io.StringIO(), [name, '--help']
    with contextlib.redirect_stdout(buf):
        try: getattr(importlib.import_module(mod), fn)(); code = None
        except SystemExit as e: code = e.code
    out[name] = [code, buf.getvalue()]
print(json.dumps(out))
"""

def test_help(tmp_path):
    """Every console script answers --help: the first as the installed script, the others by calling each script's
    function from a script file, as its console script does, all in one process (each process start imports the
    whole package). From `python -c` fastcore's call_parse would not parse the arguments: it would run the command."""
    import json, sys
    names = sorted(scripts())
    r = subprocess.run([str(BIN/names[0]), '--help'], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0 and '--debug' in r.stdout, r.stderr[-2000:]
    assert all((BIN/n).exists() for n in names), [n for n in names if not (BIN/n).exists()]
    (tmp_path/'help_all.py').write_text(HELP_ALL)
    r = subprocess.run([sys.executable, str(tmp_path/'help_all.py'), json.dumps(scripts())], capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    helps = json.loads(r.stdout)
    assert sorted(helps) == names
    for name, (code, text) in helps.items(): assert code in (0, None) and '--debug' in text, (name, code, text[-500:])

def test_readme_is_the_home_page():
    "README.md is written from nbs/index.ipynb (nbdev's readme_nb): edit the notebook, then run wte_docs."
    import nbformat
    from where_to_edit.docs import readme_text
    want = readme_text(nbformat.read(ROOT/'nbs'/'index.ipynb', as_version=4))
    assert (ROOT/'README.md').read_text() == want, 'README.md differs from nbs/index.ipynb: edit the notebook and run wte_docs'

def test_python_examples_run(tiny_run):
    "Every python block of the README runs on a whole tiny run (its 'runs/cpu' pointed there) and prints."
    import contextlib, io
    blocks = re.findall(r'```python\n(.*?)```', (ROOT/'README.md').read_text(), re.S)
    assert blocks
    for code in blocks:
        out = io.StringIO()
        with contextlib.redirect_stdout(out): exec(code.replace("'runs/cpu'", repr(str(tiny_run))), {})
        assert out.getvalue().strip(), code
        if 'corrected:' in code: assert re.fullmatch(r'corrected: (True|False) \| rest of the group right: [0-9.]+\n',
                                                     out.getvalue()), out.getvalue()
