"""Data-parallel training over processes and machines with PyTorch DDP, as `torchrun` launches it.

torchrun starts one process per device (or per CPU slot) and tells each its RANK, WORLD_SIZE and the
rendezvous address in the environment. Every process builds the same model; DDP copies rank 0's weights to
the others at the start and averages the gradients in backward, so every process takes the same optimiser
step on the union of the processes' batches and the replicas stay identical. See training/README.md,
"Training at scale".
"""
import os
from dataclasses import dataclass

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel


@dataclass(frozen=True)
class Replicas:
    rank: int
    world: int
    backend: str | None

    @property
    def main(self):
        """The one process that writes checkpoints, records and logs."""
        return self.rank == 0


def setup(backend="gloo"):
    """Joins the process group torchrun describes; a plain run (no WORLD_SIZE) is a group of one.
    gloo averages CPU tensors; nccl, for a model and batches on GPUs (one per process), also selects this
    process's GPU (LOCAL_RANK)."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world == 1:
        return Replicas(0, 1, None)
    if backend == "nccl":
        torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))
    dist.init_process_group(backend)
    return Replicas(dist.get_rank(), dist.get_world_size(), backend)


def teardown(replicas):
    if replicas.world > 1:
        dist.destroy_process_group()


class LossOf(nn.Module):
    """A model and its training loss on a batch as one module: DDP averages the gradients only of what ran
    through its forward, and train.py's loss calls several of the model's parts (encoder, biasing, joiner)."""

    def __init__(self, model, loss_fn):
        super().__init__()
        self.model = model
        self.loss_fn = loss_fn

    def forward(self, *batch):
        return self.loss_fn(self.model, *batch)


def data_parallel(model, loss_fn, replicas):
    """`step = data_parallel(model, loss_fn, replicas); step(*batch).backward()` averages the gradients
    over the replicas (a plain call in a group of one)."""
    module = LossOf(model, loss_fn)
    if replicas.world == 1:
        return module
    # Batches without a biasing list leave the biasing module out of the graph.
    return DistributedDataParallel(module, find_unused_parameters=True)


def mine(index, start, count, replicas):
    """Whether batch `index` of an epoch's `count` is this replica's, the epoch (re)starting at batch `start`:
    every world-th, the same number on every replica (a replica with one batch more would wait for the
    others' gradients forever)."""
    i = index - start
    return 0 <= i < (count - start) // replicas.world * replicas.world and i % replicas.world == replicas.rank


def group_end(index, start, replicas):
    """The epoch position after the step that trained batch `index`: past the whole group of replicas' batches,
    so that a resumed run, with any number of replicas, skips what every replica did."""
    return start + ((index - start) // replicas.world + 1) * replicas.world


def from_main(value, replicas):
    """Rank 0's value of a float on every replica (the wall-clock progress that sets learning rate and schedules)."""
    if replicas.world == 1:
        return value
    t = torch.tensor([float(value)], dtype=torch.float64)
    dist.broadcast(t, 0)
    return float(t.item())


def total(value, replicas):
    """The sum of a number over the replicas."""
    if replicas.world == 1:
        return value
    t = torch.tensor([float(value)], dtype=torch.float64)
    dist.all_reduce(t)
    return int(t.item())


def same_everywhere(value, replicas, what):
    """Refuses to go on when the replicas disagree about `value` (their batches would no longer pair up)."""
    if replicas.world == 1:
        return
    values = [None] * replicas.world
    dist.all_gather_object(values, value)
    if any(v != values[0] for v in values):
        raise RuntimeError(f"the replicas loaded different {what} ({values}): under torchrun, train from a corpus "
                           "that is not being written")
