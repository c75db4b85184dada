"""EmbeddingGemma's precision follows the processor, FAQBOT_EMBED_DTYPE overrides it, ONNX Runtime runs it
where it can, and an index built in another precision is reported stale (naming the CPU it was built on)
unless that precision is asked for."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index import IndexSettings, StaleIndexError, build, check_index, hardware, read_manifest
from index import gemma as gemma_module
from index.embedders import EmbedderError
from index.gemma import GemmaEmbedder, engine_for, identity, resolve_dtype
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


def test_bfloat16_only_where_the_cpu_has_it_float32_elsewhere(monkeypatch: pytest.MonkeyPatch,
                                                                tmp_path: Path) -> None:
    monkeypatch.delenv("FAQBOT_EMBED_DTYPE", raising=False)
    _cpu(monkeypatch, EPYC)
    assert resolve_dtype(tmp_path) == "float32"
    _cpu(monkeypatch, SAPPHIRE)
    assert resolve_dtype(tmp_path) == "bfloat16"
    monkeypatch.setenv("FAQBOT_EMBED_DTYPE", "int8")
    assert resolve_dtype(tmp_path) == "int8" and GemmaEmbedder.fingerprint()["dtype"] == "int8"
    monkeypatch.setenv("FAQBOT_EMBED_DTYPE", "auto")
    assert resolve_dtype(tmp_path) == "bfloat16"
    monkeypatch.setenv("FAQBOT_EMBED_DTYPE", "fp16")
    with pytest.raises(EmbedderError, match="float32, bfloat16, int8 or auto"):
        resolve_dtype(tmp_path)


def test_onnx_runtime_runs_float32_and_int8_unless_its_export_was_rejected(tmp_path: Path) -> None:
    """An export whose vectors drifted (or that failed) is remembered for these library versions: the next
    start goes straight to sentence-transformers, which computes the same float32 vectors."""
    assert engine_for("float32", tmp_path) == engine_for("int8", tmp_path) == "onnxruntime"
    assert engine_for("bfloat16", tmp_path) == "sentence-transformers"
    gemma_module._reject("float32", tmp_path, "the float32 ONNX vectors drift from float32 (cosine 0.99000)")
    assert engine_for("float32", tmp_path) == "sentence-transformers"
    assert engine_for("int8", tmp_path) == "onnxruntime", "each export is judged on its own"
    record_file = gemma_module._rejection_file("float32", tmp_path)
    record = json.loads(record_file.read_text())
    record["origin"]["onnxruntime"] = "0.0.1"  # another onnxruntime: worth trying again
    record_file.write_text(json.dumps(record))
    assert engine_for("float32", tmp_path) == "onnxruntime"


def test_the_fingerprint_names_the_precision_not_the_engine() -> None:
    assert identity("float32") == {"name": "embeddinggemma-300m", "dtype": "float32",
                                   "hashes": identity("bfloat16")["hashes"]}
    assert identity("int8")["recipe"] >= 1 and "recipe" not in identity("float32")


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
    _cpu(monkeypatch, EPYC)
    with pytest.raises(StaleIndexError) as caught:
        check_index(ing, gemma)
    message = str(caught.value)
    assert "bfloat16 on Intel(R) Xeon(R) Platinum 8480+" in message and "runs it in float32" in message
    assert "FAQBOT_EMBED_DTYPE=bfloat16" in message and "faqbot index" in message
    monkeypatch.setenv("FAQBOT_EMBED_DTYPE", "bfloat16")
    _, loaded = check_index(ing, gemma)  # deliberately accepted: queries will be embedded in bfloat16 too
    assert loaded.manifest["embedder"]["dtype"] == "bfloat16"
    monkeypatch.delenv("FAQBOT_EMBED_DTYPE")
    manifest.update(embedder=identity("float32"), engine="sentence-transformers")
    manifest_file.write_text(json.dumps(manifest))
    _, loaded = check_index(ing, gemma)  # float32 vectors are the same whichever engine computed them
    assert loaded.manifest["engine"] == "sentence-transformers"
