#!/usr/bin/python3
"""PyTorch side of `npm run bench -- throughput`: images/s of SGD, SAM and AUSAM steps.

The models are the ones `@ausam/classification`'s `createModel` builds, from
tools/parity/reference/models.py: resnet-small (ResNet-8, first stage stride 2) on 28x28x1 images,
resnet20 on 32x32x3 images.

The steps are the ones core runs: SGD (momentum 0.9, weight decay 5e-4) on per-sample
cross-entropy; SAM (rho 0.05): g = grad L(w), w + rho g/|g|, grad L there, restore w, base step;
AUSAM: SAM on a subset of floor(0.5 b) samples (core's subsetSize at alpha 0.5) drawn without replacement with probabilities from
per-sample scores (the loss rise under the perturbation), images/s counted over the whole batch
of b, as core's trainer counts them.

Usage (one JSON object per measurement on stdout):
  /usr/bin/python3 tools/throughput/torch_throughput.py --model resnet-small --method sam \
      --threads 1 --batch 128 --steps 5 [--warmup 2]
Several --model/--method/--threads values may be given (comma-separated); every combination is
measured in turn, threads outermost.
"""
import argparse
import json
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "parity", "reference"))
import models  # noqa: E402

MODELS = {
    # name: image shape H, W, C
    "resnet-small": (28, 28, 1),
    "resnet20": (32, 32, 3),
}
METHODS = ("sgd", "sam", "ausam")
AUSAM_RATIO = 0.5
RHO = 0.05


def per_sample_loss(model, images, labels):
    return F.cross_entropy(model(images), labels, reduction="none")


def sgd_step(model, opt, images, labels):
    opt.zero_grad(set_to_none=True)
    losses = per_sample_loss(model, images, labels)
    losses.mean().backward()
    opt.step()
    return losses.detach()


def sam_step(model, opt, images, labels):
    params = [p for p in model.parameters() if p.requires_grad]
    opt.zero_grad(set_to_none=True)
    before = per_sample_loss(model, images, labels)
    before.mean().backward()
    with torch.no_grad():
        norm = torch.norm(torch.stack([p.grad.norm(2) for p in params]), 2)
        scale = RHO / (norm + 1e-12)
        eps = [p.grad * scale for p in params]
        for p, e in zip(params, eps):
            p.add_(e)
    opt.zero_grad(set_to_none=True)
    # BatchNorm statistics move on the first pass only, as in core's Sam.
    momenta = [m.momentum for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.momentum = 0.0
    after = per_sample_loss(model, images, labels)
    after.mean().backward()
    bns = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    for m, momentum in zip(bns, momenta):
        m.momentum = momentum
    with torch.no_grad():
        for p, e in zip(params, eps):
            p.sub_(e)
    opt.step()
    return before.detach(), after.detach()


class AusamScores:
    """Per-sample scores (loss rise under the perturbation), sampled without replacement."""

    def __init__(self, size):
        self.scores = torch.ones(size)

    def select(self, ids, k):
        weights = self.scores[ids].clamp_min(1e-6)
        return torch.multinomial(weights, k, replacement=False).sort().values

    def observe(self, ids, before, after):
        self.scores[ids] = 0.9 * self.scores[ids] + 0.1 * (after - before).abs()


def measure(model_name, method, threads, batch, steps, warmup):
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    h, w, c = MODELS[model_name]
    model = models.build(model_name, c, 10)
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
    images = torch.randn(batch, c, h, w)
    labels = torch.randint(0, 10, (batch,))
    ids = torch.arange(batch)
    scores = AusamScores(batch)
    subset = max(1, int(AUSAM_RATIO * batch))

    def step():
        if method == "sgd":
            sgd_step(model, opt, images, labels)
        elif method == "sam":
            sam_step(model, opt, images, labels)
        else:
            positions = scores.select(ids, subset)
            before, after = sam_step(model, opt, images[positions], labels[positions])
            scores.observe(ids[positions], before, after)

    for _ in range(warmup):
        step()
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    for _ in range(steps):
        step()
    wall = (time.perf_counter() - t0) / steps
    cpu = (time.process_time() - cpu0) / steps
    return {
        "impl": "pytorch",
        "torch": torch.__version__,
        "model": model_name,
        "method": method,
        "threads": threads,
        "batch": batch,
        "steps": steps,
        "wallMsPerStep": wall * 1000,
        "cpuMsPerStep": cpu * 1000,
        "imagesPerSec": batch / wall,
    }


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default="resnet-small")
    parser.add_argument("--method", default="sgd,sam,ausam")
    parser.add_argument("--threads", default="1")
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=2)
    args = parser.parse_args(argv)
    models = args.model.split(",")
    methods = args.method.split(",")
    threads = [int(t) for t in args.threads.split(",")]
    for name in models:
        if name not in MODELS:
            parser.error(f"--model: expected one of {', '.join(MODELS)}, found '{name}'")
    for m in methods:
        if m not in METHODS:
            parser.error(f"--method: expected one of {', '.join(METHODS)}, found '{m}'")
    torch.set_num_interop_threads(1)
    for t in threads:
        for name in models:
            for m in methods:
                print(json.dumps(measure(name, m, t, args.batch, args.steps, args.warmup)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
