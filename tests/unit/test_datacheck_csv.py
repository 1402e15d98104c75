"""Data checks on CSV files: image manifests (single- and multi-label encodings) and tabular data."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tests.unit.datacheck_fixtures import image_bytes, write, write_csv
from wizard.datacheck import scan
from wizard.errors import DataError


def _images(folder: Path, names: list[str]) -> None:
    for i, name in enumerate(names):
        write(folder / name, image_bytes(seed=1000 + i))


def test_manifest_columns_are_found_and_row_problems_reported(tmp_path: Path) -> None:
    names = [f"img_{i:02d}" for i in range(24)]
    _images(tmp_path / "images", [n + ".jpg" for n in names] + ["forgotten.jpg"])
    rows = [[n, "cat" if i % 2 else "dog", "val" if i >= 20 else "train"] for i, n in enumerate(names)]
    rows[3][1] = ""                                    # no label
    rows.append(["img_99", "cat", "train"])            # file does not exist
    rows.append(["img_05", "cat", "train"])            # the same row twice
    rows.append(["img_06", "cat", "train"])            # the same image with another label
    rows.append(["img_07", "cat", "holdout"])          # unknown split value
    rows[21][1] = "cow"                                # a validation label training never shows
    csv = write_csv(tmp_path / "labels.csv", ["file_id", "species", "split"], rows)
    report = scan(csv, workers=1)
    assert report.layout == "csv-manifest"
    assert (report.image_column, report.label_column) == ("file_id", "species")
    assert report.label_format == "class names in column 'species'"
    found = {c.id: c for c in report.checks}
    assert found["missing-file"].examples == ["row 26: img_99"]
    assert found["missing-label"].examples == ["row 5: images/img_03.jpg"]
    assert found["repeated-rows"].examples == ["row 27: images/img_05.jpg", "row 29: images/img_07.jpg"]
    assert found["conflicting-rows"].examples == ["images/img_06.jpg: cat, dog"]
    assert found["unknown-split"].examples == ["row 29: split=holdout"]
    assert found["unlisted-file"].examples == ["images/forgotten.jpg"]
    assert found["val-label-not-in-train"].examples == ["val: 'cow' (1)"]
    assert all(found[i].severity == "error" for i in ("missing-file", "missing-label", "conflicting-rows"))
    assert found["unlisted-file"].severity == "warning"
    assert report.split_sizes == {"train": 19, "val": 4}


def test_a_folder_with_a_manifest_is_read_through_it(tmp_path: Path) -> None:
    _images(tmp_path / "pics", [f"{i}.png" for i in range(20)])
    write_csv(tmp_path / "metadata.csv", ["file_name", "label"],
              [[f"pics/{i}.png", i % 2] for i in range(20)])
    report = scan(tmp_path, workers=1)
    assert report.layout == "csv-manifest"
    assert report.label_format == "class indices 0..1 in column 'label'"
    assert report.splits == {"train": {"0": 10, "1": 10}}


@pytest.mark.parametrize("sep", [" ", "|", ";", ","])
def test_multilabel_separated_strings(tmp_path: Path, sep: str) -> None:
    combos = [["cat"], ["dog"], ["cat", "dog"], ["bird"], ["cat", "bird"], ["dog", "bird", "cat"]]
    _images(tmp_path, [f"{i}.jpg" for i in range(24)])
    write_csv(tmp_path / "tags.csv", ["image", "tags"],
              [[f"{i}.jpg", sep.join(combos[i % 6])] for i in range(24)])
    report = scan(tmp_path / "tags.csv", workers=1)
    assert report.task == "image-multilabel"
    assert "multi-label strings separated by" in report.label_format
    assert report.splits["train"] == {"bird": 12, "cat": 16, "dog": 12}
    cardinality = report.check("multilabel-cardinality")
    assert cardinality is not None and "max 3" in cardinality.title


def test_class_names_with_spaces_stay_single_labels(tmp_path: Path) -> None:
    names = ["golden retriever", "german shepherd", "border collie"]
    _images(tmp_path, [f"{i}.jpg" for i in range(30)])
    write_csv(tmp_path / "dogs.csv", ["path", "breed"], [[f"{i}.jpg", names[i % 3]] for i in range(30)])
    report = scan(tmp_path / "dogs.csv", workers=1)
    assert report.task == "image-classification"
    assert set(report.splits["train"]) == set(names)


def test_multilabel_lists_and_items_without_labels(tmp_path: Path) -> None:
    _images(tmp_path, [f"{i}.jpg" for i in range(20)])
    labels = ['["cat", "dog"]', "['cat']", "[]", '["dog"]']
    write_csv(tmp_path / "m.csv", ["path", "labels"], [[f"{i}.jpg", labels[i % 4]] for i in range(20)])
    report = scan(tmp_path / "m.csv", workers=1)
    assert report.task == "image-multilabel"
    assert report.label_format == "multi-label lists in column 'labels'"
    assert report.splits["train"] == {"cat": 10, "dog": 10}
    empty = report.check("missing-label")
    assert empty is not None and empty.severity == "warning" and empty.count == 5


def test_multi_hot_columns_and_uncertain_values(tmp_path: Path) -> None:
    _images(tmp_path, [f"{i}.jpg" for i in range(20)])
    rows = [[f"{i}.jpg", i % 2, 1 if i % 3 == 0 else 0, 1 if i % 5 == 0 else 0] for i in range(20)]
    rows[4][3] = -1
    write_csv(tmp_path / "m.csv", ["path", "effusion", "edema", "mass"], rows)
    report = scan(tmp_path / "m.csv", workers=1)
    assert report.task == "image-multilabel"
    assert report.label_columns == ["effusion", "edema", "mass"]
    assert report.label_format.startswith("multi-hot columns")
    assert report.splits["train"] == {"edema": 7, "effusion": 10, "mass": 4}
    odd = report.check("label-values")
    assert odd is not None and odd.examples == ["row 6: mass=-1"]


def test_one_hot_columns_are_single_label(tmp_path: Path) -> None:
    _images(tmp_path, [f"{i}.jpg" for i in range(30)])
    rows = [[f"{i}.jpg", int(i % 3 == 0), int(i % 3 == 1), int(i % 3 == 2)] for i in range(30)]
    write_csv(tmp_path / "m.csv", ["path", "cat", "dog", "owl"], rows)
    report = scan(tmp_path / "m.csv", workers=1)
    assert report.task == "image-classification"
    assert report.label_format == "one-hot columns cat, dog, owl"
    assert report.splits["train"] == {"cat": 10, "dog": 10, "owl": 10}
    given = scan(tmp_path / "m.csv", label_columns=["cat", "dog", "owl"], task="image-multilabel", workers=1)
    assert given.task == "image-multilabel" and given.check("multilabel-single") is not None


def test_continuous_manifest_column_chosen_as_label_is_an_error(tmp_path: Path) -> None:
    _images(tmp_path, [f"{i}.jpg" for i in range(60)])
    rnd = random.Random(1)
    rows = [[f"{i}.jpg", f"{rnd.uniform(0, 1):.4f}", ["ok", "defect"][i % 2]] for i in range(60)]
    write_csv(tmp_path / "m.csv", ["path", "brightness", "label"], rows)
    report = scan(tmp_path / "m.csv", label_column="brightness", task="image-classification", workers=1)
    check = report.check("label-continuous")
    assert check is not None and check.severity == "error"
    assert check.title.startswith("Column 'brightness' has ") and "distinct float values" in check.title
    assert "Likely label columns: label." in check.advice


def _patients(n: int = 80, seed: int = 2) -> list[list[object]]:
    rnd = random.Random(seed)
    return [[1000 + i, rnd.randint(20, 80), f"{rnd.uniform(17, 40):.1f}", rnd.choice(["yes", "no"]),
             "sick" if i % 3 == 0 else "healthy"] for i in range(n)]


def test_tabular_feature_chosen_as_class_label_names_the_column_and_suggests_labels(tmp_path: Path) -> None:
    csv = write_csv(tmp_path / "patients.csv", ["patient_id", "age", "bmi", "smoker", "outcome"], _patients())
    report = scan(csv, task="tabular-classification", label_column="bmi")
    check = report.check("label-continuous")
    assert check is not None and check.severity == "error"
    assert check.title.startswith("Column 'bmi' has")
    assert "float values: it looks like a feature" in check.title
    assert "Likely label columns: outcome, smoker." in check.advice


def test_tabular_classification_detected_with_its_feature_problems(tmp_path: Path) -> None:
    rows = _patients()
    rows[5][1] = ""                                   # a missing feature value
    rows[7][4] = ""                                   # a missing target
    rows.append(list(rows[10][:4]) + ["sick" if rows[10][4] == "healthy" else "healthy"])  # conflicting copy
    csv = write_csv(tmp_path / "patients.csv", ["patient_id", "age", "bmi", "smoker", "outcome"], rows)
    report = scan(csv)
    assert (report.layout, report.task, report.label_column) == ("tabular-csv", "tabular-classification",
                                                                 "outcome")
    assert report.feature_columns == ["patient_id", "age", "bmi", "smoker"]
    found = {c.id: c for c in report.checks}
    assert found["target-missing"].examples == ["row 9"]
    assert found["feature-missing-values"].examples == ["age: 1 missing"]
    assert found["duplicate-conflicting-labels"].examples[0].startswith("row 12: ")
    assert report.splits["train"] == {"healthy": 52, "sick": 28}


def test_tabular_regression_target_problems(tmp_path: Path) -> None:
    rnd = random.Random(3)
    rows = [[i, rnd.uniform(0, 1), rnd.uniform(0, 100)] for i in range(40)]
    csv = write_csv(tmp_path / "houses.csv", ["row_id", "rooms", "price"], rows)
    report = scan(csv)
    assert report.task == "tabular-regression"
    assert report.splits == {"train": {}} and report.num_samples == 40
    assert report.check("id-column") is not None
    constant = write_csv(tmp_path / "c.csv", ["x", "target"], [[i, 5] for i in range(30)])
    assert scan(constant, task="tabular-regression").check("target-constant") is not None
    words = write_csv(tmp_path / "w.csv", ["x", "target"], [[i, "high" if i % 2 else 3.5] for i in range(30)])
    assert scan(words, task="tabular-regression").check("target-not-numeric") is not None


def test_tabular_splits_leakage_and_unseen_classes(tmp_path: Path) -> None:
    rows = [[i % 7, i % 5, "a" if i % 2 else "b", "train"] for i in range(30)]
    rows += [[1, 1, "a", "val"], [99, 98, "c", "valid"]]
    csv = write_csv(tmp_path / "t.csv", ["f1", "f2", "label", "split"], rows)
    report = scan(csv)
    assert report.split_sizes == {"train": 30, "val": 2}
    assert report.check("train-val-duplicates") is not None
    assert "train-val-duplicates" in {c.id for c in report.findings_left([])}  # no data.exclude for rows
    assert report.check("val-label-not-in-train").examples == ["val: 'c' (1)"]


def test_csv_errors_name_the_file_and_the_columns(tmp_path: Path) -> None:
    csv = write_csv(tmp_path / "t.csv", ["a", "b"], [[1, 2], [3, 4]])
    with pytest.raises(DataError, match="has no column 'label'; columns: a, b"):
        scan(csv, label_column="label")
    with pytest.raises(DataError, match="no column holds image paths"):
        scan(csv, task="image-classification")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(DataError, match="empty"):
        scan(empty)


def test_integer_class_ids_and_rare_multilabel_labels(tmp_path: Path) -> None:
    _images(tmp_path, [f"{i}.jpg" for i in range(30)])
    write_csv(tmp_path / "ids.csv", ["path", "label"], [[f"{i}.jpg", [3, 7, 12][i % 3]] for i in range(30)])
    report = scan(tmp_path / "ids.csv", workers=1)
    ids = report.check("label-ids")
    assert ids is not None and ids.severity == "info" and ids.examples == ["3", "7", "12"]
    tags = [["cat", "dog"] if i < 3 else ["cat"] for i in range(30)]
    write_csv(tmp_path / "tags.csv", ["path", "tags"],
              [[f"{i}.jpg", " ".join(t)] for i, t in enumerate(tags)])
    multi = scan(tmp_path / "tags.csv", task="image-multilabel", workers=1)
    rare = multi.check("too-few-samples")
    assert rare is not None and rare.severity == "warning" and rare.examples == ["dog: 3"]


def test_a_default_image_column_name_that_the_csv_lacks_falls_back_to_detection(tmp_path: Path) -> None:
    _images(tmp_path / "img", [f"{i}.jpg" for i in range(20)])
    csv = write_csv(tmp_path / "m.csv", ["file", "label"], [[f"img/{i}.jpg", i % 2] for i in range(20)])
    report = scan(csv, image_column="path", workers=1)
    assert report.image_column == "file"
    assert report.check("image-column").title == "m.csv has no column 'path'; image paths read from 'file'"
    table = write_csv(tmp_path / "other" / "t.csv", ["a", "b"], [[1, 2], [3, 4]])
    with pytest.raises(DataError, match="has no column 'path' of image paths"):
        scan(table, image_column="path")


def test_tsv_files_and_quoted_cells_spanning_lines(tmp_path: Path) -> None:
    rows = "\n".join(f'{i}\t"note\nline {i}"\t{"ab"[i % 2]}' for i in range(30))
    tsv = tmp_path / "t.tsv"
    tsv.write_text("x\tnote\tlabel\n" + rows + "\n", encoding="utf-8")
    report = scan(tsv)
    assert report.task == "tabular-classification" and report.num_samples == 30
    assert report.splits["train"] == {"a": 15, "b": 15}


def test_a_regression_target_is_described_as_numbers_and_imbalance_counts_classes(tmp_path: Path) -> None:
    rng = random.Random(3)
    table = write_csv(tmp_path / "reg.csv", ["a", "b", "price"],
                      [[rng.random(), rng.random(), rng.randint(100, 900)] for _ in range(60)])
    regression = scan(table, task="tabular-regression")
    assert regression.label_format == "numeric target in column 'price'"  # not "integer class ids"
    skewed = write_csv(tmp_path / "cls.csv", ["a", "label"],
                       [[i, "big"] for i in range(80)] + [[i, "small"] for i in range(10)])
    imbalance = scan(skewed, task="tabular-classification").check("class-imbalance")
    assert imbalance is not None and imbalance.count == 2  # two classes, not the rounded ratio (8)
