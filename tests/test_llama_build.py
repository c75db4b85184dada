"""The llama.cpp build arguments follow the processor: native, except without AMX kernels where AMX is advertised."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "llama_cmake_args.py"
_spec = importlib.util.spec_from_file_location("llama_cmake_args", SCRIPT)
assert _spec and _spec.loader
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)

AVX2_ONLY = "processor\t: 0\nflags\t\t: fpu sse4_2 avx f16c fma bmi2 avx2\n"
AMX_XEON = ("processor\t: 0\nflags\t\t: fpu sse4_2 avx f16c fma bmi2 avx2 avx512f avx512cd avx512vl avx512dq "
            "avx512bw avx512vbmi avx512_vnni avx512_bf16 amx_bf16 amx_tile amx_int8\n")


def test_a_processor_without_amx_is_built_natively() -> None:
    args = build.cmake_args(build.cpu_flags(AVX2_ONLY))
    assert args == ["-DLLAVA_BUILD=OFF"], "llama.cpp's own -march=native stays the default"


def test_an_amx_processor_gets_its_own_instruction_sets_without_amx() -> None:
    args = build.cmake_args(build.cpu_flags(AMX_XEON))
    assert "-DGGML_NATIVE=OFF" in args and "-DGGML_AMX_INT8=OFF" in args and "-DGGML_AMX_TILE=OFF" in args
    assert {"-DGGML_AVX2=ON", "-DGGML_AVX512=ON", "-DGGML_AVX512_VNNI=ON", "-DGGML_AVX512_BF16=ON"} <= set(args)
    assert "-DGGML_AVX_VNNI=OFF" in args, "a set the processor does not report is not turned on"


def test_avx512_needs_all_its_foundation_flags() -> None:
    partial = AMX_XEON.replace(" avx512bw", "")
    assert "-DGGML_AVX512=OFF" in build.cmake_args(build.cpu_flags(partial))


def test_the_script_prints_one_line_for_a_given_cpuinfo(tmp_path: Path) -> None:
    info = tmp_path / "cpuinfo"
    info.write_text(AMX_XEON, encoding="utf-8")
    out = subprocess.run([sys.executable, str(SCRIPT), "--cpuinfo", str(info)], capture_output=True, text=True,
                         check=True).stdout
    assert out.count("\n") == 1 and "-DGGML_AMX_BF16=OFF" in out
    missing = subprocess.run([sys.executable, str(SCRIPT), "--cpuinfo", str(tmp_path / "none")], capture_output=True,
                             text=True, check=True).stdout
    assert missing.strip() == "-DLLAVA_BUILD=OFF", "no cpuinfo (another OS): llama.cpp decides"
