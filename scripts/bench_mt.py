#!/usr/bin/env python3
"""Machine-translation benchmark: batching, the runaway guard, and argostranslate, honestly compared.

On a genuine Argos package with random weights built by tests/argos_tiny.py (``tiny``: d64, 1+1
layers; ``base``: d512, 6+6 layers, 8 heads, FFN 2048 -- the shape of Argos's zh->en model), over
the seed's 72 sentences, each figure the median of ``--repeat`` runs:

* batched    -- noticepub's engine as `noticepub translate` runs it: length-sorted batches
                (mt_batch_size, mt_batch_tokens, mt_max_padding), decoding capped at 2 x source tokens + 10, and
                ``--threads`` batches translated side by side (one single-threaded replica each);
* per call   -- one call per sentence with IDENTICAL decoding settings (beam 4, length penalty 0.2, the
                same cap rule, the same repetition settings), on the same engine object (one thread
                busy: a call waits for the previous one) and on its best layout for single sentences
                (``--threads`` intra-op threads);
* argos      -- ``argostranslate.translate.translate`` once per sentence with its defaults (its own
                thread count, max 256 decoding steps, no cap), sentence splitting kept offline.

Speed is reported per core (segments per CPU-second of the process, all threads counted) and as
wall-clock segments/s on this machine's cores. Then the runaway guard: how many sentences reach 256
pieces without the cap, how many are stopped by it, and what repetition_penalty / no_repeat_ngram_size
change. ``--fixed-length`` repeats batched vs per call with every output forced to 1.3 x its source
(a real zh->en model's length; the random test model mostly stops after a few pieces).

    .venv/bin/python scripts/bench_mt.py [--model tiny|base|both] [--repeat 5] [--json FILE]

Prints `target …: met|missed` lines (base-sized model): batched >= 2x one call per sentence and >= 2x
argostranslate on this machine (wall clock, every core used as each side uses it best), and the same
per core. It is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "tests"))

MODELS = {
    "tiny": {},
    "base": {"d_model": 512, "layers": 6, "heads": 8, "ffn": 2048},
}


def seed_sentences() -> list[str]:
    import polib

    return [e.msgid for e in polib.pofile(str(REPO / "source_texts" / "fdc91a8a205b8552" / "en.po"))]


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    """Median wall seconds, median CPU seconds (all threads of the process), last result."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        result = fn()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return statistics.median(walls), statistics.median(cpus), result


def install_model(home: Path, size: str):
    """Build the test package, install it for argostranslate (throwaway home) and return its PackageInfo."""
    from argos_tiny import argos_env, build_argos_package

    os.environ.update(argos_env(home))
    import argostranslate.package
    import argostranslate.settings
    import argostranslate.translate

    packages_dir = Path(os.environ["ARGOS_PACKAGES_DIR"])
    packages_dir.mkdir(parents=True, exist_ok=True)
    argostranslate.settings.package_dirs = [packages_dir]
    argostranslate.settings.package_data_dir = packages_dir
    for old in packages_dir.iterdir():
        shutil.rmtree(old)
    argostranslate.package.install_from_path(build_argos_package(home / "build", seed=1, **MODELS[size]))

    class OfflineSentencizer:  # argos would download a MiniSBD model; each input is one sentence here
        def __init__(self, pkg):
            pass

        def split_sentences(self, text):
            return [text]

    argostranslate.translate.MiniSBDSentencizer = OfflineSentencizer
    argostranslate.translate.installed_translates.clear()
    argostranslate.translate.get_installed_languages.cache_clear()
    from noticepub.translate.engine import find_zh_en

    return find_zh_en()


