#!/usr/bin/python3
"""PyTorch side of `npm run bench -- e2e-throughput`: images/s of one training epoch.

The training loop a PyTorch user writes for `ausam-classify`'s recipes, with the model
@ausam/classification builds (tools/parity/reference/models.py), on the first --train-limit training
images; batches of 128 reshuffled each epoch (the last partial batch kept), SGD momentum 0.9, weight
decay 5e-4, cosine learning rate from 0.05 per step; SAM rho 0.05 (the step of torch_throughput.py).
Workloads:
- fashion-mnist: the demo config's resnet-small on Fashion-MNIST (tools/parity/reference/data.py,
  standardised as ours), no augmentation;
- cifar-resnet20: cifar10-resnet20-cpu.json's ResNet-20 on the CIFAR-10 binary files in --data-dir
  (the bench writes synthetic ones), with CIFAR-10's default augmentation done per batch in tensor
  ops as ours does: zero-pad 4 and crop, horizontal flip, normalise, Cutout 16x16.
`--method ausam` runs every step as AUSAM after its warm-up: SAM on a subset of floor(0.5 b) samples
drawn from per-sample scores, images counted over the whole batch, as our trainer counts them. Data
loading and the model build are outside the timed loop, as in ours.

Usage (one JSON object on stdout):
  /usr/bin/python3 tools/throughput/torch_epoch.py --method sam --threads 2 --train-limit 12800
  /usr/bin/python3 tools/throughput/torch_epoch.py --workload cifar-resnet20 --data-dir DIR --method sam --threads 2 --train-limit 2560
"""
import argparse
import json
import os
import sys
import time

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "parity", "reference"))
import data  # noqa: E402
import models  # noqa: E402
from torch_throughput import AUSAM_RATIO, AusamScores, sam_step  # noqa: E402

CIFAR10_MEAN = torch.tensor([0.4914, 0.4822, 0.4465]).view(1, 3, 1, 1)  # CIFAR10_NORMALIZATION
CIFAR10_STD = torch.tensor([0.247, 0.2435, 0.2616]).view(1, 3, 1, 1)


def cifar10_augment(raw):
    """CIFAR10_AUGMENTATION on a uint8 batch [b, 3, 32, 32]: zero-pad 4 and crop at a random offset,
    mirror with probability 1/2, normalise, zero a 16x16 square (clipped) at a random centre."""
    b, size = raw.shape[0], 32
    padded = F.pad(raw.float(), (4, 4, 4, 4))
    span = torch.arange(size)
    rows = torch.randint(0, 9, (b, 1)) + span
    cols = torch.randint(0, 9, (b, 1)) + span
    cols = torch.where(torch.rand(b, 1) < 0.5, cols.flip(1), cols)
    x = padded[torch.arange(b).view(b, 1, 1, 1), torch.arange(3).view(1, 3, 1, 1), rows.view(b, 1, size, 1), cols.view(b, 1, 1, size)]
    x = (x / 255 - CIFAR10_MEAN) / CIFAR10_STD
    cy, cx = torch.randint(0, size, (b, 1)) - 8, torch.randint(0, size, (b, 1)) - 8
    inside_y = (span >= cy) & (span < cy + 16)
    inside_x = (span >= cx) & (span < cx + 16)
    return x * ~(inside_y.view(b, 1, size, 1) & inside_x.view(b, 1, 1, size))


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workload", choices=["fashion-mnist", "cifar-resnet20"], default="fashion-mnist")
    parser.add_argument("--data-dir", help="cifar-resnet20: the CIFAR-10 binary folder")
    parser.add_argument("--method", choices=["sam", "ausam"], required=True)
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--train-limit", type=int, default=12800)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(args.seed)
    if args.workload == "cifar-resnet20":
        if not args.data_dir:
            parser.error("--workload cifar-resnet20 needs --data-dir")
        x, y = (torch.from_numpy(a) for a in data.load_cifar10_train(args.data_dir, args.train_limit))
        model, augment = models.build("resnet20", 3, 10), cifar10_augment
    else:
        x, y = (torch.from_numpy(a) for a in data.load("train"))
        x, y = x[: args.train_limit], y[: args.train_limit]
        model, augment = models.build("resnet-small", 1, 10), lambda batch: batch
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    steps = (len(y) + args.batch - 1) // args.batch
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps)
    scores = AusamScores(len(y))
    started = time.perf_counter()
    cpu_started = time.process_time()
    order = torch.randperm(len(y))
    for s in range(steps):
        ids = order[s * args.batch : (s + 1) * args.batch]
        if args.method == "sam":
            sam_step(model, opt, augment(x[ids]), y[ids])
        else:
            positions = scores.select(ids, max(1, int(AUSAM_RATIO * len(ids))))
            chosen = ids[positions]
            before, after = sam_step(model, opt, augment(x[chosen]), y[chosen])
            scores.observe(chosen, before, after)
        schedule.step()
    seconds = time.perf_counter() - started
    print(json.dumps({
        "impl": "pytorch", "torch": torch.__version__, "workload": args.workload, "method": args.method, "threads": args.threads,
        "images": len(y), "seconds": seconds, "cpuSeconds": time.process_time() - cpu_started,
        "imagesPerSec": len(y) / seconds,
    }), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
