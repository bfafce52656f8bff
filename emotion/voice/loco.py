"""Leave-one-corpus-out (LOCO) evaluation: how the voice model does on recordings it never heard.

For each corpus in turn, a classifier is trained on all the others and scored on it: other
speakers, language, microphone and room. This is the figure models are chosen on. Two modes:

- single clip: the clip alone, features scaled by the training set's statistics;
- speaker adaptive: features relative to the speaker's own (see `normalise`), with statistics
  from all of the speaker's clips, from a session of a few clips, from a session with a lopsided
  emotion mix, or from the speaker's neutral speech only.

Probabilities are calibrated by a temperature fitted on the other folds' predictions (never on
the corpus being scored), so the ECE and confidence figures are those of held-out corpora too.
In single-clip mode the temperature also grows with the clip's novelty (its distance from the
fold's training clips, see `novelty`): recordings unlike any trained on are judged less surely.

Besides the feature-vector candidates, a convolutional net on log-mel spectrograms can be scored
the same way (`spectrogram_candidate`), and any candidate can be trained without some corpora
(`unused`), to see what each corpus buys.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from emotion.calibration import (
    apply_novelty_temperature,
    confidence_gap,
    expected_calibration_error,
    fit_novelty_temperature,
    fit_temperature,
    reliability_table,
)
from emotion.labels import EMOTIONS
from emotion.metrics import classification_report
from emotion.voice.architectures import SPECTROGRAM_CNN
from emotion.voice.corpus import EVALUATION_ONLY, SPECTROGRAMS_VERSION, VoiceCorpus
from emotion.voice.inputs import FEATURE_SETS
from emotion.voice.normalise import normalise_by_group, within_speaker_std
from emotion.voice.novelty import NoveltyReference, fit_novelty, novelty
from emotion.voice.spectrogram import without_clip_mean
from emotion.voice.training import TrainSettings, fit_classifier, predict_probabilities
from emotion.whole_files import save_arrays

ALL_FEATURES = "all"
LOGMEL = "logmel"
"""The spectrogram "feature set": the clean clips' log-mel spectrograms (see `spectrogram`)."""
Mode = Literal["single", "adaptive"]
SESSION_SIZES = (2, 3, 5, 10, 20)
LOPSIDED_CLIPS = 10
LOPSIDED_SHARE = 0.7
"""How much of a speaker the adaptive mode has heard before judging (see `reference_masks`). No
session of one clip: the app's first clip of a speaker is its own reference, and relative to
itself a clip is all zeros, so it is judged alone."""


def session_name(size: int) -> str:
    """The session kind of `size` clips of a speaker heard, as the LOCO tables name it."""
    return f"session of {size}"


@dataclass(frozen=True)
class Config:
    """One candidate voice model: its features, classifier, training and mode; or, with
    `members`, the average of several such models' probabilities (an ensemble, which reads the
    whole feature vector and gives each member its columns)."""

    feature_set: str = ALL_FEATURES
    mode: Mode = "single"
    settings: TrainSettings = field(default_factory=TrainSettings)
    members: tuple[Config, ...] = ()

    def describe(self) -> dict[str, Any]:
        """The candidate as JSON."""
        described: dict[str, Any] = {
            "feature_set": self.feature_set,
            "mode": self.mode,
            "classifier": "ensemble" if self.members else self.settings.classifier,
            "augment": self.settings.augment,
        }
        if self.members:
            described["members"] = [
                f"{m.settings.classifier} on {m.feature_set}" for m in self.members
            ]
        return described


def config_json(config: Config) -> dict[str, Any]:
    """Everything that defines a candidate, as JSON (see `config_from_json`)."""
    return {
        "feature_set": config.feature_set,
        "mode": config.mode,
        "settings": asdict(config.settings),
        "members": [config_json(member) for member in config.members],
    }


def config_from_json(described: dict[str, Any]) -> Config:
    """The candidate `config_json` wrote."""
    return Config(
        described["feature_set"],
        described["mode"],
        TrainSettings(**described["settings"]),
        tuple(config_from_json(member) for member in described["members"]),
    )


