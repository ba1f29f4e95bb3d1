# Written by SVD Workbench into every factored export (docs/EXPORT.md, "Loading in transformers").
#
#   AutoModelForCausalLM.from_pretrained(folder, trust_remote_code=True)
#
# builds the family's own transformers model (config.json's model_type: llama, mistral, qwen2, qwen3) and then
# replaces each projection listed in config.json's `truncation_ranks` {module: r} by SvdwbFactoredLinear, whose
# parameters carry the stored tensor names: <module>.BLinear.weight [r, in] (applied first),
# <module>.ALinear.weight [out, r], the projection's bias as <module>.ALinear.bias. A column-preserving (Duo-SVD)
# module, listed in `column_preserving_kept_columns` {module: [C]}, also has <module>.CLinear.weight [out, q] on the
# kept input columns C, and its B acts on the other columns R:  y = A(B x[R]) + C x[C] + bias.
# A module listed in `int8_factors` [module, ...] stores ALinear.weight and BLinear.weight as int8 codes with one float32
# scale per row, <module>.ALinear.weight_scale [out] and <module>.BLinear.weight_scale [r] (docs/METHODS.md §2.6); its
# two layers are SvdwbInt8Linear, which compute with weight = scale[:, None] * code, the product taken in float32 as
# the engine does, so both compute with the same values.
# The model's parameters are exactly the stored ones (sum of p.numel() == the export's parameter count).
#
# Tested with transformers 4.57.6, 5.17.0 and 5.18.0 (torch 2.13; scripts/interop.sh). Meant also for earlier 4.x
# (4.51 or newer for Qwen3; llama/mistral/qwen2 exist in earlier 4.x), untested there. Depends on torch and
# transformers only.
import inspect

import torch
from torch import nn

import transformers

RANKS_KEY = "truncation_ranks"
KEPT_COLUMNS_KEY = "column_preserving_kept_columns"
INT8_KEY = "int8_factors"


class SvdwbInt8Linear(nn.Module):
    """y = x W^T + b with W = weight_scale[:, None] * weight: int8 codes [out, in], float32 scales [out]."""

    def __init__(self, in_features, out_features, bias, dtype=None):
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        self.weight = nn.Parameter(torch.zeros(out_features, in_features, dtype=torch.int8), requires_grad=False)
        self.weight_scale = nn.Parameter(torch.zeros(out_features, dtype=torch.float32), requires_grad=False)
        self.bias = nn.Parameter(torch.zeros(out_features, dtype=dtype)) if bias else None

    def dequantized(self):
        # float32 first, whatever dtype transformers loaded the scales in: the engine's value of every weight
        return self.weight.to(torch.float32) * self.weight_scale.to(torch.float32)[:, None]

    def forward(self, x):
        return nn.functional.linear(x, self.dequantized().to(x.dtype), None if self.bias is None else self.bias.to(x.dtype))

    def extra_repr(self):
        return f"in_features={self.in_features}, out_features={self.out_features}, int8 codes, float32 row scales"


class SvdwbFactoredLinear(nn.Module):
    """y = ALinear(BLinear(x)), or with kept columns C: ALinear(BLinear(x[..., R])) + CLinear(x[..., C])."""

    def __init__(self, in_features, out_features, rank, bias, kept_columns=None, dtype=None, int8=False):
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        self.rank = rank
        kept = list(kept_columns) if kept_columns else []
        if any(not 0 <= c < in_features for c in kept) or any(a >= b for a, b in zip(kept, kept[1:])):
            raise ValueError(f"kept columns must be strictly ascending in [0, {in_features}), got {kept}")
        if len(kept) >= in_features:
            raise ValueError(f"kept columns leave BLinear no input column ({len(kept)} of {in_features})")
        self.kept_columns = kept
        kept_set = set(kept)
        self.rest_columns = [c for c in range(in_features) if c not in kept_set] if kept else []
        if int8 and kept:
            raise ValueError("int8 factors are stored for plain rank-r pairs only, not with kept columns")
        if int8:
            self.BLinear = SvdwbInt8Linear(in_features, rank, bias=False, dtype=dtype)
            self.ALinear = SvdwbInt8Linear(rank, out_features, bias=bias, dtype=dtype)
        else:
            self.BLinear = nn.Linear(in_features - len(kept), rank, bias=False, dtype=dtype)
            self.ALinear = nn.Linear(rank, out_features, bias=bias, dtype=dtype)
        if kept:
            self.CLinear = nn.Linear(len(kept), out_features, bias=False, dtype=dtype)
        self._index_cache = {}

    def _indices(self, device):
        # plain Python lists on the module, index tensors made per device on first use (no buffers to load)
        if device not in self._index_cache:
            self._index_cache[device] = (torch.tensor(self.rest_columns, dtype=torch.long, device=device),
                                         torch.tensor(self.kept_columns, dtype=torch.long, device=device))
        return self._index_cache[device]

    def forward(self, x):
        if not self.kept_columns:
            return self.ALinear(self.BLinear(x))
        rest, kept = self._indices(x.device)
        return self.ALinear(self.BLinear(x.index_select(-1, rest))) + self.CLinear(x.index_select(-1, kept))

    def extra_repr(self):
        return (f"in_features={self.in_features}, out_features={self.out_features}, rank={self.rank}, "
                f"kept_columns={len(self.kept_columns)}")


