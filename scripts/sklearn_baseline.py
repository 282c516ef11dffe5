#!/usr/bin/env python3
"""scikit-learn baseline for `triage eval`: same rows, same folds, same metrics, same JSON.

Model (fixed; the usual strong linear baseline for short ticket text):
  features   FeatureUnion of
               TfidfVectorizer(analyzer="word",    ngram_range=(1, 2), sublinear_tf=True)
               TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
             (other options at their defaults: lowercase, min_df=1, l2 norm, smooth idf)
  classifier LinearSVC(C=1.0, random_state=0)  -- C=1.0 is scikit-learn's default
  confidence CalibratedClassifierCV(that LinearSVC, cv=3, method="sigmoid") (ensemble=True):
             top label = argmax of predict_proba, confidence = its probability
  rare labels CalibratedClassifierCV(cv=3) refuses labels with fewer than 3 training rows, so the
             baseline trains without those rows (on ATA about 0.3% of a fold; such labels are never
             predicted, their test rows still count, as errors; they never count toward macro-F1)

Rows (as Sources/TriageCore/Classify/Eval/LabelledTable.swift):
  CSV (RFC 4180, header row, UTF-8, BOM ignored, blank lines skipped, every record as many fields
  as the header) or JSONL (`.jsonl`/`.ndjson`, or first non-space byte `{`); label = label column
  stripped of space/tab/CR/LF, rows with an empty label dropped; text = the non-empty text column
  values joined with one space. Folds: row i (after dropping) is in fold i % K; a fold trains on
  the other rows in file order; the out-of-fold predictions are pooled into one report, and a
  label counts toward macro-F1 when it has >= 40 training rows in every fold.

Metrics (as EvaluationReport.swift): accuracy and per-label precision/recall/F1 on the top label
of every row; macro_f1 = mean F1 over labels with >= 40 training rows; coverage = share of rows
with confidence >= threshold; precision_at_threshold = accuracy among those (0 if none);
coverage_at_precision_90 = largest share kept by a confidence cut-off (ties kept together) with
10*correct >= 9*kept (0 if none). Divisions by zero give 0.

Usage:
  python sklearn_baseline.py TRAIN [--test FILE | --folds K] --text COL[,COL...] --label COL
                             [--threshold 0.6] [--format text|json]
Per-fold timings go to stderr as `fold N: fit X s, predict Y s`.
"""
import argparse
import csv
import io
import json
import sys
import time

MINIMUM_TRAINING_ROWS = 40
CALIBRATION_FOLDS = 3


class TableError(Exception):
    pass


# ---------------------------------------------------------------- reading


def detect_format(path, data):
    lower = path.lower()
    if lower.endswith(".jsonl") or lower.endswith(".ndjson"):
        return "jsonl"
    stripped = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    stripped = stripped.lstrip(b" \t\r\n")
    return "jsonl" if stripped.startswith(b"{") else "csv"


def parse_csv(data):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise TableError(f"line {line}: not valid UTF-8")
    csv.field_size_limit(sys.maxsize)
    reader = csv.reader(_lines(text), strict=True)
    records = []
    try:
        for record in reader:
            if record:
                records.append((reader.line_num, record))
    except csv.Error as error:
        detail = "unterminated quoted field" if "unexpected end of data" in str(error) else str(error)
        raise TableError(f"line {reader.line_num}: {detail}")
    if not records:
        raise TableError("line 1: no header row")
    header = records[0][1]
    for line, record in records[1:]:
        if len(record) != len(header):
            raise TableError(f"line {line}: {len(record)} fields but the header has {len(header)}")
    return header, [record for _, record in records[1:]]


def _lines(text):
    """Lines ending in LF, CRLF or a lone CR, line ends kept (what open(newline='') yields)."""
    return io.StringIO(text, newline="")


def scalar_text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        number = float(value)
        if number == round(number) and abs(number) < 1e15:
            return str(int(number))
        return repr(number)
    return ""


