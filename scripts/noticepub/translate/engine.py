"""Argos Translate zh->en, run directly through CTranslate2 + SentencePiece, batched and offline.

``argostranslate.package`` (cheap, no torch) installs and lists packages. Inference mirrors
``argostranslate.translate`` 1.11 exactly -- split the text into paragraphs at "\\n" and each
paragraph into sentences; SentencePiece pieces per sentence; ``translate_batch`` with the package's
``target_prefix``, ``replace_unknowns=True``, ``beam_size=4``, ``length_penalty=0.2``; the pieces of
a paragraph's sentences joined and decoded together; the prefix and the tokenizer's leading space
stripped; paragraphs joined with "\\n" -- with three differences that matter for a build:

* the sentence splitter is ours (segment.py), not MiniSBD/stanza, which download models on first use;
* the pending sentences are batched by similar token length: sorted by length, cut into batches of
  at most ``mt_batch_size`` sentences and ``mt_batch_tokens`` padded source tokens, with at most
  ``mt_max_padding`` (a quarter) of padding over the batch's real tokens, so one long sentence never
  holds many short ones and the encoder does little wasted work (Argos sends one sentence per call);
* runaway guard: each batch decodes at most ``mt_max_length_ratio`` x its longest source +
  ``mt_max_length_extra`` tokens (never more than 256, Argos's limit). A sentence whose output reaches
  its own cap is reported as capped, and `noticepub translate` flags it in the PO file for review.
  ``mt_repetition_penalty`` / ``mt_no_repeat_ngram_size`` pass through to CTranslate2 (off by default:
  see the README's measurement);
* ``mt_threads`` threads translate batches side by side (CTranslate2 replicas sharing one model, each
  single-threaded; the batches are submitted asynchronously and cut so that every thread has one),
  instead of one call per sentence on CTranslate2's default intra-op threads.

Nothing here is imported by a build that has nothing to translate, and the module itself imports none of
argostranslate, CTranslate2 or SentencePiece: they come with the optional ``mt`` extra
(``pip install '.[mt]'``), and without it no model counts as installed and the hint says to add the extra.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from noticepub.errors import TranslationError

MT_MODULES = ("argostranslate", "ctranslate2", "sentencepiece")  # the `mt` extra of pyproject.toml
MT_EXTRA_HINT = "run `make mt` (the pinned `mt` extra of pyproject.toml, with CPU-only torch)"


def mt_missing() -> list[str]:
    """The machine translation modules that are not installed (empty with the `mt` extra)."""
    import importlib.util

    return [name for name in MT_MODULES if importlib.util.find_spec(name) is None]


def require_mt(path: Path | None = None) -> None:
    """Stop with one line when the `mt` extra is not installed."""
    missing = mt_missing()
    if missing:
        raise TranslationError(path, f"machine translation is not installed ({', '.join(missing)} missing): "
                                     f"{MT_EXTRA_HINT}")


_MODEL_HINT = (
    "Install it with "
    "`argospm update && argospm install translate-zh_en` (needs network once) or, offline, "
    "`noticepub models install FILE.argosmodel` (a translate-zh_en-<version>.argosmodel downloaded elsewhere)"
)
INSTALL_HINT = (
    "no Argos Translate zh->en model is installed, so English segments stay pending. " + _MODEL_HINT
    if not mt_missing() else
    "machine translation is not installed, so English segments stay pending. Add it with "
    f"{MT_EXTRA_HINT}, then install a zh->en model. " + _MODEL_HINT
)
ZH_CODES = ("zh", "zh-Hans", "zh_Hans", "zh-CN")
ARGOS_MAX_DECODING = 256  # argostranslate's (and CTranslate2's) default limit


@dataclass(frozen=True)
class Decoding:
    """Decoding and batching settings (from [tool.noticepub] mt_* keys)."""

    batch_size: int = 64  # sentences per batch
    batch_tokens: int = 2048  # padded source tokens per batch (len(batch) x longest source)
    max_padding: float = 0.25  # padded tokens at most (1 + this) x the batch's real tokens
    max_length_ratio: float = 2.0  # cap = ratio x source tokens + extra
    max_length_extra: int = 10
    repetition_penalty: float = 1.0  # > 1 penalises repeated tokens (1 = off)
    no_repeat_ngram_size: int = 0  # forbid repeating n-grams of this size (0 = off)

    def cap(self, source_tokens: int) -> int:
        return min(ARGOS_MAX_DECODING, int(self.max_length_ratio * source_tokens) + self.max_length_extra)

    @classmethod
    def from_settings(cls, settings) -> Decoding:
        return cls(
            batch_size=max(1, settings.mt_batch_size),
            batch_tokens=max(1, getattr(settings, "mt_batch_tokens", cls.batch_tokens)),
            max_padding=float(getattr(settings, "mt_max_padding", cls.max_padding)),
            max_length_ratio=float(getattr(settings, "mt_max_length_ratio", cls.max_length_ratio)),
            max_length_extra=int(getattr(settings, "mt_max_length_extra", cls.max_length_extra)),
            repetition_penalty=float(getattr(settings, "mt_repetition_penalty", cls.repetition_penalty)),
            no_repeat_ngram_size=int(getattr(settings, "mt_no_repeat_ngram_size", cls.no_repeat_ngram_size)),
        )


def length_batches(lengths: list[int], batch_size: int, batch_tokens: int,
                   max_padding: float | None = None) -> list[list[int]]:
    """Indices grouped into batches of similar length: sorted by length (stable), a batch closes when
    one more sentence would exceed ``batch_size`` sentences or ``batch_tokens`` padded tokens, or (with
    ``max_padding``) make the batch's padded tokens more than (1 + max_padding) x its real tokens."""
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], i))
    batches: list[list[int]] = []
    current: list[int] = []
    real = 0
    for i in order:
        longest = max(lengths[i], 1)  # sorted: the newcomer is the longest
        padded = (len(current) + 1) * longest
        if current and (len(current) + 1 > batch_size or padded > batch_tokens
                        or (max_padding is not None and padded > (1 + max_padding) * (real + longest))):
            batches.append(current)
            current, real = [], 0
        current.append(i)
        real += longest
    if current:
        batches.append(current)
    return batches


