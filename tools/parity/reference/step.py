"""Step-parity reference: PyTorch side.

From one PyTorch initialisation (torch.manual_seed(seed)), runs `steps` steps of SGD and of SAM on
the first steps·batch images of a fixed permutation of Fashion-MNIST's training set, and writes to
--out: init.safetensors (state_dict), sgd-final / sam-final.safetensors, batches.json (the sample
ids, so the TypeScript side builds the same batches with its own loader) and losses.json (per-step
first-pass losses, and the same run from the weights moved by one float32 rounding error, a
random relative ±2⁻²⁴ each: how far float32 noise alone carries a run, the floor of any parity). Run by tools/parity/run.ts; needs /usr/bin/python3 with python3-torch.
"""
import argparse
import copy
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
import data  # noqa: E402
import models  # noqa: E402
import safetensors_io  # noqa: E402
from sam import sam_step, sgd_step  # noqa: E402


def jitter(model, seed):
    """A copy with every parameter times (1 + u·2⁻²⁴), u ∈ {−1, 1}: one float32 rounding error."""
    model = copy.deepcopy(model)
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            sign = torch.randint(0, 2, p.shape, generator=g).float() * 2 - 1
            p.mul_(1 + sign * 2.0**-24)
    return model


def run(model, method, x, y, ids, args):
    model = copy.deepcopy(model)
    base = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, weight_decay=5e-4)
    losses = []
    model.train()
    for step in range(args.steps):
        # Cosine over the run, per step: lr_t = lr·(1 + cos(π t / T)) / 2 (CosineAnnealingLR's closed form).
        for group in base.param_groups:
            group["lr"] = args.lr * (1 + math.cos(math.pi * step / args.steps)) / 2
        batch = ids[step * args.batch : (step + 1) * args.batch]
        xb, yb = torch.from_numpy(x[batch]), torch.from_numpy(y[batch])
        if method == "sgd":
            loss = sgd_step(model, base, F.cross_entropy, xb, yb)
        else:
            loss = sam_step(model, base, F.cross_entropy, xb, yb, args.rho)
        losses.append(float(loss))
    return model, losses


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="resnet-small")
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--rho", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    torch.set_num_threads(1)
    os.makedirs(args.out, exist_ok=True)
    x, y = data.load("train")
    ids = np.random.default_rng(args.seed).permutation(len(y))[: args.steps * args.batch]
    torch.manual_seed(args.seed)
    model = models.build(args.model, 1, 10)
    safetensors_io.save(model.state_dict(), os.path.join(args.out, "init.safetensors"), {"format": "pt"})
    result = {"model": args.model, "steps": args.steps, "batch": args.batch, "lr": args.lr, "rho": args.rho, "torch": torch.__version__}
    for method in ["sgd", "sam"]:
        started = time.time()
        trained, losses = run(model, method, x, y, ids, args)
        seconds = time.time() - started
        safetensors_io.save(trained.state_dict(), os.path.join(args.out, f"{method}-final.safetensors"))
        jittered, losses_jitter = run(jitter(model, args.seed + 1), method, x, y, ids, args)
        safetensors_io.save(jittered.state_dict(), os.path.join(args.out, f"{method}-final-jitter.safetensors"))
        result[method] = {"losses": losses, "losses_jitter": losses_jitter, "seconds": seconds}
        print(f"[torch] {args.model} {method}: {args.steps} steps in {seconds:.1f}s, loss {losses[0]:.4f} -> {losses[-1]:.4f}", flush=True)
    with open(os.path.join(args.out, "batches.json"), "w") as f:
        json.dump({"batch": args.batch, "ids": ids.tolist()}, f)
    with open(os.path.join(args.out, "losses.json"), "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
