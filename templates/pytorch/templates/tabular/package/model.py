"""The network: an MLP over the encoded columns of the table (learned embeddings for the category columns
with many categories), ending in {{ "one output, the predicted target" if f.regression else "a score per class" }}."""

from __future__ import annotations

from typing import Any

import torch
from torch import nn
{% if f.dropconnect %}
from .layers import DropConnectLinear
{%- endif %}
from .tabular import FeatureSchema


class TabularMLP(nn.Module):
    """Inputs -> hidden layers (linear, {{ {"batchnorm": "BatchNorm1d, ", "layernorm": "LayerNorm, "}.get(c.normalization, "") }}ReLU, dropout) -> head.

    The input tensor holds the dense columns (standardized numbers, missing indicators, one-hot blocks),
    then one category index per embedded column; each index is looked up in its embedding table.
    """

    def __init__(self, schema: FeatureSchema, cfg: dict[str, Any]) -> None:
        super().__init__()
        self.dense_width = schema.dense_width
        self.embeddings = nn.ModuleList(nn.Embedding(count, size) for count, size in schema.embedding_sizes)
        width = self.dense_width + sum(size for _, size in schema.embedding_sizes)
        layers: list[nn.Module] = []
        for size in cfg["model"]["hidden_sizes"]:
            layers += hidden_layer(width, size, cfg)
            width = size
        self.hidden = nn.Sequential(*layers)
{%- if f.regression %}
        self.head = nn.Linear(width, 1)
        # Start by predicting the training mean (Karpathy's "init well"): the initial loss is then the target's
        # variance, and the first steps learn from the features instead of chasing the mean.
        nn.init.zeros_(self.head.weight)
        nn.init.constant_(self.head.bias, schema.target_bias)
{%- else %}
        self.head = nn.Linear(width, len(schema.classes))
{%- endif %}

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        dense, codes = x[:, : self.dense_width], x[:, self.dense_width :].long()
        inputs = [dense, *(embedding(codes[:, i]) for i, embedding in enumerate(self.embeddings))]
{%- if f.regression %}
        return self.head(self.hidden(torch.cat(inputs, dim=1))).squeeze(1)  # (batch,): one value per row
{%- else %}
        return self.head(self.hidden(torch.cat(inputs, dim=1)))
{%- endif %}


def hidden_layer(in_features: int, out_features: int, cfg: dict[str, Any]) -> list[nn.Module]:
{%- if c.normalization == "none" %}
    """Linear{{ " (with DropConnect)" if f.dropconnect else "" }}, ReLU and dropout (no normalization layer)."""
{%- if f.dropconnect %}
    linear = DropConnectLinear(in_features, out_features, p=cfg["regularization"]["dropconnect"])
{%- else %}
    linear = nn.Linear(in_features, out_features)
{%- endif %}
    return [linear, nn.ReLU(inplace=True), nn.Dropout(cfg["model"]["head_dropout"])]
{%- else %}
    """Linear{{ " (with DropConnect)" if f.dropconnect else "" }}, normalization, ReLU and dropout."""
{%- if f.dropconnect %}
    linear = DropConnectLinear(in_features, out_features, p=cfg["regularization"]["dropconnect"], bias=False)
{%- else %}
    linear = nn.Linear(in_features, out_features, bias=False)  # the norm layer has a bias
{%- endif %}
{%- if c.normalization == "batchnorm" %}
    # BatchNorm1d: statistics of each column over the batch (batches above about 10 rows)
    norm = nn.BatchNorm1d(out_features)
{%- else %}
    # LayerNorm: statistics over the features of each row, so it works the same at any batch size
    norm = nn.LayerNorm(out_features)
{%- endif %}
    return [linear, norm, nn.ReLU(inplace=True), nn.Dropout(cfg["model"]["head_dropout"])]
{%- endif %}


def build_model(cfg: dict[str, Any], schema: FeatureSchema) -> TabularMLP:
    """The MLP for this schema's columns{{ "" if f.regression else " and classes" }}, hidden sizes from model.hidden_sizes."""
    return TabularMLP(schema, cfg)


def count_parameters(model: nn.Module) -> tuple[int, int]:
    """(trainable, frozen) parameter counts."""
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    return trainable, sum(p.numel() for p in model.parameters()) - trainable


def without_dropout(model: nn.Module) -> nn.Module:
    """Every dropout-like rate set to 0 (for the capacity test, which must not be regularized): the layers that
    drop activations or weights (Dropout, DropConnect) keep it in `p`."""
    for module in model.modules():
        if isinstance(getattr(module, "p", None), float):
            module.p = 0.0
    return model
