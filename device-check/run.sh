#!/usr/bin/env bash
# Device check: does torchrun, given exactly the environment the operator renders for a worker
# (worker-env.json, from `render`), form the process group the operator promises?
# Two "nodes" as two torchrun launchers on one machine (gloo: one GPU cannot host two NCCL ranks),
# then one node with NCCL on the GPU. MASTER_ADDR is replaced by 127.0.0.1 (no cluster DNS here).
set -u
OUT=${OUT:-/tmp/device-out}; mkdir -p "$OUT"
cd "$(dirname "$0")"
nvidia-smi -L 2>&1 | tee "$OUT/nvidia-smi.txt"
python3 -c "import torch; print(torch.__version__, torch.cuda.is_available(), torch.cuda.device_count())" 2>&1 | tee "$OUT/torch.txt"
command -v torchrun >/dev/null || { echo "no torchrun on this machine" | tee "$OUT/skipped.txt"; exit 0; }
eval "$(python3 - <<'PY'
import json
env = json.load(open("worker-env.json"))
for k, v in env.items():
    if isinstance(v, str):
        print(f"export {k}='{v}'")
PY
)"
export PET_MASTER_ADDR=127.0.0.1 MASTER_ADDR=127.0.0.1 MLOPS_EXPECTED_WORLD_SIZE="$WORLD_SIZE"
for rank in 0 1; do
  PET_NODE_RANK=$rank NODE_RANK=$rank timeout 180 torchrun train.py gloo > "$OUT/gloo-node$rank.log" 2>&1 &
done
wait
PET_NNODES=1 WORLD_SIZE=1 MLOPS_EXPECTED_WORLD_SIZE=1 PET_NODE_RANK=0 NODE_RANK=0 PET_MASTER_PORT=29501 \
  timeout 180 torchrun train.py nccl > "$OUT/nccl-node0.log" 2>&1
echo "exit $?"
tail -n 3 "$OUT"/*.log
cat "$OUT"/result-*.json
