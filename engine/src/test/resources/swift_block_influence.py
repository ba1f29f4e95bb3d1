# Block Influence of stories260K with transformers (float32), for BlockInfluenceTest.
import torch, sys
from transformers import AutoModelForCausalLM
m = AutoModelForCausalLM.from_pretrained(sys.argv[1], torch_dtype=torch.float32).eval()
ids = torch.tensor([[(37 * t + 11 * w + 5) % 511 + 1 for t in range(48)] for w in range(2)])
ins, outs = {}, {}
def hook(i):
    def f(mod, args, kwargs, out):
        h = args[0] if args else kwargs["hidden_states"]
        ins[i] = h.detach().clone(); outs[i] = (out[0] if isinstance(out, tuple) else out).detach().clone()
    return f
for i, layer in enumerate(m.model.layers):
    layer.register_forward_hook(hook(i), with_kwargs=True)
with torch.no_grad():
    m(ids)
for i in range(len(m.model.layers)):
    a = ins[i].reshape(-1, ins[i].shape[-1]).double(); b = outs[i].reshape(-1, outs[i].shape[-1]).double()
    cos = (a * b).sum(-1) / (a.norm(dim=-1) * b.norm(dim=-1))
    print(f"{(1 - cos.nan_to_num(0.5)).mean().item():.10f}")
