"The docs site renders offline, and a browser really displays the world's sample-grid figure."
import shutil, subprocess
import pytest
from conftest import BIN, ROOT

CHROMIUM, DRIVER = shutil.which('chromium'), shutil.which('chromedriver')

@pytest.fixture(scope='module')
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp('docs')/'_site'
    r = subprocess.run([str(BIN/'wte_docs'), '--nbs', str(ROOT/'nbs'), '--out', str(out), '--readme', str(ROOT/'README.md')],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    return out

def test_pages(site):
    names = {p.name for p in site.glob('*.html')}
    assert {'index.html', '00_world.html', '01_vit.html'} <= names
    assert 'nbdev_test' in (site/'index.html').read_text()         # the README is the home page

@pytest.mark.skipif(not (CHROMIUM and DRIVER), reason='needs Debian chromium + chromium-driver (make test installs them)')
def test_world_grid_displayed(site):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in ('--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage',
              '--no-first-run', '--disable-component-update', '--disable-sync', '--window-size=1280,2000'):
        opts.add_argument(a)
    drv = webdriver.Chrome(service=Service(DRIVER), options=opts)
    try:
        drv.get((site/'00_world.html').as_uri())
        # the first figure after the "What the world looks like" heading is the per-class sample grid
        info = drv.execute_script("""
            const h = [...document.querySelectorAll('h2')].find(e => e.textContent.includes('What the world looks like'));
            if (!h) return null;
            const imgs = [...document.querySelectorAll('img')].filter(i => h.compareDocumentPosition(i) & Node.DOCUMENT_POSITION_FOLLOWING);
            if (!imgs.length) return {n: 0};
            const i = imgs[0]; i.scrollIntoView(); const r = i.getBoundingClientRect();
            return {n: imgs.length, complete: i.complete, nw: i.naturalWidth, nh: i.naturalHeight, w: r.width, h: r.height,
                    visible: getComputedStyle(i).visibility !== 'hidden' && getComputedStyle(i).display !== 'none'};""")
    finally:
        drv.quit()
    assert info is not None, 'the world page has no "What the world looks like" section'
    assert info['n'] > 0, 'no figure after the heading: were the notebooks saved with their outputs?'
    assert info['complete'] and info['nw'] > 100 and info['nh'] > 100, info   # decoded, not a broken image
    assert info['visible'] and info['w'] > 100 and info['h'] > 100, info      # laid out on the page