def parse_jsonl(data):
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    header, seen, rows = [], set(), []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        raw = raw.rstrip(b" \t\r").lstrip(b" \t")
        if not raw:
            continue
        try:
            value = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise TableError(f"line {number}: not valid JSON: {error}")
        if not isinstance(value, dict):
            raise TableError(f"line {number}: not a JSON object")
        row = {}
        for key in sorted(value):
            if key not in seen:
                seen.add(key)
                header.append(key)
            row[key] = scalar_text(value[key])
        rows.append(row)
    return header, [[row.get(key, "") for key in header] for row in rows]


def read_examples(path, text_columns, label_column):
    with open(path, "rb") as handle:
        data = handle.read()
    kind = detect_format(path, data)
    header, rows = parse_csv(data) if kind == "csv" else parse_jsonl(data)
    index = {}
    for offset, name in enumerate(header):
        index.setdefault(name, offset)

    def column(name):
        if name not in index:
            place = "header" if kind == "csv" else "any object"
            listed = ", ".join(header) if header else "none"
            raise TableError(f"column '{name}' not in {place} (columns: {listed})")
        return index[name]

    text_offsets = [column(name) for name in text_columns]
    label_offset = column(label_column)
    examples = []
    for row in rows:
        label = row[label_offset].strip(" \t\r\n")
        if not label:
            continue
        text = " ".join(row[o] for o in text_offsets if row[o] != "")
        examples.append((text, label))
    return examples


# ---------------------------------------------------------------- metrics


def label_counts(labels):
    counts = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    return counts


def share(part, whole):
    return 0.0 if whole == 0 else part / whole


def largest_precise_cut(truth, top, confidence):
    order = sorted(range(len(confidence)), key=lambda i: -confidence[i])
    best = kept = correct = position = 0
    while position < len(order):
        level = confidence[order[position]]
        while position < len(order) and confidence[order[position]] == level:
            row = order[position]
            kept += 1
            correct += top[row] == truth[row]
            position += 1
        if correct * 10 >= kept * 9:
            best = kept
    return best


def make_report(truth, top, confidence, training_counts, threshold):
    assert len(truth) == len(top) == len(confidence)
    n = len(truth)
    support, predicted, hits = {}, {}, {}
    correct = kept = kept_correct = 0
    for t, p, c in zip(truth, top, confidence):
        support[t] = support.get(t, 0) + 1
        predicted[p] = predicted.get(p, 0) + 1
        right = p == t
        if right:
            correct += 1
            hits[p] = hits.get(p, 0) + 1
        if c >= threshold:
            kept += 1
            kept_correct += right
    macro_labels = sorted(label for label, count in training_counts.items() if count >= MINIMUM_TRAINING_ROWS)
    per_label = {}
    for label in set(support) | set(predicted) | set(macro_labels):
        tp = hits.get(label, 0)
        precision = share(tp, predicted.get(label, 0))
        recall = share(tp, support.get(label, 0))
        f1 = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
        per_label[label] = {"precision": precision, "recall": recall, "f1": f1, "support": support.get(label, 0)}
    f1_sum = 0.0
    for label in macro_labels:
        f1_sum += per_label[label]["f1"]
    return {
        "accuracy": share(correct, n),
        "macro_f1": f1_sum / len(macro_labels) if macro_labels else 0.0,
        "coverage": share(kept, n),
        "precision_at_threshold": share(kept_correct, kept),
        "coverage_at_precision_90": share(largest_precise_cut(truth, top, confidence), n),
        "per_label": per_label,
    }, macro_labels


def pooled_report(folds, threshold):
    """folds: list of (truth, top, confidence, training_counts)."""
    labels = set()
    for fold in folds:
        labels |= set(fold[3])
    counts = {label: min(fold[3].get(label, 0) for fold in folds) for label in labels}
    truth = [x for fold in folds for x in fold[0]]
    top = [x for fold in folds for x in fold[1]]
    confidence = [x for fold in folds for x in fold[2]]
    return make_report(truth, top, confidence, counts, threshold)


def fold_indices(count, k):
    return [[i for i in range(count) if i % k == f] for f in range(k)]