def measure(size: str, repeat: int, threads: int | None = None) -> dict:
    import argostranslate.translate

    from noticepub.translate.engine import ARGOS_MAX_DECODING, ArgosEngine, Decoding

    threads = threads or os.cpu_count() or 1
    home = Path(tempfile.mkdtemp(prefix="noticepub-bench-mt-"))
    try:
        pkg = install_model(home, size)
        sentences = seed_sentences()
        n = len(sentences)
        out: dict = {"model": size, "shape": MODELS[size] or "argos_tiny defaults", "segments": n, "repeat": repeat,
                     "threads": threads, "cores": os.cpu_count()}
        settings = Decoding()
        engine = ArgosEngine(pkg, threads=threads, decoding=settings)
        single = ArgosEngine(pkg, threads=threads, decoding=settings, parallel="ops")
        for warm in (engine, single):
            warm.translate_batch(sentences[:4])  # load (not timed)

        def batched() -> list[str]:
            return engine.translate_batch(sentences)

        def per_call() -> list[str]:
            return [engine.translate_batch([s])[0] for s in sentences]

        def per_call_ops() -> list[str]:
            return [single.translate_batch([s])[0] for s in sentences]

        argostranslate.translate.translate(sentences[0], "zh", "en")  # load (not timed)

        def argos() -> list[str]:
            return [argostranslate.translate.translate(s, "zh", "en") for s in sentences]

        rows = {}
        for name, fn in (("batched", batched), ("per_call", per_call), ("per_call_ops", per_call_ops),
                         ("argos", argos)):
            wall, cpu, result = timed(fn, repeat)
            rows[name] = {"wall_s": wall, "cpu_s": cpu, "segments_per_s": n / wall,
                          "segments_per_cpu_s": n / cpu if cpu else float("nan"), "outputs": result}
        batched_out = rows["batched"].pop("outputs")
        per_call_out = rows["per_call"].pop("outputs")
        rows["per_call_ops"].pop("outputs")
        argos_out = rows["argos"].pop("outputs")
        out["rows"] = rows
        out["batched_equals_per_call"] = sum(a == b for a, b in zip(batched_out, per_call_out, strict=True))
        out["per_call_equals_argos"] = sum(a == b for a, b in zip(per_call_out, argos_out, strict=True))
        engine.translate_batch(sentences)
        out["capped_batched"] = sum(engine.capped)
        for name in ("per_call", "per_call_ops", "argos"):
            out[f"speedup_vs_{name}_per_core"] = rows["batched"]["segments_per_cpu_s"] / rows[name]["segments_per_cpu_s"]
            out[f"speedup_vs_{name}_wall"] = rows["batched"]["segments_per_s"] / rows[name]["segments_per_s"]

        # The runaway guard and CTranslate2's repetition controls (batched, same sentences).
        guard = []
        variants = [
            ("no cap (256, as argos)", Decoding(max_length_ratio=1000.0, max_length_extra=ARGOS_MAX_DECODING)),
            ("cap 2x+10 (default)", settings),
            ("cap + repetition_penalty 1.2", Decoding(repetition_penalty=1.2)),
            ("cap + no_repeat_ngram_size 3", Decoding(no_repeat_ngram_size=3)),
        ]
        for label, decoding in variants:
            variant = ArgosEngine(pkg, threads=threads, decoding=decoding)
            wall, cpu, result = timed(lambda v=variant: v.translate_batch(sentences), repeat)
            pieces = variant.produced
            guard.append({"variant": label, "wall_s": wall, "cpu_s": cpu, "capped": sum(variant.capped),
                          "at_256": sum(p >= ARGOS_MAX_DECODING - 2 for p in pieces), "longest": max(pieces),
                          "mean_pieces": statistics.mean(pieces)})
        out["guard"] = guard
        return out
    finally:
        shutil.rmtree(home, ignore_errors=True)


