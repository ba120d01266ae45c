#!/usr/bin/env bash
# One-time set-up on a fresh machine: Debian's Fashion-MNIST (the real data the demo and the
# integration tests train on) and the npm workspace. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/../.."

FASHION_DIR=/usr/share/datasets/fashion-mnist
if [ ! -d "$FASHION_DIR" ]; then
  echo "[setup] installing Debian package dataset-fashion-mnist (into $FASHION_DIR)" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq dataset-fashion-mnist >/dev/null
fi

echo "[setup] npm ci" >&2
npm ci --no-audit --no-fund --loglevel=error

# The CLIs (ausam-classify, ausam-pose, ausam-quant) run the packages' dist/ builds: build them
# (nx, cached) so `npx ausam-classify …` works right after set-up.
echo "[setup] building the packages (nx, cached)" >&2
npx nx run-many -t build --outputStyle=static >/dev/null
