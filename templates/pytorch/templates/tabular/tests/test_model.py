"""The MLP: {{ "one value per row, starting at the target mean" if f.regression else "a score per class for every row" }}; hidden layers as configured; dropout switched off."""

from __future__ import annotations
{% if f.regression %}
import torch
{%- endif %}
from torch import nn

from {{ cookiecutter.slug }}.data import build_datasets
from {{ cookiecutter.slug }}.model import build_model, count_parameters, without_dropout


def test_one_output_per_row{{ "" if f.regression else "_and_class" }}(cfg: dict) -> None:
    data = build_datasets(cfg)
    model = build_model(cfg, data.schema).eval()
    assert model(data.train.features[:5]).shape == {{ "(5,)" if f.regression else "(5, 3)" }}
    assert len(model.embeddings) == 1  # the shop column has too many categories for one-hot
    trainable, frozen = count_parameters(model)
    assert trainable > 0 and frozen == 0


def test_hidden_layers_follow_model_hidden_sizes(cfg: dict) -> None:
    schema = build_datasets(cfg).schema
    cfg["model"]["hidden_sizes"] = [8, 4, 2]
    model = build_model(cfg, schema)
    assert [m.out_features for m in model.hidden if isinstance(m, nn.Linear)] == [8, 4, 2]
{%- if c.normalization == "batchnorm" %}
    assert sum(isinstance(m, nn.BatchNorm1d) for m in model.hidden) == 3
{%- elif c.normalization == "layernorm" %}
    assert sum(isinstance(m, nn.LayerNorm) for m in model.hidden) == 3
{%- else %}
    assert not any(isinstance(m, (nn.BatchNorm1d, nn.LayerNorm)) for m in model.hidden)
{%- endif %}
    cfg["model"]["hidden_sizes"] = []  # no hidden layer: a linear model on the encoded columns
    assert len(build_model(cfg, schema).hidden) == 0
{%- if f.regression %}


def test_the_output_starts_at_the_target_mean(cfg: dict) -> None:
    data = build_datasets(cfg)
    outputs = build_model(cfg, data.schema).eval()(data.val.features)
    torch.testing.assert_close(outputs, torch.full_like(outputs, data.schema.target_bias))
{%- endif %}


def test_without_dropout_sets_every_rate_to_zero(cfg: dict) -> None:
    cfg["model"]["head_dropout"] = 0.5
    model = without_dropout(build_model(cfg, build_datasets(cfg).schema))
    rates = [m.p for m in model.modules() if hasattr(m, "p") and isinstance(m.p, float)]
    assert rates and all(rate == 0.0 for rate in rates)