def ensemble(members: list[Config]) -> Config:
    """The candidate averaging `members` (all of one mode)."""
    return Config(ALL_FEATURES, members[0].mode, members[0].settings, tuple(members))


def mean_sessions(folds: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Several models' probabilities per session kind, averaged."""
    return {session: np.mean([fold[session] for fold in folds], axis=0) for session in folds[0]}


def speaker_keys(corpus: VoiceCorpus) -> np.ndarray:
    """One key per speaker across corpora (`dataset/group`)."""
    return np.char.add(np.char.add(corpus.datasets.astype(str), "/"), corpus.groups.astype(str))


def trainable(corpus: VoiceCorpus) -> np.ndarray:
    """Clips whose corpus licence allows training the shipped model."""
    return ~np.isin(corpus.datasets, list(EVALUATION_ONLY))


def columns(corpus: VoiceCorpus, feature_set: str) -> np.ndarray:
    """(variants, n, d) features of one feature set, or for LOGMEL (1, n, frames, bands)."""
    if feature_set == LOGMEL:
        if corpus.spectrograms is None:
            raise ValueError("the spectrogram candidate needs `with_spectrograms(corpus)`")
        return corpus.spectrograms[None]
    return corpus.features[..., FEATURE_SETS[feature_set]]


def spectrogram_candidate(mode: Mode) -> Config:
    """The convolutional candidate on log-mel spectrograms (clean clips only: augmentation is
    drawn on feature vectors), with the training that suits a net of its size."""
    settings = TrainSettings(
        classifier=SPECTROGRAM_CNN,
        noise=0.1,
        dropout=0.5,
        epochs=12,
        batch_size=128,
        learning_rate=2e-3,
        augment=False,
    )
    return Config(LOGMEL, mode, settings)


def adaptive_features(
    features: np.ndarray, keys: np.ndarray, prior_std: np.ndarray, reference: np.ndarray | None
) -> np.ndarray:
    """Every variant of (variants, n, d) features normalised per speaker."""
    return np.stack([normalise_by_group(v, keys, prior_std, reference) for v in features])


def reference_masks(
    labels: np.ndarray, keys: np.ndarray, rng: np.random.Generator
) -> dict[str, np.ndarray | None]:
    """Which clips of each speaker the statistics come from, per kind of session.

    "all clips": every clip of the speaker; "session of N": N clips drawn at random (what the
    app has heard after N clips); "lopsided session": 10 clips, 70% of them of one emotion;
    "neutral reference": the speaker's neutral clips (all clips for speakers who have none).
    """
    masks: dict[str, np.ndarray | None] = {"all clips": None}
    for size in SESSION_SIZES:
        masks[session_name(size)] = np.zeros(len(labels), dtype=bool)
    lopsided = np.zeros(len(labels), dtype=bool)
    for key in np.unique(keys):
        mine = np.flatnonzero(keys == key)
        for size in SESSION_SIZES:
            heard = rng.choice(mine, min(size, len(mine)), replace=False)
            masks[session_name(size)][heard] = True
        dominant = rng.choice(np.unique(labels[mine]))
        heavy = mine[labels[mine] == dominant]
        light = mine[labels[mine] != dominant]
        n_heavy = min(len(heavy), round(LOPSIDED_CLIPS * LOPSIDED_SHARE))
        n_light = min(len(light), LOPSIDED_CLIPS - n_heavy)
        lopsided[rng.choice(heavy, n_heavy, replace=False)] = True
        lopsided[rng.choice(light, n_light, replace=False)] = True
    masks["lopsided session"] = lopsided
    masks["neutral reference"] = labels == EMOTIONS.index("neutral")
    return masks


def session_masks(labels: np.ndarray, keys: np.ndarray, seed: int) -> dict[str, np.ndarray | None]:
    """`reference_masks` as a fold of a candidate with this `seed` draws them (the same draws
    every time, so that the clips each session heard can be counted again)."""
    return reference_masks(labels, keys, np.random.default_rng(seed))


def heard_clips(keys: np.ndarray, reference: np.ndarray | None) -> np.ndarray:
    """Per clip, how many of its speaker's clips the statistics come from (as
    `normalise_by_group` takes them: all of them when the reference has none)."""
    heard = np.zeros(len(keys), np.int64)
    for key in np.unique(keys):
        mine = keys == key
        chosen = int(np.sum(reference[mine])) if reference is not None else 0
        heard[mine] = chosen or int(np.sum(mine))
    return heard


def fold_predictions(
    corpus: VoiceCorpus, config: Config, train: np.ndarray, test: np.ndarray
) -> dict[str, np.ndarray]:
    """Probabilities on the `test` clips (clean) of a model trained on the `train` clips.

    Single mode gives one entry ("single clip"); adaptive mode one per session kind.
    """
    if config.members:
        return mean_sessions([fold_predictions(corpus, m, train, test) for m in config.members])
    raw = columns(corpus, config.feature_set)
    if config.mode == "single" and config.feature_set == LOGMEL:
        raw = without_clip_mean(raw)
    if config.mode == "single":
        model = fit_classifier(
            raw[:, train], corpus.labels[train], corpus.datasets[train], config.settings
        )
        return {"single clip": predict_probabilities(model, raw[0, test])}
    keys = speaker_keys(corpus)
    prior = within_speaker_std(raw[0, train], keys[train])
    train_x = adaptive_features(raw[:, train], keys[train], prior, None)
    model = fit_classifier(train_x, corpus.labels[train], corpus.datasets[train], config.settings)
    masks = session_masks(corpus.labels[test], keys[test], config.settings.seed)
    return {
        session: predict_probabilities(
            model, normalise_by_group(raw[0, test], keys[test], prior, mask)
        )
        for session, mask in masks.items()
    }


def loco_folds(
    corpus: VoiceCorpus, unused: frozenset[str] = frozenset()
) -> Iterator[tuple[str, np.ndarray, np.ndarray]]:
    """(left-out corpus, train mask, test mask) for every corpus in the data; corpora in
    `unused` are scored when left out but never trained on."""
    for dataset in dict.fromkeys(corpus.datasets.tolist()):
        test = corpus.datasets == dataset
        yield dataset, trainable(corpus) & ~test & ~np.isin(corpus.datasets, list(unused)), test


def score(probabilities: np.ndarray, labels: np.ndarray) -> dict[str, Any]:
    """Accuracy, macro-F1 (over the emotions the data has), ECE and confidence gap; the recall
    of each emotion the data has and the share of predictions that go to each emotion, which
    show a model that says one emotion to most clips (a collapse accuracy can hide)."""
    predicted = probabilities.argmax(axis=1)
    report = classification_report([EMOTIONS[i] for i in labels], [EMOTIONS[i] for i in predicted])
    recall = {e: r for e, r in report["per_class_recall"].items() if r is not None}
    shares = np.bincount(predicted, minlength=len(EMOTIONS)) / max(len(predicted), 1)
    return {
        "n": report["n"],
        "accuracy": report["accuracy"],
        "macro_f1": report["macro_f1"],
        "emotions": list(recall),
        "per_class_recall": recall,
        "prediction_shares": dict(zip(EMOTIONS, shares.tolist(), strict=True)),
        "ece": expected_calibration_error(probabilities, labels),
        "confidence": confidence_gap(probabilities, labels),
    }


def recall_summary(rows: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Each emotion's recall averaged over the corpora that have it, and the lowest of these:
    a candidate that rarely says some emotion is worse even at equal macro-F1."""
    means = {
        emotion: float(np.mean(found))
        for emotion in EMOTIONS
        if (
            found := [
                row["per_class_recall"][emotion]
                for row in rows.values()
                if emotion in row["per_class_recall"]
            ]
        )
    }
    lowest = min(means, key=means.__getitem__)
    return {"mean_per_emotion": means, "lowest": {"emotion": lowest, "recall": means[lowest]}}


def fitted_calibration(
    predictions: dict[str, np.ndarray],
    labels: dict[str, np.ndarray],
    novelties: dict[str, np.ndarray] | None,
    datasets: list[str],
) -> dict[str, float]:
    """The temperature (and, with novelties, its novelty power) fitted on `datasets`' folds."""
    p = np.concatenate([predictions[d] for d in datasets])
    y = np.concatenate([labels[d] for d in datasets])
    if novelties is None:
        return {"temperature": fit_temperature(p, y)}
    n = np.concatenate([novelties[d] for d in datasets])
    temperature, power = fit_novelty_temperature(p, y, n)
    return {"temperature": temperature, "novelty_power": power}


def calibrate(
    probabilities: np.ndarray, calibration: dict[str, float], novelty: np.ndarray | None
) -> np.ndarray:
    """`probabilities` scaled by a `fitted_calibration` (one without a novelty power is a plain
    temperature)."""
    return apply_novelty_temperature(
        probabilities,
        1.0 if novelty is None else novelty,
        calibration["temperature"],
        calibration.get("novelty_power", 0.0),
    )


def served_calibration(table: dict[str, Any]) -> dict[str, float]:
    """What the app applies in a mode: the calibration fitted on all folds of its table."""
    return {key: table[key] for key in ("temperature", "novelty_power") if key in table}


def calibrated_predictions(
    predictions: dict[str, np.ndarray],
    labels: dict[str, np.ndarray],
    novelties: dict[str, np.ndarray] | None = None,
) -> tuple[dict[str, np.ndarray], dict[str, dict[str, float]]]:
    """Each corpus's probabilities after a calibration fitted on the other corpora's
    predictions, and that calibration."""
    calibrated, calibrations = {}, {}
    for dataset in predictions:
        others = [d for d in predictions if d != dataset]
        calibrations[dataset] = fitted_calibration(predictions, labels, novelties, others)
        calibrated[dataset] = calibrate(
            predictions[dataset], calibrations[dataset], novelties[dataset] if novelties else None
        )
    return calibrated, calibrations


def calibrated_table(
    predictions: dict[str, np.ndarray],
    labels: dict[str, np.ndarray],
    novelties: dict[str, np.ndarray] | None = None,
) -> dict[str, Any]:
    """Per-corpus scores after a calibration fitted on the other corpora's predictions (a
    temperature, raised by each clip's novelty when `novelties` are given), with the mean over
    corpora, pooled ECE and confidence gap, and the calibration fitted on all folds."""
    calibrated, calibrations = calibrated_predictions(predictions, labels, novelties)
    table = scored_table(calibrated, labels)
    for dataset, row in table["corpora"].items():
        row["ece_uncalibrated"] = expected_calibration_error(predictions[dataset], labels[dataset])
        row.update(calibrations[dataset])
    return {**table, **fitted_calibration(predictions, labels, novelties, list(predictions))}


def scored_table(
    calibrated: dict[str, np.ndarray], labels: dict[str, np.ndarray]
) -> dict[str, Any]:
    """Per-corpus scores of calibrated probabilities, with the mean over corpora, the recall
    of each emotion, pooled ECE and the confidence gap."""
    rows = {dataset: score(calibrated[dataset], labels[dataset]) for dataset in calibrated}
    pooled_p = np.concatenate(list(calibrated.values()))
    pooled_y = np.concatenate([labels[dataset] for dataset in calibrated])
    return {
        "corpora": rows,
        "mean": {
            key: float(np.mean([row[key] for row in rows.values()]))
            for key in ("accuracy", "macro_f1", "ece")
        },
        "recall": recall_summary(rows),
        "pooled_ece": expected_calibration_error(pooled_p, pooled_y),
        "reliability": reliability_table(pooled_p, pooled_y),
        "confidence": confidence_gap(pooled_p, pooled_y),
    }


def fold_file(
    work_dir: Path,
    corpus: VoiceCorpus,
    config: Config,
    dataset: str,
    unused: frozenset[str] = frozenset(),
) -> Path:
    """Where one fold's predictions are kept, named by everything they depend on."""
    depends: tuple[Any, ...] = (config, corpus.features.shape, dataset)
    if unused:
        depends += (sorted(unused),)
    if config.feature_set == LOGMEL:
        depends += (f"spectrograms {SPECTROGRAMS_VERSION}",)
    if config.mode == "adaptive":
        depends += (f"sessions {SESSION_SIZES}",)
    digest = hashlib.sha256(repr(depends).encode())
    return work_dir / f"loco-{dataset}-{digest.hexdigest()[:12]}.npz"


def kept_fold_predictions(
    corpus: VoiceCorpus,
    config: Config,
    fold: tuple[str, np.ndarray, np.ndarray],
    work_dir: Path | None,
    unused: frozenset[str] = frozenset(),
) -> dict[str, np.ndarray]:
    """`fold_predictions` of one LOCO fold, kept in `work_dir` (an ensemble's members each);
    `unused`: the corpora the fold's training leaves out besides the scored one."""
    dataset, train, test = fold
    if config.members:
        return mean_sessions(
            [kept_fold_predictions(corpus, m, fold, work_dir, unused) for m in config.members]
        )
    kept = fold_file(work_dir, corpus, config, dataset, unused) if work_dir else None
    if kept is not None and kept.is_file():
        with np.load(kept) as stored:
            return {session: stored[session] for session in stored.files}
    print(f"  LOCO {config.describe()}: leaving out {dataset}", file=sys.stderr)
    predictions = fold_predictions(corpus, config, train, test)
    if kept is not None:
        save_arrays(kept, **predictions)
    return predictions


def loco(
    corpus: VoiceCorpus,
    config: Config,
    work_dir: Path | None = None,
    unused: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """The LOCO table of one candidate: per session kind (one for single mode), the calibrated
    per-corpus scores and their mean. With `work_dir`, each fold's predictions are kept there,
    so an interrupted comparison resumes with the next fold. Corpora in `unused` are never
    trained on (what a corpus buys: the table without it)."""
    predictions, labels, novelties = loco_predictions(corpus, config, work_dir, unused)
    return {
        session: calibrated_table(table, labels, novelties)
        for session, table in predictions.items()
    }


def loco_predictions(
    corpus: VoiceCorpus,
    config: Config,
    work_dir: Path | None = None,
    unused: frozenset[str] = frozenset(),
) -> tuple[dict[str, dict[str, np.ndarray]], dict[str, np.ndarray], dict[str, np.ndarray] | None]:
    """A candidate's uncalibrated LOCO probabilities (per session kind, then per left-out
    corpus), each corpus's labels, and in single mode each clip's novelty (else None)."""
    predictions: dict[str, dict[str, np.ndarray]] = {}
    labels: dict[str, np.ndarray] = {}
    novelties: dict[str, np.ndarray] = {}
    for dataset, train, test in loco_folds(corpus, unused):
        fold = kept_fold_predictions(corpus, config, (dataset, train, test), work_dir, unused)
        for session, probabilities in fold.items():
            predictions.setdefault(session, {})[dataset] = probabilities
        labels[dataset] = corpus.labels[test]
        if config.mode == "single":
            reference = novelty_reference(corpus, train)
            novelties[dataset] = novelty(reference, clean_vectors(corpus)[test])
    return predictions, labels, novelties or None


def clean_vectors(corpus: VoiceCorpus) -> np.ndarray:
    """(n, d) every feature of each clip as recorded (no augmentation)."""
    return corpus.features[0]


def novelty_reference(corpus: VoiceCorpus, train: np.ndarray) -> NoveltyReference:
    """What the `train` clips (as recorded) are like, to measure other clips' novelty by."""
    return fit_novelty(clean_vectors(corpus)[train])


def speaker_independent(corpus: VoiceCorpus, config: Config) -> dict[str, Any]:
    """Within-corpus scores on each corpus's test speakers, training on the train speakers of
    every trainable corpus (the secondary column: it flatters, as the speakers' corpora and
    microphones were seen in training)."""
    train = trainable(corpus) & (corpus.splits == "train")
    test = corpus.splits == "test"
    session = "single clip" if config.mode == "single" else "all clips"
    probabilities = fold_predictions(corpus, config, train, test)[session]
    labels, datasets = corpus.labels[test], corpus.datasets[test]
    return {
        dataset: score(probabilities[datasets == dataset], labels[datasets == dataset])
        for dataset in dict.fromkeys(datasets.tolist())
    }
