{%- if f.regression -%}
METRICS = ["mae", "rmse", "r2"]  # what the baselines of a regression project report
BASELINES = {"mean", "ridge", "gradient_boosting"}
{%- else -%}
METRICS = ["accuracy", "macro_f1"]  # what the baselines of a tabular classification project report
BASELINES = {"majority", "logistic", "gradient_boosting"}
{%- endif %}
SIZES = {"train": 48, "val": 12}  # rows of the fixture table


def test_a_linear_model_beats_a_constant_guess(baseline: dict) -> None:
    scores = baseline["baselines"]
{%- if f.regression %}
    assert scores["ridge"]["r2"] > 0.8 > scores["mean"]["r2"]
    assert scores["ridge"]["mae"] < scores["mean"]["mae"]


@pytest.mark.parametrize("standardize", ["true", "false"])
def test_scores_are_in_the_target_units_whether_or_not_it_is_standardized(
    overrides: list[str], data_path: Path, tmp_path: Path, standardize: str
) -> None:
    args = [*set_args([*overrides, f"target.standardize={standardize}"]), "--out", str(tmp_path)]
    assert load_script("baseline").main(args) == 0
    mean = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))["baselines"]["mean"]
    with data_path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    train = [float(r[TARGET]) for r in rows if r["split"] == "train"]
    val = [float(r[TARGET]) for r in rows if r["split"] == "val"]
    guess = sum(train) / len(train)
    assert mean["mae"] == pytest.approx(sum(abs(y - guess) for y in val) / len(val), rel=1e-4)
{%- else %}
    assert scores["logistic"]["macro_f1"] > scores["majority"]["macro_f1"] + 0.3
{%- endif %}
