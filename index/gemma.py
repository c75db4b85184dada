"""EmbeddingGemma: one embedder, in the precision the processor runs best.

- `bfloat16` only where the CPU has native bfloat16 (AVX-512 BF16, AMX): elsewhere PyTorch emulates it and
  it is 2.5x (queries) to 6.7x (passages) slower than float32. Run by sentence-transformers.
- `float32` everywhere else: the verified weights exported once to ONNX and run by ONNX Runtime with the
  `tokenizers` library, without PyTorch (several times faster than PyTorch on 2 shared cores, see
  docs/speed.md). Its vectors are sentence-transformers' float32 vectors (checked when the export is made:
  cosine at least 0.9999), so either engine can query an index the other built; sentence-transformers is the
  reference and the fallback (no onnxruntime, or an export that failed its check).
- `int8` on request: the same export with its matrix products quantised to int8 (dynamic quantisation). Faster
  still, but its vectors drift from float32 (cosine 0.99+): scores move by a few thousandths, enough to swap
  passages that retrieval scores almost alike.

`FAQBOT_EMBED_DTYPE` (float32, bfloat16, int8 or auto) overrides the choice. The precision is part of the
index fingerprint: an index built in another precision is reported stale (see index/store.py).
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np

from index.embedder_base import Embedder, EmbedderError, Progress, normalise
from index.hardware import cpu_info
from index.models import EMBEDDINGGEMMA, check_derived, default_models_dir, verify, write_derived_stamp

DTYPES = ("float32", "bfloat16", "int8")
ONNX_DTYPES = ("float32", "int8")  # the precisions ONNX Runtime runs (bfloat16: sentence-transformers only)
DTYPE_VARIABLE = "FAQBOT_EMBED_DTYPE"
QUERY_PROMPT = "task: search result | query: "  # config_sentence_transformers.json, pinned by its hash
STS_PROMPT = "task: sentence similarity | query: "  # the same file's "STS" prompt
MAX_TOKENS = 2048  # sentence_bert_config.json's max_seq_length
# Bumped whenever the export or the quantisation changes (ONNX copies are remade; int8 indexes become stale).
ONNX_RECIPE = 2
# The MLP's down projection reads activations with outliers that one int8 scale per tensor cannot hold:
# quantising it too drops the cosine to float32 to 0.98; kept in float32 it stays above 0.995.
INT8_KEEP_FLOAT = ("mlp/down_proj",)
# How close an ONNX copy's vectors must be to sentence-transformers' float32 ones to be used.
MIN_COSINE = {"float32": 0.9999, "int8": 0.99}
ONNX_FILE = "model.onnx"

# What an ONNX copy is checked on when it is made: queries and passages of several lengths, in French and
# English, as the bot embeds them. (`faqbot bench --retrieval` checks every text of the FAQ as well.)
_CHECK_SENTENCES = [
    "Quelles sont les missions principales de l'association et depuis quand existe-t-elle ?",
    "Combien de personnes travaillent dans les établissements, et dans combien de pays ?",
    "Le conseil d'administration se réunit quatre fois par an ; il vote le budget et nomme la direction.",
    "Les comptes sont certifiés chaque année par un commissaire aux comptes indépendant et publiés en ligne.",
    "Qui dirige l'organisation ?",
    "How is the organisation funded?",
    "Les dons ouvrent droit à une réduction d'impôt de 66 % dans la limite de 20 % du revenu imposable.",
    "adresse, téléphone, e-mail",
]
CHECK_TEXTS = (
    [QUERY_PROMPT + s for s in _CHECK_SENTENCES[:6]]
    + [f"title: Comment l'association est-elle organisée ? | text: {s}" for s in _CHECK_SENTENCES]
    + ["title: none | text: " + " ".join(_CHECK_SENTENCES * 3)]
)


def _env_dtype() -> str | None:
    raw = os.environ.get(DTYPE_VARIABLE, "").strip().lower()
    if raw in ("", "auto"):
        return None
    if raw not in DTYPES:
        raise EmbedderError(f"{DTYPE_VARIABLE}={raw!r} is not a precision: choose one of {', '.join(DTYPES)} "
                            "or auto")
    return raw


def resolve_dtype(models_dir: Path | None = None) -> str:
    """The precision EmbeddingGemma runs in here: `FAQBOT_EMBED_DTYPE`, else bfloat16 where the CPU has it
    natively, else float32."""
    return _env_dtype() or ("bfloat16" if cpu_info().native_bf16 else "float32")


def engine_for(dtype: str, models_dir: Path | None = None) -> str:
    """Which engine runs `dtype` here: ONNX Runtime for float32 and int8 (unless onnxruntime is missing or the
    export failed its check on this machine), sentence-transformers otherwise."""
    if dtype in ONNX_DTYPES and importlib.util.find_spec("onnxruntime") is not None \
            and not _rejection(dtype, models_dir or default_models_dir()):
        return "onnxruntime"
    return "sentence-transformers"


def identity(dtype: str) -> dict[str, object]:
    """The index fingerprint of EmbeddingGemma's vectors in `dtype` (whichever engine computes them: float32
    vectors from ONNX Runtime are sentence-transformers' own, checked when the export is made)."""
    out: dict[str, object] = {"name": EMBEDDINGGEMMA.name, "dtype": dtype}
    if dtype == "int8":
        out["recipe"] = ONNX_RECIPE
    out["hashes"] = dict(EMBEDDINGGEMMA.hashes)
    return out


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


