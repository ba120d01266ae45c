#!/usr/bin/python3
"""PyTorch side of `npm run bench -- e2e-throughput`: images/s of one training epoch.

The training loop a PyTorch user writes for `ausam-classify`'s demo recipe: resnet-small
(tools/throughput/torch_throughput.py's CifarResNet, the architecture @ausam/classification builds)
on the first --train-limit Fashion-MNIST training images (tools/parity/reference/data.py,
standardised as ours), batches of 128 reshuffled each epoch (the last partial batch kept), SGD
momentum 0.9, weight decay 5e-4, cosine learning rate from 0.05 per step; SAM rho 0.05 (the step of
torch_throughput.py). `--method ausam` runs every step as AUSAM after its warm-up: SAM on a subset of
floor(0.5 b) samples drawn from per-sample scores, images counted over the whole batch, as our
trainer counts them. Data loading and the model build are outside the timed loop, as in ours.

Usage (one JSON object on stdout):
  /usr/bin/python3 tools/throughput/torch_epoch.py --method sam --threads 2 --train-limit 12800
"""
import argparse
import json
import os
import sys
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "parity", "reference"))
import data  # noqa: E402
from torch_throughput import AUSAM_RATIO, AusamScores, CifarResNet, MODELS, sam_step  # noqa: E402


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--method", choices=["sam", "ausam"], required=True)
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--train-limit", type=int, default=12800)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(args.seed)
    x, y = (torch.from_numpy(a) for a in data.load("train"))
    x, y = x[: args.train_limit], y[: args.train_limit]
    depth, first_stride, (_, _, channels) = MODELS["resnet-small"]
    model = CifarResNet(depth, first_stride, channels)
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
            sam_step(model, opt, x[ids], y[ids])
        else:
            positions = scores.select(ids, max(1, int(AUSAM_RATIO * len(ids))))
            chosen = ids[positions]
            before, after = sam_step(model, opt, x[chosen], y[chosen])
            scores.observe(chosen, before, after)
        schedule.step()
    seconds = time.perf_counter() - started
    print(json.dumps({
        "impl": "pytorch", "torch": torch.__version__, "method": args.method, "threads": args.threads,
        "images": len(y), "seconds": seconds, "cpuSeconds": time.process_time() - cpu_started,
        "imagesPerSec": len(y) / seconds,
    }), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
