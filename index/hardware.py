"""What this processor does natively: read once from /proc/cpuinfo (or PyTorch), recorded in manifests and benches.

EmbeddingGemma's precision depends on it: bfloat16 halves the weights read per forward pass, but only a CPU
with native bfloat16 instructions (AVX-512 BF16, AMX) gains from it; elsewhere PyTorch emulates bfloat16 and
is 2.5x (queries) to 6.7x (passages) slower than float32 (measured on an AVX2 AMD EPYC).
"""

from __future__ import annotations

import functools
import os
import platform
from dataclasses import dataclass
from pathlib import Path

# x86 flags of native bfloat16 arithmetic (Linux /proc/cpuinfo names).
BF16_FLAGS = ("avx512_bf16", "amx_bf16")
_CPUINFO = Path("/proc/cpuinfo")


@dataclass(frozen=True)
class CpuInfo:
    """The processor as a person reads it (model name), its widest vector unit, and native bfloat16."""

    model: str
    capability: str  # PyTorch's name for the widest vector instructions it uses: AVX2, AVX512, ...
    native_bf16: bool
    cores: int

    def to_dict(self) -> dict[str, object]:
        """The CPU as recorded in an index manifest and a benchmark report."""
        return {"model": self.model, "capability": self.capability, "native_bf16": self.native_bf16,
                "cores": self.cores}

    def describe(self) -> str:
        """One line: `AMD EPYC, 2 cores, AVX2, no native bfloat16`."""
        bf16 = "native bfloat16" if self.native_bf16 else "no native bfloat16"
        return f"{self.model}, {self.cores} cores, {self.capability}, {bf16}"


def parse_cpuinfo(text: str) -> tuple[str, set[str]]:
    """(model name, flags) from the text of /proc/cpuinfo (x86 `flags`, Arm `Features`)."""
    model, flags = "", set()
    for line in text.splitlines():
        key, _, value = line.partition(":")
        key = key.strip().lower()
        if key in ("model name", "hardware", "cpu model") and not model:
            model = value.strip()
        elif key in ("flags", "features") and not flags:
            flags = set(value.split())
    return model, flags


def capability_from_flags(flags: set[str]) -> str:
    """The vector instruction level PyTorch would pick, from the CPU flags (no PyTorch import)."""
    if {"avx512f", "avx512bw", "avx512vl", "avx512dq"} <= flags:
        return "AVX512"
    if "avx2" in flags and "fma" in flags:
        return "AVX2"
    if "asimd" in flags:
        return "NEON"
    return "DEFAULT"


@functools.cache
def cpu_info() -> CpuInfo:
    """This machine's processor (read once per process)."""
    try:
        model, flags = parse_cpuinfo(_CPUINFO.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        model, flags = "", set()
    if flags:
        capability = capability_from_flags(flags)
    else:  # no /proc/cpuinfo (macOS, Windows): ask PyTorch, which knows only the vector width
        try:
            import torch

            capability = str(torch.backends.cpu.get_cpu_capability())
        except Exception:
            capability = "unknown"
    return CpuInfo(model=model or platform.processor() or platform.machine() or "unknown CPU",
                   capability=capability, native_bf16=bool(flags & set(BF16_FLAGS)),
                   cores=os.cpu_count() or 1)