class GemmaEmbedder(Embedder):
    """google/embeddinggemma-300m with its query and document prompts, in the precision this CPU runs best."""

    name = EMBEDDINGGEMMA.name
    dimensions = 768

    def __init__(self, models_dir: Path | None = None, threads: int | None = None, dtype: str | None = None,
                 log: Callable[[str], None] | None = None, engine: str | None = None) -> None:
        models_dir = models_dir or default_models_dir()
        threads = threads or os.cpu_count() or 1
        log = log or _stderr
        self.dtype = dtype or resolve_dtype(models_dir)
        self.engine_name = engine or engine_for(self.dtype, models_dir)
        if self.engine_name == "onnxruntime":
            try:
                folder = prepare(self.dtype, models_dir, log=log, engine="onnxruntime")
                self.engine: OnnxEngine | TorchEngine = OnnxEngine(
                    folder / ONNX_FILE, verify(EMBEDDINGGEMMA, models_dir), threads,
                    batch_size=OnnxEngine.batch_size if self.dtype == "float32" else 1)
                return
            except OnnxUnavailable as exc:
                if self.dtype == "int8":  # int8 exists only as ONNX: what was asked for cannot be had
                    raise EmbedderError(f"{exc}; set {DTYPE_VARIABLE}=float32 (or unset it)") from None
                log(f"{EMBEDDINGGEMMA.name}: {exc}; sentence-transformers computes the same vectors instead")
        self.engine_name = "sentence-transformers"
        self.engine = TorchEngine(prepare(self.dtype, models_dir, log=log, engine=self.engine_name), self.dtype,
                                  threads)

    def embed_documents(self, texts: Sequence[str], titles: Sequence[str], progress: Progress | None = None
                        ) -> np.ndarray:
        # EmbeddingGemma's document prompt is "title: {title | none} | text: {content}"; giving the real
        # question as title ties each passage to the question it answers.
        return self._encode_batched([f"title: {title or 'none'} | text: {text}"
                                     for text, title in zip(texts, titles, strict=True)], progress)

    def _encode_batched(self, inputs: list[str], progress: Progress | None = None) -> np.ndarray:
        """Vectors of many texts (prompts applied), in the engine's batches, shortest first so that a batch pads
        to a length close to its own."""
        out = np.zeros((len(inputs), self.dimensions), dtype=np.float32)
        order = sorted(range(len(inputs)), key=lambda i: len(inputs[i]))
        size = self.engine.batch_size
        for start in range(0, len(order), size):
            rows = order[start : start + size]
            out[rows] = self.engine.encode([inputs[i] for i in rows])
            if progress:
                progress(min(start + size, len(inputs)), len(inputs))
        return normalise(out)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return normalise(self.engine.encode([QUERY_PROMPT + t for t in texts]))

    def embed_statements(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode_batched([STS_PROMPT + t for t in texts])

    @classmethod
    def fingerprint(cls) -> dict[str, object]:
        return identity(resolve_dtype())

    def identity(self) -> dict[str, object]:
        return identity(self.dtype)


class TorchEngine:
    """sentence-transformers over PyTorch (the reference implementation)."""

    batch_size = 8

    def __init__(self, path: Path, dtype: str, threads: int) -> None:
        import torch

        torch.set_num_threads(threads)
        self.model = load_sentence_transformer(path, dtype)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Normalised vectors of `texts` (prompts already applied), one batch."""
        return self.model.encode(texts, batch_size=max(1, len(texts)), convert_to_numpy=True,
                                 normalize_embeddings=True, show_progress_bar=False)


class OnnxEngine:
    """The ONNX export run by ONNX Runtime, tokenised by `tokenizers` (no PyTorch at run time)."""

    # float32: texts of close lengths, 8 at a time. int8 passes batch_size=1: activations are quantised with one
    # scale per run, so in a batch a text's vector would depend on its neighbours.
    batch_size = 8

    def __init__(self, model_file: Path, tokenizer_folder: Path, threads: int, batch_size: int | None = None
                 ) -> None:
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise OnnxUnavailable(f"onnxruntime cannot be imported ({exc})") from None
        self.batch_size = batch_size or self.batch_size
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        # The LLM runs in the same process right after a query: ONNX Runtime's threads must not spin waiting
        # for more work on the cores llama.cpp needs.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(str(model_file), options, providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(tokenizer_folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()

    def encode(self, texts: list[str]) -> np.ndarray:
        """Normalised vectors of `texts` (prompts already applied), one batch padded to its longest text."""
        encodings = self.tokenizer.encode_batch(texts)
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), width), dtype=np.int64)
        mask = np.zeros((len(texts), width), dtype=np.int64)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1
        return self.session.run(["embedding"], {"input_ids": ids, "attention_mask": mask})[0]


class OnnxUnavailable(EmbedderError):
    """The ONNX engine cannot be used here (onnxruntime missing, export failed or rejected)."""


def load_sentence_transformer(path: Path, dtype_name: str):
    """EmbeddingGemma through sentence-transformers, offline, in `dtype_name`."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise EmbedderError(f"sentence-transformers is not installed ({exc}): run `make install`") from None
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    dtype = getattr(torch, dtype_name)
    model = SentenceTransformer(str(path), device="cpu", local_files_only=True, model_kwargs={"dtype": dtype})
    return model.to(dtype)  # the Dense heads load in float32 whatever the kwargs say


def _versions(*names: str) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for name in names:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = None
    return out


def _origin(dtype: str, engine: str) -> dict[str, object]:
    origin: dict[str, object] = {"from": EMBEDDINGGEMMA.name, "hashes": EMBEDDINGGEMMA.hashes, "dtype": dtype}
    if engine == "onnxruntime":
        return {**origin, "engine": engine, "recipe": ONNX_RECIPE,
                **_versions("torch", "transformers", "onnxruntime", "onnx")}
    # The keys the bfloat16 copy has been stamped with since it exists (a new key would remake the copy).
    return {**origin, "sentence_transformers": version("sentence-transformers"), "transformers": version("transformers")}


def derived_folder(dtype: str, models_dir: Path, engine: str = "sentence-transformers") -> Path:
    """Where the copy of EmbeddingGemma in `dtype` for `engine` is written (float32 for sentence-transformers
    is the verified original itself)."""
    if engine == "onnxruntime":
        return models_dir / f"{EMBEDDINGGEMMA.name}-onnx-{dtype}"
    if dtype == "float32":
        return models_dir / EMBEDDINGGEMMA.name
    return models_dir / f"{EMBEDDINGGEMMA.name}-{dtype}"


def _rejection_file(dtype: str, models_dir: Path) -> Path:
    return models_dir / f".{derived_folder(dtype, models_dir, 'onnxruntime').name}.rejected.json"


def _rejection(dtype: str, models_dir: Path) -> str | None:
    """Why the ONNX copy in `dtype` was refused on this machine with these library versions (None: it was not)."""
    try:
        record = json.loads(_rejection_file(dtype, models_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return str(record.get("reason")) if record.get("origin") == _origin(dtype, "onnxruntime") else None


def prepare(dtype: str, models_dir: Path | None = None, log: Callable[[str], None] | None = None,
            engine: str | None = None) -> Path:
    """The folder EmbeddingGemma loads from in `dtype` with `engine` (default: the one `engine_for` picks),
    writing its derived copy once if needed, stamped with what it was made from: a changed file or library
    version makes it again. Raises OnnxUnavailable when an ONNX copy cannot be made or fails its check."""
    models_dir = models_dir or default_models_dir()
    engine = engine or engine_for(dtype, models_dir)
    source = verify(EMBEDDINGGEMMA, models_dir)
    if dtype == "float32" and engine != "onnxruntime":
        return source
    target = derived_folder(dtype, models_dir, engine)
    origin = _origin(dtype, engine)
    if check_derived(target, origin):
        return target
    if engine == "onnxruntime":
        reason = _rejection(dtype, models_dir)
        if reason:
            raise OnnxUnavailable(reason)
    log = log or (lambda _line: None)
    staging = Path(tempfile.mkdtemp(dir=models_dir, prefix=f".{target.name}-"))
    try:
        if engine == "onnxruntime":
            log(f"{EMBEDDINGGEMMA.name}: exporting to ONNX ({dtype}) in {target} (once; a few minutes)")
            worst = _export_onnx(dtype, source, staging, log)
            log(f"{EMBEDDINGGEMMA.name}: {dtype} ONNX vectors checked against sentence-transformers float32: "
                f"lowest cosine {worst:.5f} over {len(CHECK_TEXTS)} texts")
        else:
            # Converting at every start would hold the float32 weights too: 2.3 GB peak instead of 1.0 GB.
            log(f"{EMBEDDINGGEMMA.name}: writing a {dtype} copy to {target}")
            load_sentence_transformer(source, dtype).save(str(staging))
        write_derived_stamp(staging, origin)
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _export_onnx(dtype: str, source: Path, staging: Path, log: Callable[[str], None]) -> float:
    """Export the float32 pipeline (transformer, mean pooling, both Dense heads, normalisation) to ONNX,
    quantise it for int8, and check its vectors against sentence-transformers; returns the lowest cosine, or
    raises OnnxUnavailable (and remembers why, so the next start uses sentence-transformers without trying
    again)."""
    models_dir = staging.parent
    try:
        if importlib.util.find_spec("onnxruntime") is None:
            raise OnnxUnavailable("onnxruntime is not installed")
        model = load_sentence_transformer(source, "float32")
        float_file = staging / ("float32.onnx" if dtype == "int8" else ONNX_FILE)
        _export(model, float_file)
        if dtype == "int8":
            log(f"{EMBEDDINGGEMMA.name}: exported; quantising to int8")
            _quantise(float_file, staging / ONNX_FILE)
            float_file.unlink()
        reference = model.encode(CHECK_TEXTS, batch_size=4, convert_to_numpy=True, normalize_embeddings=True,
                                 show_progress_bar=False)
        del model
        engine = OnnxEngine(staging / ONNX_FILE, source, os.cpu_count() or 1)
        ours = np.concatenate([engine.encode([text]) for text in CHECK_TEXTS])
        worst = float(np.min(np.sum(normalise(ours) * normalise(reference), axis=1)))
    except OnnxUnavailable as exc:
        _reject(dtype, models_dir, str(exc))
        raise
    except Exception as exc:  # the exporter and the quantiser raise many types; the fallback is the answer
        reason = f"the ONNX export failed ({type(exc).__name__}: {str(exc)[:200]})"
        _reject(dtype, models_dir, reason)
        raise OnnxUnavailable(reason) from None
    if worst < MIN_COSINE[dtype]:
        reason = f"the {dtype} ONNX vectors drift from float32 (cosine {worst:.5f} < {MIN_COSINE[dtype]})"
        _reject(dtype, models_dir, reason)
        raise OnnxUnavailable(reason)
    (staging / "check.json").write_text(json.dumps({"min_cosine": round(worst, 6), "texts": len(CHECK_TEXTS)}))
    return worst


def _reject(dtype: str, models_dir: Path, reason: str) -> None:
    with contextlib.suppress(OSError):  # unwritable: the next start tries (and fails) again, nothing worse
        _rejection_file(dtype, models_dir).write_text(
            json.dumps({"origin": _origin(dtype, "onnxruntime"), "reason": reason}, indent=1))


def _export(model, target: Path) -> None:
    """torch.onnx export of the whole sentence-transformers pipeline with dynamic batch and length."""
    import warnings

    import torch

    transformer, dense_in, dense_out = model[0].auto_model, model[2].linear, model[3].linear
    # The local layers' reach: transformers turns config.json's 512 into 257 for bidirectional attention (a
    # token sees 256 tokens either side), and so must the export.
    window = int(transformer.config.sliding_window)

    class Pipeline(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.transformer, self.dense_in, self.dense_out = transformer, dense_in, dense_out

        def forward(self, input_ids, attention_mask):
            # The attention masks are built here, as plain tensor operations: transformers' own mask builder
            # uses vmap, which the exporter cannot trace. Bidirectional attention: every token sees every
            # non-padding token, closer than `window` on the local layers.
            keep = attention_mask.bool()
            n = input_ids.shape[1]
            full = keep[:, None, None, :].expand(-1, 1, n, n)
            position = torch.arange(n, device=input_ids.device)
            near = (position[:, None] - position[None, :]).abs() < window
            masks = {"full_attention": full, "sliding_attention": full & near[None, None]}
            hidden = self.transformer(input_ids=input_ids, attention_mask=masks, use_cache=False).last_hidden_state
            weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(self.dense_out(self.dense_in(pooled)), dim=-1)

    sample = model.tokenizer(["task: search result | query: un exemple", "title: none | text: un exemple plus long"],
                             padding=True, return_tensors="pt")
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(Pipeline().eval(), (sample["input_ids"], sample["attention_mask"]), str(target),
                          input_names=["input_ids", "attention_mask"], output_names=["embedding"],
                          dynamic_axes={"input_ids": {0: "batch", 1: "tokens"},
                                        "attention_mask": {0: "batch", 1: "tokens"}, "embedding": {0: "batch"}},
                          opset_version=17, dynamo=False)


def _quantise(source: Path, target: Path) -> None:
    """Dynamic int8 quantisation: weights of the matrix products and of the token embeddings per channel,
    7-bit (`reduce_range`: AVX2's integer multiply-add saturates with 8 bits), activations at run time."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    graph = onnx.load(str(source), load_external_data=False).graph
    keep = [n.name for n in graph.node if n.op_type == "MatMul" and any(p in n.name for p in INT8_KEEP_FLOAT)]
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # the quantiser logs a suggestion to pre-process on every run
    try:
        quantize_dynamic(str(source), str(target), weight_type=QuantType.QInt8, per_channel=True,
                         reduce_range=True, op_types_to_quantize=["MatMul", "Gather"], nodes_to_exclude=keep)
    finally:
        root.setLevel(level)


__all__ = ["DTYPES", "GemmaEmbedder", "OnnxUnavailable", "engine_for", "identity", "prepare", "resolve_dtype"]
