"""EmbeddingGemma's precision follows the processor, FAQBOT_EMBED_DTYPE overrides it, and an index built in
another precision is reported stale (naming the CPU it was built on) unless that precision is asked for."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index import IndexSettings, StaleIndexError, build, check_index, hardware, read_manifest
from index import gemma as gemma_module
from index.embedders import EmbedderError
from index.gemma import GemmaEmbedder, identity, resolve_dtype, torch_dtype
from index.hardware import CpuInfo, capability_from_flags, parse_cpuinfo
from ingest import IngestSettings

EPYC = """processor\t: 0
vendor_id\t: AuthenticAMD
model name\t: AMD EPYC 7B12
flags\t\t: fpu sse sse2 avx f16c fma avx2 bmi2

processor\t: 1
model name\t: AMD EPYC 7B12
flags\t\t: fpu sse sse2 avx f16c fma avx2 bmi2
"""
SAPPHIRE = "model name\t: Intel(R) Xeon(R) Platinum 8480+\nflags\t\t: avx2 fma avx512f avx512bw avx512vl avx512dq " \
           "avx512_bf16 amx_bf16 amx_tile\n"


def _cpu(monkeypatch: pytest.MonkeyPatch, text: str) -> CpuInfo:
    model, flags = parse_cpuinfo(text)
    info = CpuInfo(model, capability_from_flags(flags), bool(flags & set(hardware.BF16_FLAGS)), 2)
    monkeypatch.setattr(gemma_module, "cpu_info", lambda: info)
    return info


def test_cpuinfo_gives_the_model_the_vector_level_and_native_bfloat16() -> None:
    model, flags = parse_cpuinfo(EPYC)
    assert model == "AMD EPYC 7B12" and capability_from_flags(flags) == "AVX2"
    assert not flags & set(hardware.BF16_FLAGS)
    model, flags = parse_cpuinfo(SAPPHIRE)
    assert capability_from_flags(flags) == "AVX512" and "avx512_bf16" in flags
    assert capability_from_flags({"asimd", "fp"}) == "NEON"
    this = hardware.cpu_info()
    assert this.model and this.cores >= 1 and this.capability
    assert this.describe().startswith(this.model)


def test_bfloat16_only_where_the_cpu_has_it(monkeypatch: pytest.MonkeyPatch) -> None:
    _cpu(monkeypatch, EPYC)
    assert torch_dtype() == "float32"
    _cpu(monkeypatch, SAPPHIRE)
    assert torch_dtype() == "bfloat16"


def test_int8_onnx_by_default_and_the_variable_overrides(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _cpu(monkeypatch, EPYC)
    assert resolve_dtype(tmp_path) == "int8"  # onnxruntime is a dependency
    monkeypatch.setenv("FAQBOT_EMBED_DTYPE", "bfloat16")
    assert resolve_dtype(tmp_path) == "bfloat16"
    assert GemmaEmbedder.fingerprint()["dtype"] == "bfloat16"
    monkeypatch.setenv("FAQBOT_EMBED_DTYPE", "auto")
    assert resolve_dtype(tmp_path) == "int8"
    monkeypatch.setenv("FAQBOT_EMBED_DTYPE", "fp16")
    with pytest.raises(EmbedderError, match="int8, float32, bfloat16 or auto"):
        resolve_dtype(tmp_path)


def test_a_rejected_int8_export_falls_back_to_the_cpus_precision(monkeypatch: pytest.MonkeyPatch,
                                                                  tmp_path: Path) -> None:
    """An export whose vectors drifted (or that failed) is remembered for these library versions: the next
    start goes straight to sentence-transformers."""
    _cpu(monkeypatch, SAPPHIRE)
    gemma_module._reject(tmp_path, "the int8 export's vectors drift from float32 (cosine 0.9700 < 0.99)")
    assert resolve_dtype(tmp_path) == "bfloat16"
    _cpu(monkeypatch, EPYC)
    assert resolve_dtype(tmp_path) == "float32"
    record = json.loads(gemma_module._rejection_file(tmp_path).read_text())
    record["origin"]["onnxruntime"] = "0.0.1"  # another onnxruntime: worth trying again
    gemma_module._rejection_file(tmp_path).write_text(json.dumps(record))
    assert resolve_dtype(tmp_path) == "int8"


def test_the_fingerprint_names_precision_and_engine() -> None:
    assert identity("int8")["engine"] == "onnxruntime" and identity("int8")["recipe"] >= 1
    assert identity("float32")["engine"] == "sentence-transformers" and "recipe" not in identity("float32")
    assert identity("bfloat16")["hashes"] == identity("int8")["hashes"]


def test_an_index_built_in_another_precision_is_stale_until_that_precision_is_chosen(
        mini_faq: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An index built with bfloat16 on a machine with native bfloat16 is not used silently with int8 vectors
    here: the message names both precisions, the CPU it was built on and the two fixes."""
    ing = IngestSettings(faq_path=mini_faq)
    idx = IndexSettings.from_env(index_dir=tmp_path / "idx", embedder="hash")
    build(ing, idx)
    manifest_file = idx.index_dir / "manifest.json"
    manifest = read_manifest(idx.index_dir)
    assert manifest["cpu"]["model"] and "native_bf16" in manifest["cpu"]
    manifest["embedder"] = identity("bfloat16")
    manifest["cpu"] = {"model": "Intel(R) Xeon(R) Platinum 8480+", "capability": "AVX512", "native_bf16": True}
    manifest_file.write_text(json.dumps(manifest))
    gemma = IndexSettings.from_env(index_dir=idx.index_dir, embedder="gemma")
    monkeypatch.setattr(gemma_module, "_rejection", lambda _dir: None)
    with pytest.raises(StaleIndexError) as caught:
        check_index(ing, gemma)
    message = str(caught.value)
    assert "bfloat16 on Intel(R) Xeon(R) Platinum 8480+" in message and "runs it in int8" in message
    assert "FAQBOT_EMBED_DTYPE=bfloat16" in message and "faqbot index" in message
    monkeypatch.setenv("FAQBOT_EMBED_DTYPE", "bfloat16")
    _, loaded = check_index(ing, gemma)  # deliberately accepted: queries will be embedded in bfloat16 too
    assert loaded.manifest["embedder"]["dtype"] == "bfloat16"
