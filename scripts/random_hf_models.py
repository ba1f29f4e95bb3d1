"""Small random-weight models built by Hugging Face transformers itself, shared by make_transformers_fixtures.py
(the Java tests' fixtures) and interop.py (the interoperability suite), so both test the engine against models
made the same way."""
import torch
import transformers
from transformers import AutoModelForCausalLM


def build(model_type, common, extra, seed):
    """A float32 model of `model_type` with `common` and `extra` config values, its weights drawn with `seed`."""
    config = transformers.AutoConfig.for_model(model_type, **common, **extra)
    torch.manual_seed(seed)
    model = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    with torch.no_grad():
        # away from the init's ones and zeros, so that a missing or misplaced norm or bias changes the numbers
        for name, p in model.named_parameters():
            if name.endswith("norm.weight"):
                p.copy_(1 + 0.3 * torch.randn_like(p))
            elif name.endswith(".bias"):
                p.copy_(0.2 * torch.randn_like(p))
    return model.eval()


def old_keys(config):
    """The same config in transformers 4's form: top-level rope_theta and rope_scaling instead of rope_parameters."""
    old = dict(config)
    params = old.pop("rope_parameters")
    old["rope_theta"] = params.pop("rope_theta")
    old["rope_scaling"] = params if params.get("rope_type") != "default" else None
    return old


def new_keys(config):
    """The same config in transformers 5's form: rope_parameters instead of top-level rope_theta and rope_scaling."""
    new = dict(config)
    params = dict(new.pop("rope_scaling", None) or {"rope_type": "default"})
    params["rope_theta"] = new.pop("rope_theta")
    new["rope_parameters"] = params
    return new
