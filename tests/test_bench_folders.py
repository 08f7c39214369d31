"wte_bench on the real path: a timm ViT with local weights on published-layout folders, bad files skipped and listed."
import json, subprocess
import numpy as np, timm, torch
from PIL import Image
from safetensors.torch import save_file
from conftest import BIN

def test_wte_bench_on_folders(tmp_path):
    torch.manual_seed(0)
    m = timm.create_model('vit_tiny_patch16_224', pretrained=False)
    save_file(m.state_dict(), str(tmp_path/'w.safetensors'))
    rng = np.random.default_rng(0)
    for d, n in (('natural/3_a-b', 3), ('natural/7_c-d', 2), ('oil/1_cat', 2), ('loc', 4)):
        (tmp_path/d).mkdir(parents=True)
        for i in range(n): Image.fromarray(rng.integers(0, 255, (64, 64, 3), dtype=np.uint8)).save(tmp_path/d/f'{i}.png')
    (tmp_path/'natural/3_a-b/broken.jpg').write_bytes(b'')
    args = [str(BIN/'wte_bench'), '--model', 'vit_tiny_patch16_224', '--weights', str(tmp_path/'w.safetensors'),
            '--natural', str(tmp_path/'natural'), '--locality', str(tmp_path/'loc'), '--styles', str(tmp_path/'oil'),
            '--methods', 'FT,Random', '--max_edits', '1', '--scale', 'tiny', '--results', str(tmp_path/'r.jsonl'), '--quiet']
    r = subprocess.run(args, capture_output=True, text=True, timeout=900)
    assert r.returncode != 0 and 'broken.jpg: empty file (0 bytes)' in r.stderr          # a bad file stops the run...
    r = subprocess.run(args + ['--skip_bad'], capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr[-3000:]
    out = json.loads(r.stdout)
    assert set(out['methods']) == {'FT', 'Random'} and len(out['skipped']) == 1          # ...or is skipped and listed
    head = json.loads((tmp_path/'r.jsonl').read_text().splitlines()[0])['header']
    assert 'broken.jpg' in head['skipped'][0]
