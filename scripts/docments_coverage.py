"""How many parameters of the package's public functions, classes and methods carry a description (a docment:
the comment after the parameter, or a dataclass field's comment), as fastcore's `docments` reads them for the
docs' cards (`where_to_edit.cards.DocRenderer`: `*args` and `**kwargs` included; class and static methods too).

    python scripts/docments_coverage.py [--top 15] [--modules vit,edit]

Prints the share described, then the definitions with the most parameters left undescribed."""
import argparse, importlib, inspect, pkgutil
from fastcore.docments import docments
import where_to_edit

def own_init(cls) -> bool:
    """Whether `cls` takes parameters of its own: a dataclass, or an `__init__` written in the package (an error
    class that keeps `Exception`'s, or a tensor subclass, has none to describe)."""
    import dataclasses
    init = next((c.__dict__['__init__'] for c in cls.__mro__ if '__init__' in c.__dict__), None)
    return dataclasses.is_dataclass(cls) or getattr(init, '__module__', '').startswith('where_to_edit')

def inherited(cls, p: str):
    "The docment of field `p` where a base class of `cls` defines it (a dataclass field is described once)."
    for base in cls.__mro__[1:]:
        if base is object: continue
        try: doc = docments(base, full=True).get(p, {}).get('docment')
        except Exception: continue
        if doc: return doc
    return None

def coverage() -> tuple:
    "(described, total, {definition: [undescribed parameters]}) over every module's `__all__`."
    described = total = 0
    missing = {}
    for m in pkgutil.iter_modules(where_to_edit.__path__):
        if m.name.startswith('_'): continue
        mod = importlib.import_module(f'where_to_edit.{m.name}')
        for name in getattr(mod, '__all__', []):
            obj = getattr(mod, name)
            defs = [(name, obj)]
            if inspect.isclass(obj):
                defs += [(f'{name}.{k}', getattr(v, '__func__', v)) for k, v in vars(obj).items()
                         if inspect.isfunction(getattr(v, '__func__', v)) and not k.startswith('_')]
            for qual, f in defs:
                if not callable(f) or (inspect.isclass(f) and not own_init(f)): continue
                try: docs = docments(f, full=True, args_kwargs=True)   # as the cards read them (DocRenderer)
                except Exception: continue          # builtins and objects without source
                if inspect.isclass(f): docs = {p: v if v.get('docment') else {**v, 'docment': inherited(f, p)}
                                               for p, v in docs.items()}
                for p, v in docs.items():
                    if p in ('self', 'cls', 'return'): continue
                    total += 1
                    if v.get('docment'): described += 1
                    else: missing.setdefault(f'{m.name}.{qual}', []).append(p)
    return described, total, missing

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--top', type=int, default=15, help='definitions to list')
    ap.add_argument('--modules', default='', help='comma-separated modules: list all they leave undescribed')
    a = ap.parse_args()
    d, t, miss = coverage()
    if a.modules:
        mods = a.modules.split(',')
        miss = {k: v for k, v in miss.items() if k.split('.')[0] in mods}
        a.top = len(miss)
        print(f"{sum(map(len, miss.values()))} undescribed in {a.modules}")
    print(f"{d}/{t} parameters described ({100 * d / max(t, 1):.0f} %)")
    for k, v in sorted(miss.items(), key=lambda kv: -len(kv[1]))[:a.top]: print(f"{k}: {', '.join(v)}")
