"""Undersampling gives every class exactly the same count per epoch, in a new order each epoch, per seed."""
{% if f.ddp %}
import math
{%- endif %}
from collections import Counter

from {{ c.slug }}.samplers import {{ f.sampler_class }}, {{ "ShardedSampler, " if f.ddp else "" }}build_sampler

CFG = {"training": {"seed": 7}}
LABELS = [0] * 50 + [1] * 20 + [2] * 5 + [3] * 12


def test_undersampling_draws_the_smallest_class_size_from_every_class() -> None:
    sampler = build_sampler(CFG, LABELS)

    for _ in range(3):
        drawn = list(sampler)
        assert len(drawn) == len(sampler) == 4 * 5
        assert len(set(drawn)) == len(drawn)  # no repeats within an epoch
        assert Counter(LABELS[i] for i in drawn) == {0: 5, 1: 5, 2: 5, 3: 5}


def test_undersampling_picks_new_samples_and_order_each_epoch() -> None:
    sampler = build_sampler(CFG, LABELS)

    epochs = [list(sampler) for _ in range(3)]

    assert epochs[0] != epochs[1] != epochs[2]
    assert set(epochs[0]) != set(epochs[1])  # another subset of the large classes
    smallest = [sorted(i for i in epoch if LABELS[i] == 2) for epoch in epochs]
    assert smallest[0] == smallest[1] == smallest[2]  # the smallest class is used whole every epoch