"""The editor widget in a real JupyterLab: a headless server on localhost, the notebook opened and run in headless
Chromium, Edit clicked, the rendered result read back from the page."""
import json, os, signal, socket, subprocess, time, urllib.request
from pathlib import Path
import pytest
from conftest import BIN, CHROMIUM, DRIVER, chromium

pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER),
                                reason='needs Debian chromium + chromium-driver (make test installs them)')
DEADLINE = 240          # seconds for the whole test: server, kernel, page, run, click

def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def notebook(run_dir: Path) -> dict:
    "A notebook of three cells that opens the editor on `run_dir`."
    src = ["import torch; torch.set_num_threads(1)",
           "from where_to_edit.runs import load_run\nfrom where_to_edit.widget import EditSession, EditorWidget",
           f"w = EditorWidget(EditSession(load_run({str(run_dir)!r})))\nw"]
    cells = [{'cell_type': 'code', 'execution_count': None, 'id': f'c{i}', 'metadata': {}, 'outputs': [],
              'source': s} for i, s in enumerate(src)]
    return {'cells': cells, 'nbformat': 4, 'nbformat_minor': 5,
            'metadata': {'kernelspec': {'display_name': 'Python 3', 'language': 'python', 'name': 'python3'}}}

def until(what: str, check, end: float, every: float = .5):
    "Poll `check()` until it returns something truthy; fail naming `what` at the deadline `end`."
    while time.monotonic() < end:
        got = check()
        if got: return got
        time.sleep(every)
    pytest.fail(f'timed out waiting for {what}')

@pytest.fixture
def lab(tmp_path):
    "A JupyterLab server on localhost in `tmp_path` (its own config and runtime folders); stopped at the end."
    port, token = free_port(), 'wte-test'
    env = {**os.environ, 'JUPYTER_CONFIG_DIR': str(tmp_path/'cfg'), 'JUPYTER_RUNTIME_DIR': str(tmp_path/'rt'),
           'OMP_NUM_THREADS': '1', 'WTE_DEVICE': 'cpu'}
    log = open(tmp_path/'lab.log', 'w')
    proc = subprocess.Popen([str(BIN/'jupyter'), 'lab', '--no-browser', f'--port={port}', '--ip=127.0.0.1',
                             f'--IdentityProvider.token={token}', '--allow-root', f'--ServerApp.root_dir={tmp_path}',
                             '--LabApp.expose_app_in_browser=True', '--LabApp.news_url=',
                             '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate'],
                            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f'http://127.0.0.1:{port}'
    def up():
        try: return urllib.request.urlopen(f'{base}/api/status?token={token}', timeout=2).status == 200
        except OSError: return proc.poll() is not None and pytest.fail((tmp_path/'lab.log').read_text()[-3000:])
    try:
        until('the JupyterLab server', up, time.monotonic() + 90)
        yield base, token, tmp_path
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try: proc.wait(20)
            except subprocess.TimeoutExpired: os.killpg(proc.pid, signal.SIGKILL); proc.wait()
        log.close()

@pytest.fixture
def chrome():
    drv = chromium(2400)
    yield drv
    drv.quit()

def test_edit_in_jupyterlab(tiny_run, lab, chrome):
    "Run the editor notebook in JupyterLab, click Edit, and read SR, GR and LR off the rendered widget."
    from selenium.webdriver.common.by import By
    end = time.monotonic() + DEADLINE
    base, token, root = lab
    (root/'editor.ipynb').write_text(json.dumps(notebook(tiny_run)))
    chrome.get(f'{base}/lab/tree/editor.ipynb?token={token}')
    until('the notebook to open', lambda: chrome.execute_script(
        "return !!(window.jupyterapp && document.querySelector('.jp-NotebookPanel .jp-Cell'))"), end)
    until('the kernel', lambda: chrome.execute_script(
        "const w = window.jupyterapp.shell.currentWidget;"
        "return !!(w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel"
        " && w.sessionContext.session.kernel.connectionStatus === 'connected')"), end)
    chrome.execute_script("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    def edit_button():
        errors = chrome.find_elements(By.CSS_SELECTOR, '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
        tb = [e.text for e in errors if 'Error' in e.text]
        if tb: pytest.fail(f'the notebook failed in JupyterLab: {tb[-1][-2000:]}')
        return [b for b in chrome.find_elements(By.CSS_SELECTOR, '.jupyter-widgets button') if b.text == 'Edit']
    button = until('the widget to render its Edit button', edit_button, end)[0]
    button.click()
    result = until('the edit result', lambda: [e for e in chrome.find_elements(
        By.CSS_SELECTOR, '.jupyter-widgets .widget-html-content') if 'SR ' in e.text], end)[0]
    text = result.text
    for what in ('SR ', 'GR ', 'LR ', 'before', 'after', 'steps'): assert what in text, text
    status = until('the status line', lambda: [e.text for e in chrome.find_elements(
        By.CSS_SELECTOR, '.jupyter-widgets .widget-html-content') if 'on trial' in e.text], end)
    assert 'edit(s) kept' in status[0]
    images = chrome.execute_script("return [...document.querySelectorAll('.jupyter-widgets img')]"
                                   ".filter(i => i.complete && i.naturalWidth > 0).length")
    assert images >= 3, images                               # thumbnails, mask preview, the edit's picture
    shot = os.environ.get('WTE_SCREENSHOT')                  # where to keep a picture of the widget, if anywhere
    if shot:
        box = chrome.find_element(By.CSS_SELECTOR, '.jp-OutputArea-output .widget-vbox')
        chrome.execute_script("arguments[0].scrollIntoView()", box)
        box.screenshot(shot)
        from PIL import Image                                # kept small for the docs: 80 %, 96 colours
        im = Image.open(shot).convert('RGB')
        im = im.resize((int(im.width * .8), int(im.height * .8)), Image.LANCZOS)
        im.quantize(colors=96, method=Image.MEDIANCUT).save(shot, optimize=True)
