"""The performance half of `make gpu-check`: a tiny run of every stage on the GPU (its wall time), the speed
figures of the cpu preset's ViT on each device, ViT-B/16's on the GPU, all printed as one JSON object
(`perf.headline`) and saved to OUT/perf.json.

Each part runs in its own process, one after the other, so the CPU's figures are not measured while a GPU
process competes for the cores. On a machine without a GPU, `--devices cpu --tiny none` runs the CPU half.

    python scripts/gpu_check.py --out runs/gpu_check                       # on a GPU machine (make gpu-check)
    python scripts/gpu_check.py --out /tmp/check --devices cpu --tiny none  # the CPU half, anywhere
"""
import argparse, json, os, subprocess, sys, time
from pathlib import Path
from where_to_edit.perf import headline

BIN = Path(sys.executable).parent          # the virtualenv's console scripts
FIGURES = 'train,bank,fit,edits,eval'      # the figures of the check (wte_perf --only)

def timed_run(args: list, log: Path, env=None) -> tuple:
    "Run a console script; (its stdout, seconds). Its stderr goes to `log`; a failure stops the check."
    t0 = time.perf_counter()
    with open(log, 'w') as err:
        r = subprocess.run([str(BIN/args[0]), *args[1:]], stdout=subprocess.PIPE, stderr=err, text=True,
                           env={**os.environ, **(env or {})})
    if r.returncode: sys.exit(f"gpu_check: {' '.join(args)} failed (status {r.returncode}); see {log}")
    return r.stdout, round(time.perf_counter() - t0, 1)

def perf(out: Path, device: str, model: str = 'cpu') -> tuple:
    "(`wte_perf`'s figures of `model` on `device`, seconds); saved to OUT/perf_<model>_<device>.json."
    stdout, seconds = timed_run(['wte_perf', '--only', FIGURES, '--device', device, '--model', model],
                                out/f'perf_{model}_{device}.log')
    (out/f'perf_{model}_{device}.json').write_text(stdout)
    return json.loads(stdout), seconds

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--out', default='runs/gpu_check', help='folder of the tiny run, the logs and perf.json')
    p.add_argument('--devices', default='cuda,cpu', help='devices of the cpu-scale figures, comma-separated')
    p.add_argument('--tiny', default='cuda', help="device of the tiny run, or 'none'")
    p.add_argument('--vit_b16', default='cuda', help="device of ViT-B/16's figures, or 'none'")
    a = p.parse_args()
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    extra, seconds, by_device, vit_b16 = {}, {}, {}, None
    if a.tiny != 'none':
        _, s = timed_run(['wte_reproduce', '--scale', 'tiny', '--out', str(out/'tiny'), '--device', a.tiny,
                          '--quiet'], out/'tiny.log', {'WTE_RUNS': str(out.resolve())})
        extra['tiny_run'] = {'device': a.tiny, 'wall_s': s}
    for d in a.devices.split(','):
        by_device[d], seconds[f'perf {d}'] = perf(out, d)
    if a.vit_b16 != 'none':
        vit_b16, seconds[f'perf vit_b16 {a.vit_b16}'] = perf(out, a.vit_b16, 'vit_b16')
    res = headline(by_device, vit_b16, **extra, check_seconds=seconds)
    (out/'perf.json').write_text(json.dumps(res, indent=1))
    print(json.dumps(res, indent=1))

if __name__ == '__main__': main()
