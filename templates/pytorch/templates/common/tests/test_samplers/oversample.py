"""Oversampling draws every class about equally often, and each epoch's draw depends only on (seed, epoch)."""
{% if f.ddp %}
import math
{%- endif %}
from collections import Counter

from {{ c.slug }}.samplers import {{ f.sampler_class }}, {{ "ShardedSampler, " if f.ddp else "" }}build_sampler

CFG = {"training": {"seed": 7}}
LABELS = [0] * 1000 + [1] * 300 + [2] * 100  # 10:1 between the largest and the smallest class


def test_oversampling_balances_the_classes_over_an_epoch() -> None:
    sampler = build_sampler(CFG, LABELS)

    drawn = list(sampler)

    assert len(drawn) == len(sampler) == len(LABELS)
    counts = Counter(LABELS[i] for i in drawn)
    for label in (0, 1, 2):
        # A third each; the binomial standard deviation is about 1.3 % of the epoch.
        assert abs(counts[label] / len(drawn) - 1 / 3) < 0.05


def test_oversampling_repeats_rare_samples() -> None:
    drawn = list(build_sampler(CFG, LABELS))

    rare = [i for i in drawn if LABELS[i] == 2]
    assert len(set(rare)) < len(rare)