class Engine(Protocol):
    """What the translation step needs from a machine translation engine."""

    name: str  # engine and model version, recorded in the PO file: "argos translate-zh_en 1.9"

    def translate_batch(self, sentences: list[str]) -> list[str]: ...


@dataclass(frozen=True)
class PackageInfo:
    path: Path
    from_code: str
    to_code: str
    code: str
    version: str
    target_prefix: str
    package_type: str = "translate"

    @property
    def label(self) -> str:
        """Engine name + model version, the provenance recorded with every machine translation."""
        return f"argos {self.code} {self.version}".strip()


def installed_packages() -> list[PackageInfo]:
    """Installed Argos packages (reads metadata only; does not import torch or ctranslate2). None without the
    `mt` extra: a model cannot run without it."""
    if mt_missing():
        return []
    import argostranslate.package as argos_package

    out = []
    for pkg in argos_package.get_installed_packages():
        out.append(
            PackageInfo(
                path=Path(pkg.package_path),
                from_code=str(pkg.from_code),
                to_code=str(pkg.to_code),
                code=getattr(pkg, "code", "") or f"translate-{pkg.from_code}_{pkg.to_code}",
                version=str(pkg.package_version or ""),
                target_prefix=getattr(pkg, "target_prefix", "") or "",
                package_type=str(getattr(pkg, "type", "translate") or "translate"),
            )
        )
    return sorted(out, key=lambda p: (p.from_code, p.to_code, _version_key(p.version), str(p.path)))


def _version_key(version: str) -> tuple:
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in version.replace("-", ".").split("."))


def find_zh_en() -> PackageInfo | None:
    """The newest installed zh->en translate package, or None."""
    found = [p for p in installed_packages() if p.from_code in ZH_CODES and p.to_code == "en"
             and p.package_type == "translate"]
    return found[-1] if found else None


def fingerprint() -> str:
    """Which engine would run, for build caches: cheap (package metadata only)."""
    try:
        pkg = find_zh_en()
    except Exception:  # noqa: BLE001 - a broken package dir means no usable engine
        return "none"
    if pkg is None:
        return "none"
    metadata = pkg.path / "metadata.json"
    digest = hashlib.sha256(metadata.read_bytes() if metadata.is_file() else b"").hexdigest()[:12]
    return f"{pkg.label}:{digest}"


