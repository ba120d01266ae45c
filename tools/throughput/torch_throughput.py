#!/usr/bin/python3
"""PyTorch side of `npm run bench -- throughput`: images/s of SGD, SAM and AUSAM steps.

The architectures are the ones `@ausam/classification`'s `createModel` builds (He et al.'s CIFAR
ResNets, post-activation basic blocks, 3x3 convs with padding 1 and no bias, 1x1 conv + BN
projection shortcuts, BatchNorm eps 1e-5 momentum 0.1, global average pooling, a linear head):

- resnet-small: ResNet-8, widths 16-32-64, first stage stride 2 (28x28x1 images);
- resnet20: ResNet-20, widths 16-32-64 (32x32x3 images).

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
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

MODELS = {
    # name: (depth, first-stage stride, image shape H, W, C)
    "resnet-small": (8, 2, (28, 28, 1)),
    "resnet20": (20, 1, (32, 32, 3)),
}
METHODS = ("sgd", "sam", "ausam")
AUSAM_RATIO = 0.5
RHO = 0.05


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = None
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, 0, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + (self.shortcut(x) if self.shortcut is not None else x))


class CifarResNet(nn.Module):
    def __init__(self, depth, first_stride, in_channels, num_classes=10, width=16):
        super().__init__()
        n = (depth - 2) // 6
        self.stem = nn.Conv2d(in_channels, width, 3, 1, 1, bias=False)
        self.stem_bn = nn.BatchNorm2d(width)
        blocks = []
        channels = width
        for stage, (w, s) in enumerate(zip((width, 2 * width, 4 * width), (first_stride, 2, 2))):
            for b in range(n):
                blocks.append(BasicBlock(channels, w, s if b == 0 else 1))
                channels = w
        self.blocks = nn.Sequential(*blocks)
        self.head = nn.Linear(channels, num_classes)

    def forward(self, x):
        x = F.relu(self.stem_bn(self.stem(x)))
        x = self.blocks(x)
        return self.head(x.mean(dim=(2, 3)))


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
    depth, first_stride, (h, w, c) = MODELS[model_name]
    model = CifarResNet(depth, first_stride, c)
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
