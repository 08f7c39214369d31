"The docs site renders offline, and a browser really displays the world's sample-grid figure."
import subprocess
import pytest
from conftest import BIN, CHROMIUM, DRIVER, ROOT, chromium

@pytest.fixture(scope='module')
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp('docs')/'_site'
    r = subprocess.run([str(BIN/'wte_docs'), '--nbs', str(ROOT/'nbs'), '--out', str(out), '--readme', str(ROOT/'README.md')],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    return out

def test_pages(site):
    names = {p.name for p in site.glob('*.html')}
    assert {'index.html', '00c_world.html', '01_vit.html'} <= names
    assert 'nbdev_test' in (site/'index.html').read_text()         # the README is the home page

needs_chromium = pytest.mark.skipif(not (CHROMIUM and DRIVER),
                                    reason='needs Debian chromium + chromium-driver (make test installs them)')

@pytest.fixture(scope='module')
def browser():
    drv = chromium()
    yield drv
    drv.quit()

@needs_chromium
def test_world_grid_displayed(site, browser):
    drv = browser
    drv.get((site/'00c_world.html').as_uri())
    # the first figure after the "What the world looks like" heading is the per-class sample grid
    info = drv.execute_script("""
        const h = [...document.querySelectorAll('h2')].find(e => e.textContent.includes('What the world looks like'));
        if (!h) return null;
        const imgs = [...document.querySelectorAll('img')].filter(i => h.compareDocumentPosition(i) & Node.DOCUMENT_POSITION_FOLLOWING);
        if (!imgs.length) return {n: 0};
        const i = imgs[0]; i.scrollIntoView(); const r = i.getBoundingClientRect();
        return {n: imgs.length, complete: i.complete, nw: i.naturalWidth, nh: i.naturalHeight, w: r.width, h: r.height,
                visible: getComputedStyle(i).visibility !== 'hidden' && getComputedStyle(i).display !== 'none'};""")
    assert info is not None, 'the world page has no "What the world looks like" section'
    assert info['n'] > 0, 'no figure after the heading: were the notebooks saved with their outputs?'
    assert info['complete'] and info['nw'] > 100 and info['nh'] > 100, info   # decoded, not a broken image
    assert info['visible'] and info['w'] > 100 and info['h'] > 100, info      # laid out on the page

@needs_chromium
def test_figures_page(site, browser):
    "Every figure of the figures page is decoded and laid out under its paper number, after the verdict table."
    browser.get((site/'11_gallery.html').as_uri())
    info = browser.execute_script("""
        const imgs = [...document.querySelectorAll('.wte-main img')];
        const heads = [...document.querySelectorAll('.wte-main h3')].filter(h => h.textContent.startsWith('Fig.'));
        const tables = [...document.querySelectorAll('.wte-main table')].map(t => t.textContent);
        const bad = imgs.filter(i => { i.scrollIntoView(); const r = i.getBoundingClientRect();
            return !(i.complete && i.naturalWidth > 0 && i.naturalHeight > 0 && r.width > 0 && r.height > 0); });
        return {imgs: imgs.length, heads: heads.map(h => h.textContent), bad: bad.length,
                verdicts: tables.some(t => t.includes('verdict') && t.includes('claim'))};""")
    assert info['heads'], 'the figures page shows no figure: was 11_gallery saved with its outputs?'
    assert info['verdicts'], 'the figures page has no verdict table'
    assert info['imgs'] >= len(info['heads']), info             # an image for every figure heading
    assert info['bad'] == 0, f"{info['bad']} of {info['imgs']} figures not decoded or not laid out"

@needs_chromium
def test_no_code_clipped(site, browser):
    "No line of code runs past the page's edge (it wraps) on any page."
    clipped = {}
    for page in sorted(site.glob('*.html')):
        browser.get(page.as_uri())
        n = browser.execute_script(
            "return [...document.querySelectorAll('.wte-main pre')].filter(p => p.scrollWidth > p.clientWidth + 1).length")
        if n: clipped[page.name] = n
    assert not clipped, f"code blocks wider than the page: {clipped}"

def test_cards_link_their_source(site):
    "Every card's source link names a file of the repository and the line of its definition; no Quarto residue."
    import re
    cards = 0
    for page in sorted(site.glob('*.html')):
        text = page.read_text()
        assert not re.search(r'href="[^"]*#LNone"', text) and '</a>{target=' not in text, page.name
        for rel, line, name in re.findall(r'<a class="wte-src" href="[^"]*?/blob/[^/]+/([^"#]+)#L(\d+)"[^>]*>source</a>'
                                          r'.*?<h3 id="([^"]+)"', text, re.S):
            src = (ROOT/rel).read_text().splitlines()[int(line) - 1]
            assert re.match(rf'\s*(@\w+\s*)?(async )?(def|class) {re.escape(name.split(".")[-1])}\b', src), \
                (page.name, name, rel, line, src)
            cards += 1
    assert cards > 300, cards                      # every public definition of the package has its card

def test_cross_links_and_contents_resolve(site):
    "Every link between pages (cards, sidebar contents) lands on a page and an anchor that exist."
    import re
    ids = {p.name: set(re.findall(r'\bid="([^"]+)"', p.read_text())) for p in site.glob('*.html')}
    bad, n = [], 0
    for page in sorted(site.glob('*.html')):
        for cls, href in re.findall(r'<a class="(wte-xref|h[23])" href="([^"]+)"', page.read_text()):
            target, _, anchor = href.partition('#')
            target = target or page.name
            n += 1
            if target not in ids or anchor not in ids[target]: bad.append((page.name, cls, href))
    assert n > 100 and not bad, (n, bad[:10])

def test_sizes(site):
    "No page over 1.5 MB, the whole site under 9 MB, one shared stylesheet, no execution prompts."
    sizes = {p.name: p.stat().st_size for p in site.iterdir()}
    assert max(sizes.values()) < 1.5e6 and sum(sizes.values()) < 9e6, sorted(sizes.items(), key=lambda kv: -kv[1])[:3]
    for page in site.glob('*.html'):
        text = page.read_text()
        head = text[:text.find('<body')]
        assert '<style' not in head and 'href="site.css"' in head and 'jp-InputPrompt' not in text, page.name

@needs_chromium
def test_search(site, browser):
    "Typing in the sidebar's search box lists sections of other pages, and a hit opens its section."
    browser.get((site/'index.html').as_uri())
    hits = browser.execute_script("""
        const box = document.getElementById('wte-search');
        box.value = 'hypernetwork'; box.dispatchEvent(new Event('input'));
        return [...document.querySelectorAll('#wte-hits a')].map(a => a.getAttribute('href'));""")
    assert len(hits) >= 3 and any(h.startswith('02_hypernet.html#') for h in hits), hits
    browser.get((site/hits[0].split('#')[0]).as_uri() + '#' + hits[0].split('#')[1])
    assert browser.execute_script(f"return document.getElementById({hits[0].split('#')[1]!r}) !== null")

@needs_chromium
def test_screenshots(site, browser):
    "Three pages as a reader sees them, kept under tests/_screens/ (git-ignored) for a look after a run."
    out = ROOT/'tests'/'_screens'
    out.mkdir(exist_ok=True)
    for page in ('index.html', '05_edit.html', '11_gallery.html'):
        browser.get((site/page).as_uri())
        assert browser.save_screenshot(str(out/page.replace('.html', '.png')))
        assert (out/page.replace('.html', '.png')).stat().st_size > 10_000   # a rendered page, not a blank one