def fixed_length_run(engine, sentences: list[str], ratio: float = 1.3, batched: bool = True) -> list[list[str]]:
    """Decode with a realistic decoder load: each batch's outputs are exactly ``ratio`` x its longest source.

    With random weights most outputs end after a few pieces, so the encoder dominates and batching has
    little to save; a real zh->en model writes about 1.3 English pieces per Chinese piece. Batches are
    the engine's own (length-sorted, token budget, one per thread at least), submitted side by side;
    ``batched=False`` decodes the same sentences one call each, forced to the SAME length as in their
    batch: identical settings, identical work per sentence, only the batching differs.
    """
    from noticepub.translate.engine import length_batches

    tokenized = [engine._encode(s) for s in sentences]
    lengths = [len(t) for t in tokenized]
    out: list[list[str]] = [[] for _ in tokenized]
    options = {"replace_unknowns": True, "beam_size": 4, "num_hypotheses": 1, "length_penalty": 0.2}
    per_batch = min(engine.decoding.batch_size, max(1, -(-len(tokenized) // engine.threads)))
    pending = []
    for batch in length_batches(lengths, per_batch, engine.decoding.batch_tokens, engine.decoding.max_padding):
        n = max(1, round(ratio * max(lengths[i] for i in batch)))
        for group in [batch] if batched else [[i] for i in batch]:
            results = engine.translator.translate_batch([tokenized[i] for i in group], min_decoding_length=n,
                                                        max_decoding_length=n, asynchronous=batched, **options)
            pending.append((group, results))
    for group, results in pending:
        for i, result in zip(group, results, strict=True):
            out[i] = list((result.result() if batched else result).hypotheses[0])
    return out


def measure_fixed(size: str, repeat: int, threads: int | None = None) -> dict:
    """Batched vs one call per sentence with every output forced to 1.3 x its batch's longest source."""
    from noticepub.translate.engine import ArgosEngine, find_zh_en

    threads = threads or os.cpu_count() or 1
    home = Path(tempfile.mkdtemp(prefix="noticepub-bench-mt-"))
    try:
        install_model(home, size)
        engine = ArgosEngine(find_zh_en(), threads=threads)
        single = ArgosEngine(find_zh_en(), threads=threads, parallel="ops")
        sentences = seed_sentences()
        n = len(sentences)
        fixed_length_run(engine, sentences[:2])
        fixed_length_run(single, sentences[:2], batched=False)
        bw, bc, _ = timed(lambda: fixed_length_run(engine, sentences), repeat)
        sw, sc, _ = timed(lambda: fixed_length_run(single, sentences, batched=False), repeat)
        return {"model": size, "segments": n, "repeat": repeat, "threads": threads, "batched_wall_s": bw,
                "batched_cpu_s": bc, "per_call_wall_s": sw, "per_call_cpu_s": sc, "speedup_per_core": sc / bc,
                "speedup_wall": sw / bw, "batched_segments_per_cpu_s": n / bc, "per_call_segments_per_cpu_s": n / sc}
    finally:
        shutil.rmtree(home, ignore_errors=True)


def report(m: dict) -> list[str]:
    r = m["rows"]
    lines = [f"MT {m['model']} model ({m['shape']}), {m['segments']} seed sentences, median of {m['repeat']}, "
             f"mt_threads={m['threads']} on {m['cores']} cores:"]
    for name, label in (("batched", "batched (noticepub translate)"),
                        ("per_call", "one call per sentence, same engine"),
                        ("per_call_ops", "one call per sentence, intra-op threads"),
                        ("argos", "argostranslate.translate, its defaults")):
        lines.append(f"  {label:<42} {r[name]['wall_s']:7.2f} s wall {r[name]['cpu_s']:7.2f} s CPU  "
                     f"{r[name]['segments_per_s']:7.1f} seg/s  {r[name]['segments_per_cpu_s']:7.1f} seg/CPU-s")
    lines.append(f"  speed-up on this machine (wall): {m['speedup_vs_per_call_ops_wall']:.2f}x vs one call per "
                 f"sentence on its best layout ({m['speedup_vs_per_call_wall']:.2f}x vs the same engine), "
                 f"{m['speedup_vs_argos_wall']:.2f}x vs argostranslate")
    lines.append(f"  speed-up per core: {m['speedup_vs_per_call_per_core']:.2f}x vs one call per sentence "
                 f"({m['speedup_vs_per_call_ops_per_core']:.2f}x vs intra-op threads), "
                 f"{m['speedup_vs_argos_per_core']:.2f}x vs argostranslate")
    lines.append(f"  same output: batched = per call {m['batched_equals_per_call']}/{m['segments']}, "
                 f"per call = argostranslate {m['per_call_equals_argos']}/{m['segments']}; "
                 f"stopped at the cap: {m['capped_batched']}")
    for g in m["guard"]:
        lines.append(f"  guard: {g['variant']:<30} {g['wall_s']:7.2f} s wall, {g['capped']:3d} capped, "
                     f"{g['at_256']:3d} at 256 pieces, longest {g['longest']}, mean {g['mean_pieces']:.1f} pieces")
    return lines


def targets(results: list[dict]) -> list[tuple[str, bool, str]]:
    out = []
    for m in results:
        if m["model"] != "base":
            continue
        cores = f"{m['threads']} threads on {m['cores']} cores"
        a, b = m["speedup_vs_per_call_ops_wall"], m["speedup_vs_argos_wall"]
        out.append((f"batched MT >= 2x one call per sentence at equal settings (wall, {cores}, base model)", a >= 2,
                    f"{a:.2f}x; same engine {m['speedup_vs_per_call_wall']:.2f}x"))
        out.append((f"batched MT >= 2x argostranslate with its defaults (wall, {cores}, base model)", b >= 2,
                    f"{b:.2f}x"))
        c, d = m["speedup_vs_per_call_per_core"], m["speedup_vs_argos_per_core"]
        out.append(("batched MT >= 2x one call per sentence at equal settings (per core, base model)", c >= 2,
                    f"{c:.2f}x"))
        out.append(("batched MT >= 2x argostranslate with its defaults (per core, base model)", d >= 2, f"{d:.2f}x"))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=("tiny", "base", "both"), default="both")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--threads", type=int, default=None, help="mt_threads (default: the number of cores)")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--fixed-length", action=argparse.BooleanOptionalAction, default=True,
                        help="also time outputs forced to 1.3x the source length (realistic decoder load)")
    parser.add_argument("--natural", action=argparse.BooleanOptionalAction, default=True,
                        help="time the model's own decoding (batched, per call, argostranslate, guard)")
    args = parser.parse_args(argv)
    sizes = ["tiny", "base"] if args.model == "both" else [args.model]
    results = []
    for size in sizes if args.natural else []:
        m = measure(size, args.repeat, args.threads)
        results.append(m)
        print("\n".join(report(m)), flush=True)
    fixed = []
    if args.fixed_length:
        for size in sizes:
            f = measure_fixed(size, args.repeat, args.threads)
            fixed.append(f)
            print(f"MT {size} model, outputs forced to 1.3x source length (realistic decoder load), median of "
                  f"{f['repeat']}: batched {f['batched_cpu_s']:.2f} s CPU "
                  f"({f['batched_segments_per_cpu_s']:.1f} seg/CPU-s), one call per sentence "
                  f"{f['per_call_cpu_s']:.2f} s CPU ({f['per_call_segments_per_cpu_s']:.1f} seg/CPU-s): "
                  f"{f['speedup_per_core']:.2f}x per core ({f['speedup_wall']:.2f}x wall)", flush=True)
    found = targets(results)
    for f in fixed:
        if f["model"] == "base":
            found.append(("batched MT >= 2x one call per sentence, realistic output length (wall, base model)",
                          f["speedup_wall"] >= 2, f"{f['speedup_wall']:.2f}x; per core {f['speedup_per_core']:.2f}x"))
    for name, met, figure in found:
        print(f"target {name}: {'met' if met else 'missed'} ({figure})")
    if args.json:
        found_json = [{"name": t, "met": ok, "figure": f} for t, ok, f in found]
        args.json.write_text(json.dumps({"mt": results, "fixed_length": fixed, "targets": found_json}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
