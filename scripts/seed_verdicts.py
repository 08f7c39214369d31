"""The verdicts that rest on the seeds' core sweeps alone (claim 1 among the core methods, claim 3, claim 5), over the
seeds whose runs and core sweeps are on disk, computed as `make_figures` computes them (seeds sharing seed 0's
benchmark pooled with each group as one cluster). `wte_figures` needs seed 0's whole comparison first; this reads
what `seed_run` and `core_results` left (`<run>/seed<k>/figures_data/core.jsonl`) and prints, without writing.

    python scripts/seed_verdicts.py --out runs/cpu --scale cpu --seeds 0,1,2
"""
import argparse, json
from where_to_edit.artifacts import load_json, read_jsonl
from where_to_edit.claims import claim_front, claim_localisation, claim_specificity, pooled
from where_to_edit.reliability import unreliable
from where_to_edit.figures import mask_iou, seed_run
from where_to_edit.runs import seed_dir

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--out', default='runs/cpu', help="seed 0's run directory")
    p.add_argument('--scale', default='cpu'); p.add_argument('--seeds', default='0,1,2')
    a = p.parse_args()
    seeds = [int(s) for s in a.seeds.split(',')]
    recs, bad, ious, shared = [], set(), [], []
    for s in seeds:
        d = seed_dir(a.out, s)
        core = d/'figures_data'/'core.jsonl'
        if not core.exists(): raise SystemExit(f"{core}: missing; make seed {s}'s core sweep first (core_results)")
        recs.append([r for r in read_jsonl(core) if 'editor' in r])
        bad |= unreliable(d/'reliable_lrs.json')
        ious.append(mask_iou(seed_run(a.out, a.scale, s, progress=False)))
        shared.append(load_json(d/'world.json')['seed'] == 0)
    pool = pooled(recs, shared=all(shared))
    print(f"seeds {seeds}: {[len(r) for r in recs]} core records; one benchmark: {all(shared)}; "
          f"short of the calibration target: {sorted(bad) or 'none'}")
    for s, i in zip(seeds, ious):
        print(f"seed {s}, mask IoU within / across: " + '; '.join(
            f"{n} {i[n]['within']:.3f} / {i[n]['across']:.3f}" for n in ('hypernetwork', 'random init')))
    c1 = claim_front(pool, bad)
    print('claim 1 (core methods):', json.dumps({k: c1[k] for k in ('beyond HPRD', 'HPRD beyond', 'undecided', 'verdict')}))
    print('claim 3:', json.dumps(claim_localisation(pool, bad)))
    print('claim 5:', json.dumps(claim_specificity(ious)))

if __name__ == '__main__': main()