def render_text(report, macro_labels, threshold):
    t = f"{threshold:.2f}"
    headline = [
        ("accuracy", report["accuracy"]),
        (f"macro-F1 ({len(macro_labels)} labels with ≥ {MINIMUM_TRAINING_ROWS} training rows)", report["macro_f1"]),
        (f"coverage at confidence ≥ {t}", report["coverage"]),
        (f"precision at confidence ≥ {t}", report["precision_at_threshold"]),
        ("coverage at precision 0.90", report["coverage_at_precision_90"]),
    ]
    width = max(len(name) for name, _ in headline)
    lines = [f"{name.ljust(width)}  {value:.4f}" for name, value in headline] + [""]
    per_label = report["per_label"]
    labels = sorted(per_label, key=lambda label: (-per_label[label]["support"], label))
    label_width = max([5] + [len(label) + 2 for label in labels])
    macro = set(macro_labels)
    lines.append("label".ljust(label_width) + "precision".rjust(10) + "recall".rjust(8) + "f1".rjust(8) + "support".rjust(9))
    for label in labels:
        s = per_label[label]
        lines.append((label + (" *" if label in macro else "")).ljust(label_width) + f"{s['precision']:.4f}".rjust(10)
                     + f"{s['recall']:.4f}".rjust(8) + f"{s['f1']:.4f}".rjust(8) + str(s["support"]).rjust(9))
    lines.append("* counts toward macro-F1")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- model


def build_model():
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.pipeline import FeatureUnion, make_pipeline
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    features = FeatureUnion([
        ("word", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True)),
        ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)),
    ])
    svm = LinearSVC(C=1.0, random_state=0)
    return make_pipeline(features, CalibratedClassifierCV(svm, cv=CALIBRATION_FOLDS, method="sigmoid"))


def run_fold(number, training, test):
    import warnings
    model = build_model()
    counts = label_counts(label for _, label in training)
    fitted_rows = [(text, label) for text, label in training if counts[label] >= CALIBRATION_FOLDS]
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # liblinear convergence notes
        model.fit([text for text, _ in fitted_rows], [label for _, label in fitted_rows])
    fitted = time.perf_counter()
    probabilities = model.predict_proba([text for text, _ in test])
    predicted = time.perf_counter()
    classes = model.classes_
    best = probabilities.argmax(axis=1)
    top = [str(classes[i]) for i in best]
    confidence = [float(probabilities[row, i]) for row, i in enumerate(best)]
    print(f"fold {number}: fit {fitted - started:.3f} s, predict {predicted - fitted:.3f} s"
          f" ({len(training) - len(fitted_rows)} rows of labels with < {CALIBRATION_FOLDS} training rows left out)",
          file=sys.stderr)
    return ([label for _, label in test], top, confidence, counts)


def main(argv=None):
    parser = argparse.ArgumentParser(description="scikit-learn baseline for `triage eval`")
    parser.add_argument("train")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--test")
    group.add_argument("--folds", type=int)
    parser.add_argument("--text", required=True, help="text columns, comma-separated")
    parser.add_argument("--label", required=True)
    parser.add_argument("--threshold", type=float, default=0.6)
    parser.add_argument("--format", choices=["text", "json"], default="text")
    args = parser.parse_args(argv)
    text_columns = [c for c in args.text.split(",") if c]
    try:
        training = read_examples(args.train, text_columns, args.label)
        if args.test:
            folds = [run_fold(1, training, read_examples(args.test, text_columns, args.label))]
        else:
            if args.folds < 2:
                parser.error("--folds must be at least 2")
            folds = []
            for f in range(args.folds):
                test = [e for i, e in enumerate(training) if i % args.folds == f]
                rest = [e for i, e in enumerate(training) if i % args.folds != f]
                folds.append(run_fold(f + 1, rest, test))
    except (TableError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    report, macro_labels = pooled_report(folds, args.threshold)
    if args.format == "json":
        print(json.dumps(report, sort_keys=True))
    else:
        sys.stdout.write(render_text(report, macro_labels, args.threshold))
    return 0


if __name__ == "__main__":
    sys.exit(main())
