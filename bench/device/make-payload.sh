#!/usr/bin/env bash
# Builds what bench/device/run-eval-bench.sh needs on a GPU box that has PyTorch but no Node (run here, from anywhere):
#   bench/device/node.xz          this machine's node binary, xz-compressed (official builds only need glibc)
#   bench/device/payload.tar.xz   bench/eval.ts bundled with TF.js (esbuild), the tfjs wasm files beside it, and the
#                                 two native packages trimmed to linux-x64: onnxruntime-node (+ onnxruntime-common), webgpu (Dawn)
#   .gl/*.deb                     the Vulkan loader for Dawn (device README recipe), unless already there
# None of these are committed (they are listed in .git/info/exclude); carry them:
#   run(command="bash bench/device/run-eval-bench.sh", carry=["bench/device/node.xz","bench/device/payload.tar.xz",".gl"])
# Together they are ~45 MiB of the 64 MiB a device call may carry.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"
grep -qx '/bench/device/node.xz' .git/info/exclude 2>/dev/null || echo '/bench/device/node.xz' >> .git/info/exclude
grep -qx '/bench/device/payload.tar.xz' .git/info/exclude 2>/dev/null || echo '/bench/device/payload.tar.xz' >> .git/info/exclude
grep -qx '/.gl/' .git/info/exclude 2>/dev/null || echo '/.gl/' >> .git/info/exclude

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT

# the node binary changes rarely: keep an existing node.xz made from this same binary
if [ ! "$here/node.xz" -nt "$(command -v node)" ]; then xz -T2 -6 -c "$(command -v node)" > "$here/node.xz"; fi

# ESM bundle; CJS parts of tfjs need require() and the emscripten glue __dirname. Native packages stay external and travel trimmed.
npx esbuild bench/eval.ts --bundle --platform=node --format=esm --target=node20 --log-level=warning \
  --outfile="$stage/eval-bench.mjs" \
  --external:onnxruntime-node --external:webgpu --external:@tensorflow/tfjs-node --external:@tensorflow/tfjs-node-gpu \
  --banner:js="import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __fu } from 'node:url'; import { dirname as __dn } from 'node:path'; const require = __cr(import.meta.url); const __filename = __fu(import.meta.url); const __dirname = __dn(__filename);"
cp node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm "$stage/"

nm="$stage/node_modules"
mkdir -p "$nm/onnxruntime-node/bin/napi-v6/linux" "$nm/webgpu/dist"
cp -r node_modules/onnxruntime-node/package.json node_modules/onnxruntime-node/dist "$nm/onnxruntime-node/"
cp -r node_modules/onnxruntime-node/bin/napi-v6/linux/x64 "$nm/onnxruntime-node/bin/napi-v6/linux/"
cp -r node_modules/onnxruntime-common "$nm/"
cp node_modules/webgpu/package.json node_modules/webgpu/index.js "$nm/webgpu/"
cp -r node_modules/webgpu/dist/linux-x64 "$nm/webgpu/dist/"
tar -C "$stage" -cf - . | xz -T2 -6 > "$here/payload.tar.xz"

if ! ls .gl/*.deb >/dev/null 2>&1; then
  mkdir -p .gl /tmp/amd64/partial
  o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
  apt-get $o update >/dev/null && (cd .gl && apt-get $o download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2) \
    || echo "note: Vulkan loader debs not fetched; the webgpu rung will say 'no Vulkan loader' on the device" >&2
fi
du -ch "$here/node.xz" "$here/payload.tar.xz" .gl 2>/dev/null | tail -1