def factorize(model, config):
    """Replaces every module of config.truncation_ranks by a SvdwbFactoredLinear of that rank."""
    ranks = getattr(config, RANKS_KEY, None) or {}
    kept_columns = getattr(config, KEPT_COLUMNS_KEY, None) or {}
    int8 = set(getattr(config, INT8_KEY, None) or [])
    for key, listed in ((KEPT_COLUMNS_KEY, kept_columns), (INT8_KEY, int8)):
        unknown = sorted(set(listed) - set(ranks))
        if unknown:
            raise ValueError(f"{key} lists modules without a {RANKS_KEY} entry: {unknown}")
    for name, rank in ranks.items():
        parent_name, _, child = name.rpartition(".")
        parent = model.get_submodule(parent_name) if parent_name else model
        dense = getattr(parent, child)
        if not isinstance(dense, nn.Linear):
            raise ValueError(f"{RANKS_KEY} names {name}, which is a {type(dense).__name__}, not a Linear")
        setattr(parent, child, SvdwbFactoredLinear(dense.in_features, dense.out_features, int(rank),
                                                   dense.bias is not None, kept_columns.get(name),
                                                   dtype=dense.weight.dtype, int8=name in int8))
    return model


def rope_parameters_for_4x(config):
    """transformers 4.x: copies a transformers-5 `rope_parameters` into the keys 4.x reads, when the config has
    nothing else.

    transformers 5 writes the rope as one `rope_parameters` dict ({"rope_theta": ..., "rope_type": ..., scaling
    entries}); 4.x reads only top-level `rope_theta` and `rope_scaling`, keeps an unknown `rope_parameters` as an
    inert attribute, and would build the model with its default rope (theta 10000, no scaling) with no error. So
    before the model is built, a config with `rope_parameters` but no `rope_scaling` and `rope_theta` at the config
    class's default (as when not given) gets rope_theta = rope_parameters["rope_theta"] and rope_scaling = the other
    entries, "rope_type" kept (None for rope_type "default"). Under transformers 5, which reads `rope_parameters`
    itself, nothing changes."""
    params = getattr(config, "rope_parameters", None)
    if int(transformers.__version__.split(".")[0]) >= 5 or not isinstance(params, dict) or "rope_theta" not in params:
        return
    theta = inspect.signature(type(config).__init__).parameters.get("rope_theta")
    if getattr(config, "rope_scaling", None) is not None or theta is None or config.rope_theta != theta.default:
        return
    scaling = {k: v for k, v in params.items() if k != "rope_theta"}
    config.rope_theta = params["rope_theta"]
    config.rope_scaling = None if scaling.get("rope_type", "default") == "default" else scaling


def _factored_class(base):
    class Factored(base):
        def __init__(self, config, *args, **kwargs):
            rope_parameters_for_4x(config)
            super().__init__(config, *args, **kwargs)
            factorize(self, config)

    Factored.__name__ = Factored.__qualname__ = "Svdwb" + base.__name__
    return Factored


# One class per family, chosen by the exporter from model_type (config.json's auto_map). A family that this
# transformers version does not have is left out; loading such an export then fails with a clear import error.
_FAMILIES = {"llama": "LlamaForCausalLM", "mistral": "MistralForCausalLM", "qwen2": "Qwen2ForCausalLM",
             "qwen3": "Qwen3ForCausalLM"}
for _base_name in _FAMILIES.values():
    _base = getattr(transformers, _base_name, None)
    if _base is not None:
        globals()["Svdwb" + _base_name] = _factored_class(_base)
