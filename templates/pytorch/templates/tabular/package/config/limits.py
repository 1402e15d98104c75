    "data.num_workers": (lambda v: v >= 0, ">= 0"),
    "features.max_one_hot": (lambda v: v >= 2, ">= 2"),
{%- if f.regression %}
    "target.huber_delta": (lambda v: v > 0, "> 0"),
{%- endif %}
    "model.hidden_sizes": (lambda v: all(size >= 1 for size in v), "sizes >= 1 ([] = no hidden layer)"),