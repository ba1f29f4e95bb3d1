"""A test-environment shim, not part of the engine: lets transformers 4.57.6 import next to huggingface-hub 1.x,
so that scripts/interop.sh can run on transformers 4.x where the package index has no huggingface-hub < 1.0
(docs/EXPORT.md, "Loading in transformers", says what was run so). It changes exactly one thing: right after
transformers.dependency_versions_table runs, its entry "huggingface-hub>=0.34.0,<1.0" becomes
"huggingface-hub>=0.34.0", so transformers' import-time version check passes; it says so on stderr. Everything
else (the hub library, transformers' code, every other version check) is as installed.

Install into a venv V (python3.X: V's):
    V/bin/pip install --no-deps transformers==4.57.6 tokenizers==0.22.2 requests   # plus torch, safetensors, ...
    cp scripts/relax_hub_check.py V/lib/python3.X/site-packages/
    echo 'import relax_hub_check' > V/lib/python3.X/site-packages/relax_hub_check.pth
    SVDWB_INTEROP_VENV=V scripts/interop.sh
"""
import importlib.abc
import importlib.machinery
import sys

TARGET = "transformers.dependency_versions_table"
RELAXED = "huggingface-hub>=0.34.0"


class _Loader(importlib.abc.Loader):
    def __init__(self, inner):
        self.inner = inner

    def create_module(self, spec):
        return self.inner.create_module(spec)

    def exec_module(self, module):
        self.inner.exec_module(module)
        old = module.deps.get("huggingface-hub")
        module.deps["huggingface-hub"] = RELAXED
        sys.stderr.write(f"relax_hub_check: transformers' requirement {old!r} relaxed to {RELAXED!r}\n")


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name != TARGET:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is not None:
            spec.loader = _Loader(spec.loader)
        return spec


sys.meta_path.insert(0, _Finder())
