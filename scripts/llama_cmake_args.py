"""Print the CMake arguments that build llama-cpp-python for this processor (the Makefile's install step).

    python3 scripts/llama_cmake_args.py [--cpuinfo FILE]

llama.cpp is built for the processor it runs on (`GGML_NATIVE`), except where the processor advertises AMX: there
`-march=native` compiles llama.cpp's AMX matrix kernels in, and on a 2-core Intel Xeon VM with `amx_tile` and
`amx_int8` (3 December 2026) the first answer died of a general protection fault in `ggml_backend_amx_mul_mat`
(`ldtilecfg`), although the kernel granted the tile permission and a plain `ldtilecfg` test ran. On such a processor
the build names the instruction sets the processor reports (AVX2, FMA, AVX-512 and its extensions...) one by one,
and leaves AMX out. Setting CMAKE_ARGS yourself overrides all of this. A wheel pip has already built and cached is
reused whatever the arguments: `pip cache remove llama_cpp_python` before reinstalling with other ones.
"""

from __future__ import annotations

import argparse
from pathlib import Path

# The multimodal library is not used here; leaving it out saves a good part of the build.
BASE = ("-DLLAVA_BUILD=OFF",)
AMX_FLAGS = frozenset({"amx_tile", "amx_int8", "amx_bf16"})
# llama.cpp's x86 options (ggml/src/ggml-cpu/CMakeLists.txt, GGML_NATIVE=OFF) and the /proc/cpuinfo flags each needs.
GGML_OPTIONS = (
    ("GGML_SSE42", ("sse4_2",)),
    ("GGML_AVX", ("avx",)),
    ("GGML_F16C", ("f16c",)),
    ("GGML_FMA", ("fma",)),
    ("GGML_BMI2", ("bmi2",)),
    ("GGML_AVX2", ("avx2",)),
    ("GGML_AVX_VNNI", ("avx_vnni",)),
    ("GGML_AVX512", ("avx512f", "avx512cd", "avx512vl", "avx512dq", "avx512bw")),
    ("GGML_AVX512_VBMI", ("avx512vbmi",)),
    ("GGML_AVX512_VNNI", ("avx512_vnni",)),
    ("GGML_AVX512_BF16", ("avx512_bf16",)),
)


def cpu_flags(cpuinfo: str) -> frozenset[str]:
    """The flags of the first processor listed in a /proc/cpuinfo text (none on a machine that lists no flags)."""
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        if key.strip() in ("flags", "Features"):
            return frozenset(value.split())
    return frozenset()


def cmake_args(flags: frozenset[str]) -> list[str]:
    """The CMake arguments for a processor with these flags: native unless it advertises AMX (module docstring)."""
    if not flags & AMX_FLAGS:
        return list(BASE)
    options = [f"-D{name}={'ON' if all(f in flags for f in needs) else 'OFF'}" for name, needs in GGML_OPTIONS]
    return [*BASE, "-DGGML_NATIVE=OFF", *options, "-DGGML_AMX_TILE=OFF", "-DGGML_AMX_INT8=OFF", "-DGGML_AMX_BF16=OFF"]


def main() -> None:
    """Print the arguments for this machine's processor, on one line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cpuinfo", type=Path, default=Path("/proc/cpuinfo"), help="a /proc/cpuinfo text to read")
    args = parser.parse_args()
    text = args.cpuinfo.read_text(encoding="utf-8", errors="replace") if args.cpuinfo.exists() else ""
    print(" ".join(cmake_args(cpu_flags(text))))


if __name__ == "__main__":
    main()
