# Started by torchrun with only the environment the operator gives a worker (see run.sh).
import json, os, sys
import torch
import torch.distributed as dist

backend = sys.argv[1]
dist.init_process_group(backend)
rank, world = dist.get_rank(), dist.get_world_size()
if backend == "nccl":
    torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))
    device = torch.device("cuda", int(os.environ["LOCAL_RANK"]))
else:
    device = torch.device("cpu")
t = torch.ones(4, device=device) * (rank + 1)
dist.all_reduce(t)
result = {
    "backend": backend, "rank": rank, "world": world, "group_rank": os.environ.get("GROUP_RANK"),
    "operator_WORLD_SIZE": os.environ.get("MLOPS_EXPECTED_WORLD_SIZE"), "allreduce": t.tolist(),
    "torch": torch.__version__, "nccl": ".".join(map(str, torch.cuda.nccl.version())) if torch.cuda.is_available() else None,
    "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
}
print(json.dumps(result))
with open(os.path.join(os.environ["OUT"], f"result-{backend}-{rank}.json"), "w") as f:
    json.dump(result, f)
dist.destroy_process_group()
