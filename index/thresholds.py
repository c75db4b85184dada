"""Score thresholds calibrated for one index (one FAQ version, one embedder), kept beside it in `thresholds.json`.

`faqbot calibrate` writes the file and records in the index manifest which thresholds were calibrated and from
what (case files, tune cases, FAQ hash, embedder). The file is only used with the index it was calibrated
on: after a rebuild for another FAQ version or embedder it is reported stale and the embedder's defaults
apply until `faqbot calibrate` runs again.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from index.store import MANIFEST_FILE, read_manifest
from ingest.errors import FaqbotError

THRESHOLDS_FILE = "thresholds.json"


def _write_json(path: Path, data: dict) -> None:
    """Write JSON atomically (a reader never sees half a file)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    os.replace(tmp, path)


def write_thresholds(index_dir: Path, values: dict[str, float], provenance: dict) -> dict:
    """Store calibrated `values` beside the index and record them in its manifest; returns the stored record."""
    index_dir = Path(index_dir)
    manifest = read_manifest(index_dir)
    record = {
        "values": {k: round(float(v), 4) for k, v in values.items()},
        "faq_sha256": manifest.get("faq", {}).get("sha256"),
        "embedder": manifest.get("embedder"),
        "calibrated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        **provenance,
    }
    _write_json(index_dir / THRESHOLDS_FILE, record)
    manifest["thresholds"] = {"file": THRESHOLDS_FILE, "calibrated": sorted(record["values"]),
                              "calibrated_at": record["calibrated_at"],
                              **{k: v for k, v in provenance.items() if k != "details"}}
    _write_json(index_dir / MANIFEST_FILE, manifest)
    return record


def read_thresholds(index_dir: Path, manifest: dict) -> dict | None:
    """The calibration stored beside the index, with an `origin` label; None when there is none. A file made
    for another FAQ version or embedder gives `{"stale": reason}` (its values are not used)."""
    path = Path(index_dir) / THRESHOLDS_FILE
    if not path.exists():
        return None
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        values = record["values"]
        if not isinstance(values, dict) or not all(isinstance(v, int | float) for v in values.values()):
            raise ValueError("values must be numbers")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise FaqbotError(f"thresholds file {path} is unreadable ({exc}): run `faqbot calibrate` again or "
                          "delete it to use the embedder's defaults") from None
    if record.get("faq_sha256") != manifest.get("faq", {}).get("sha256"):
        return {"stale": "calibrated on another version of the FAQ"}
    if record.get("embedder") != manifest.get("embedder"):
        return {"stale": "calibrated with another embedder"}
    cases = record.get("tune_cases")
    origin = f"calibré sur {cases} cas tune" if cases is not None else "calibré"
    return {**record, "origin": origin}
