"""The committed evidence is whole and the documents agree with it: `results/cpu/` holds the cpu run's `summary.json`
(every method with its calibrated rate, the calls that made it with their measured wall time and memory) and every
marked table in the README and the docs' home page equals the table `wte_results` generates from it."""
import re
import pytest
from where_to_edit.artifacts import load_json
from where_to_edit.results import sync_readme, tables
from conftest import ROOT

RESULTS = ROOT/'results'/'cpu'
DOCS = [ROOT/'README.md', ROOT/'nbs'/'index.ipynb']

@pytest.fixture(scope='module')
def summary(): return load_json(RESULTS/'summary.json')

def test_summary_is_whole(summary):
    assert summary['scale'] == 'cpu' and summary['methods'] and summary['comparison']['methods']
    rates, unreliable = summary['protocol']['rates'], set(summary['protocol']['unreliable'])
    for table in (summary['methods'], summary['comparison']['methods']):
        for m, rows in table.items():      # every setting at its calibrated rate, or marked
            for r in rows:
                key = f"{m}@{r['setting']}"
                assert key in rates and r['reliable'] == (key not in unreliable), (key, r)
    calls = summary['calls']
    assert calls and calls[-1]['finished']
    for c in calls:                        # measured by the code, not typed
        assert c['wall_s'] > 0 and c['peak_rss_mib'] > 0 and re.fullmatch(r'[0-9a-f]{7,40}', c['commit'])

@pytest.mark.parametrize('doc', DOCS, ids=lambda p: p.name)
def test_documents_agree_with_the_results(doc):
    assert sync_readme(doc, ROOT, check=True) == [], f"{doc.name}: run wte_results --docs {doc.relative_to(ROOT)}"

def test_the_readme_shows_every_table():
    marked = set(re.findall(r'<!-- results:results/cpu:(\w+) -->', (ROOT/'README.md').read_text()))
    assert marked == set(tables(RESULTS)), set(tables(RESULTS)) ^ marked