class ArgosEngine:
    """One loaded zh->en package: ``translate_batch(sentences) -> English sentences``."""

    def __init__(self, pkg: PackageInfo, threads: int = 1, batch_size: int = 64, decoding: Decoding | None = None,
                 parallel: str = "batches") -> None:
        """``parallel``: "batches" (default) runs ``threads`` batches at once, one thread each; "ops" runs one
        batch at a time on ``threads`` intra-op threads (the better layout for one sentence per call)."""
        require_mt(pkg.path)
        import ctranslate2
        import sentencepiece

        self.pkg = pkg
        self.name = pkg.label
        self.model_version = pkg.version
        self.decoding = decoding or Decoding(batch_size=max(1, batch_size))
        self.threads = max(1, threads)
        inter, intra = (self.threads, 1) if parallel == "batches" else (1, self.threads)
        self.batch_size = self.decoding.batch_size
        self.capped: list[bool] = []  # per sentence of the last translate_* call: output reached its cap
        self.produced: list[int] = []
        model = pkg.path / "model"
        spm_path = pkg.path / "sentencepiece.model"
        if not model.is_dir() or not spm_path.is_file():
            raise TranslationError(pkg.path, "this Argos package lacks model/ or sentencepiece.model; reinstall it")
        try:
            self.sp = sentencepiece.SentencePieceProcessor(model_file=str(spm_path))
            self.translator = ctranslate2.Translator(
                str(model), device="cpu", inter_threads=inter, intra_threads=intra, compute_type="auto"
            )
        except (RuntimeError, OSError, ValueError) as exc:
            raise TranslationError(pkg.path, f"cannot load this Argos package ({exc}); reinstall it") from None

    # -- Argos's tokenizer (argostranslate.tokenizer.SentencePieceTokenizer)
    def _encode(self, sentence: str) -> list[str]:
        return self.sp.encode(sentence, out_type=str)

    def _decode(self, pieces: list[str]) -> str:
        value = self.sp.decode_pieces(pieces).replace("▁", " ").replace("_", " ")
        prefix = self.pkg.target_prefix
        if prefix and value.startswith(prefix):
            value = value[len(prefix):]
        if value.startswith(" "):
            value = value[1:]
        return value

    def _run(self, tokenized: list[list[str]]) -> list[list[str]]:
        """Pieces out for pieces in, in input order; sets ``self.capped`` (one flag per sentence)."""
        out: list[list[str]] = [[] for _ in tokenized]
        self.capped = [False] * len(tokenized)
        self.produced = [0] * len(tokenized)  # pieces decoded per sentence (for benchmarks)
        lengths = [len(pieces) for pieces in tokenized]
        per_batch = min(self.decoding.batch_size, max(1, -(-len(tokenized) // self.threads)))  # a batch per thread
        submitted = []
        for batch in length_batches(lengths, per_batch, self.decoding.batch_tokens, self.decoding.max_padding):
            limit = self.decoding.cap(max(lengths[i] for i in batch))
            submitted.append((batch, limit, self._submit([tokenized[i] for i in batch], limit)))
        for batch, limit, pending in submitted:
            for i, pieces in zip(batch, self._collect(pending), strict=True):
                out[i] = pieces
                produced = len(pieces) - (1 if self.pkg.target_prefix else 0)
                self.produced[i] = produced
                self.capped[i] = produced >= min(limit, self.decoding.cap(lengths[i]))
        return out

    def _submit(self, batch: list[list[str]], max_decoding_length: int = ARGOS_MAX_DECODING) -> list:
        """Queue one batch on the translator's threads; :meth:`_collect` waits for it."""
        prefix = [[self.pkg.target_prefix]] * len(batch) if self.pkg.target_prefix else None
        try:
            return self.translator.translate_batch(
                batch,
                asynchronous=True,
                **self._options(prefix, max_decoding_length),
            )
        except (RuntimeError, ValueError) as exc:
            raise TranslationError(self.pkg.path, f"the translation engine failed: {exc}") from None

    def _collect(self, pending: list) -> list[list[str]]:
        try:
            return [list(result.result().hypotheses[0]) for result in pending]
        except (RuntimeError, ValueError) as exc:
            raise TranslationError(self.pkg.path, f"the translation engine failed: {exc}") from None

    def _options(self, prefix: list[list[str]] | None, max_decoding_length: int) -> dict:
        return {
            "target_prefix": prefix,
            "replace_unknowns": True,
            "max_batch_size": 0,  # the batch is already cut by length and token budget
            "beam_size": 4,
            "num_hypotheses": 1,
            "length_penalty": 0.2,
            "max_decoding_length": max_decoding_length,
            "repetition_penalty": self.decoding.repetition_penalty,
            "no_repeat_ngram_size": self.decoding.no_repeat_ngram_size,
        }


    def translate_texts(self, texts: list[str], split: Callable[[str], list[str]] | None = None) -> list[str]:
        """Translate whole texts as ``argostranslate.translate.translate`` does, all sentences batched."""
        if split is None:
            from noticepub.translate.segment import split_sentences as split
        layout: list[list[list[int]]] = []  # text -> paragraph -> indices into the sentence list
        tokenized: list[list[str]] = []
        for text in texts:
            paragraphs = []
            for paragraph in text.split("\n"):
                indices = []
                for sentence in split(paragraph):
                    indices.append(len(tokenized))
                    tokenized.append(self._encode(sentence))
                paragraphs.append(indices)
            layout.append(paragraphs)
        translated = self._run(tokenized)
        out = []
        for paragraphs in layout:
            values = [self._decode([p for i in indices for p in translated[i]]) for indices in paragraphs]
            out.append("\n".join(values).lstrip("\n"))
        return out

    def translate_batch(self, sentences: list[str]) -> list[str]:
        """Translate segments that are already sentences (the memory's unit)."""
        return self.translate_texts(sentences, split=lambda s: [s] if s else [])

    def translate_detailed(self, sentences: list[str]) -> list[tuple[str, bool]]:
        """(English, reached the decoding cap) per sentence."""
        out = self.translate_batch(sentences)
        flags = iter(self.capped)
        return [(text, next(flags) if sentence else False) for sentence, text in zip(sentences, out, strict=True)]


def package_metadata(path: Path) -> dict:
    return json.loads((path / "metadata.json").read_text(encoding="utf-8"))
