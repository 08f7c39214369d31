# Every target sets up its own virtualenv in .venv/ first: a fresh clone needs only python3 and make.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SCALE ?= cpu
OUT ?= runs/$(SCALE)
WORKERS ?= 2

.PHONY: install reproduce figures test nbtest pytest docs notebooks export clean-nbs chromium gpu-check

$(VENV)/.installed: settings.ini setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

## the main job: the embedded reproduction, its parts in WORKERS processes of one thread each
## (make reproduce SCALE=tiny for a 2-minute smoke run)
reproduce: install
	$(BIN)/wte_reproduce --scale $(SCALE) --out $(OUT) --workers $(WORKERS)

## every figure of the paper over three seeds, the ablations and the verdicts (after or instead of reproduce; resumable);
## the parts after seed 0 run in WORKERS processes of one thread each
figures: install
	$(BIN)/wte_figures --scale $(SCALE) --out $(OUT) --workers $(WORKERS)

## the tests: every notebook at the tiny scale, then the pytest suite (CLI, bad inputs, docs in Chromium)
test: install chromium nbtest pytest

## two workers of one torch thread each (two workers of two threads each on two cores ran four times
## slower); the notebooks above 08_reproduce that read the run it makes start once it is done; those that
## do not (08b_real, 09c_budget, 99*) run beside it
NBTEST := OMP_NUM_THREADS=1 WTE_SCALE=tiny WTE_RUNS=$(CURDIR)/runs/_test $(BIN)/nbdev_test --n_workers 2 --timing
nbtest: install
	rm -rf runs/_test
	$(NBTEST) --file_re '^(0[0-7]|08_|08b|09c|99)'
	$(NBTEST) --file_re '^(08[ac-z]|09[abd_]|1[0-9])'

pytest: install
	OMP_NUM_THREADS=1 $(BIN)/pytest tests -q -n 2 --dist loadfile --durations 12

## on a GPU machine (at most 8 minutes): the device tests on CUDA, then scripts/gpu_check.py: a tiny run of every
## stage and method on the GPU (its wall time), the performance figures of the cpu preset's ViT on the GPU beside
## the CPU's and ViT-B/16's on the GPU against their targets, printed as one JSON (runs/gpu_check/perf.json)
gpu-check: install
	WTE_TEST_DEVICE=cuda $(BIN)/pytest tests/test_devices.py -q
	rm -rf runs/gpu_check
	$(BIN)/python scripts/gpu_check.py --out runs/gpu_check --devices cuda,cpu --tiny cuda --vit_b16 cuda

chromium:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; }

## the docs site, rendered offline from the notebooks into _site/ (nbdev_docs renders it where Quarto exists)
docs: install
	$(BIN)/wte_docs --nbs nbs --out _site

## re-run every notebook at SCALE (default cpu, reusing runs/cpu) and save their outputs, so the docs show fresh figures
notebooks: install
	WTE_SCALE=$(SCALE) $(BIN)/wte_docs --execute --nbs nbs --out _site
	$(BIN)/nbdev_clean

export: install
	$(BIN)/nbdev_export && $(BIN)/nbdev_clean
