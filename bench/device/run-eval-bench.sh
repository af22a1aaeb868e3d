#!/usr/bin/env bash
# Runs the evaluation bench (bench/eval.ts) on a Linux GPU box that has PyTorch but no Node: unpacks the carried
# node binary and payload (make them here with `bash bench/device/make-payload.sh`), brings the Vulkan loader for
# the WebGPU rung, and prints (and saves to $OUT/eval-bench.txt when $OUT is set) the bench lines beside the card.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
for f in node.xz payload.tar.xz; do
  [ -f "$here/$f" ] || { echo "missing bench/device/$f: run bash bench/device/make-payload.sh first and carry it" >&2; exit 2; }
done
work="$(mktemp -d)"
xz -dc "$here/node.xz" > "$work/node" && chmod +x "$work/node"
xz -dc "$here/payload.tar.xz" | tar -C "$work" -xf -

# Vulkan loader for Dawn (device README): unpack the carried debs once, then point at NVIDIA's ICD when present.
if ! ldconfig -p 2>/dev/null | grep -q libvulkan.so.1 && ls "$repo"/.gl/*.deb >/dev/null 2>&1; then
  for f in "$repo"/.gl/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
[ -f "$icd" ] && export VK_DRIVER_FILES="$icd"

out="${OUT:-$work}"
{
  echo "card: $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null || echo 'no nvidia-smi')"
  echo "node: $("$work/node" --version), torch: $(python3 -c 'import torch; print(torch.__version__, "cuda" if torch.cuda.is_available() else "no cuda")' 2>/dev/null || echo absent)"
  cd "$work" && ./node eval-bench.mjs "$@"
} 2>&1 | tee "$out/eval-bench.txt"
