"""Recipe-parity reference: the issue-12 recipe written as a PyTorch user would.

resnet-small (CIFAR ResNet-8 w16, first stage stride 2, option-B shortcuts) with PyTorch's default
init, full Fashion-MNIST (60k/10k, standardised), batch 128 reshuffled each epoch (last partial batch
kept), SGD momentum 0.9, weight decay 5e-4, cosine lr 0.05 per step (CosineAnnealingLR over all
steps), no augmentation; SAM rho 0.05 (sam.py). Writes per-epoch test accuracy to --out (JSON).
One thread (torch.set_num_threads(1)).

The label-noise suite's recipe (issue 27) is the same with --train-limit 10000 (the first training
images), --labels FILE (their noisy labels, exported from our own noise code by
tools/parity/export-noisy-labels.ts, so both frameworks train on the same noisy samples and
classes) and --epochs 15; the test set stays clean and whole.
"""
import argparse
import json
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
import data  # noqa: E402
import models  # noqa: E402
from sam import sam_step, sgd_step  # noqa: E402


def evaluate(model, x, y):
    model.eval()
    correct, loss = 0, 0.0
    with torch.no_grad():
        for i in range(0, len(y), 1000):
            logits = model(x[i : i + 1000])
            correct += int((logits.argmax(1) == y[i : i + 1000]).sum())
            loss += float(F.cross_entropy(logits, y[i : i + 1000], reduction="sum"))
    model.train()
    return correct / len(y), loss / len(y)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--method", choices=["sgd", "sam"], required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--rho", type=float, default=0.05)
    parser.add_argument("--out", required=True)
    parser.add_argument("--train-limit", type=int, default=0, help="train on the first N images only (0: all)")
    parser.add_argument("--labels", default="", help="JSON of the training labels to use (noisy labels)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    x_train, y_train = (torch.from_numpy(a) for a in data.load("train"))
    x_test, y_test = (torch.from_numpy(a) for a in data.load("t10k"))
    if args.train_limit:
        x_train, y_train = x_train[: args.train_limit], y_train[: args.train_limit]
    noise = None
    if args.labels:
        with open(args.labels) as f:
            noise = json.load(f)
        labels = torch.tensor(noise["labels"], dtype=torch.int64)
        if len(labels) != len(y_train):
            sys.exit(f"recipe.py: {args.labels} holds {len(labels)} labels, the training set has {len(y_train)}")
        clean = torch.ones(len(labels), dtype=torch.bool)
        clean[torch.tensor(noise["noisyIds"], dtype=torch.int64)] = False
        if not torch.equal(labels[clean], y_train[clean]) or bool((labels[~clean] == y_train[~clean]).any()):
            sys.exit(f"recipe.py: {args.labels} does not match this training set (clean labels differ or a noisy one is unchanged)")
        y_train = labels
    model = models.build("resnet-small", 1, 10)
    base = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    batch = 128
    steps_per_epoch = (len(y_train) + batch - 1) // batch
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(base, T_max=args.epochs * steps_per_epoch)
    history = []
    for epoch in range(args.epochs):
        started = time.time()
        order = torch.randperm(len(y_train))
        loss_sum = 0.0
        for s in range(steps_per_epoch):
            ids = order[s * batch : (s + 1) * batch]
            xb, yb = x_train[ids], y_train[ids]
            if args.method == "sgd":
                loss = sgd_step(model, base, F.cross_entropy, xb, yb)
            else:
                loss = sam_step(model, base, F.cross_entropy, xb, yb, args.rho)
            loss_sum += float(loss) * len(ids)
            schedule.step()
        accuracy, test_loss = evaluate(model, x_test, y_test)
        record = {"epoch": epoch + 1, "test_accuracy": accuracy, "test_loss": test_loss,
                  "train_loss": loss_sum / len(y_train), "seconds": time.time() - started}
        history.append(record)
        print(f"[torch] {args.method} seed {args.seed} epoch {epoch + 1}: test accuracy {100 * accuracy:.2f}% "
              f"({record['seconds']:.0f}s)", flush=True)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump({"method": args.method, "seed": args.seed, "epochs": args.epochs, "torch": torch.__version__,
                   "train_size": len(y_train), "noise_rate": noise["rate"] if noise else 0, "history": history}, f)


if __name__ == "__main__":
    main()
