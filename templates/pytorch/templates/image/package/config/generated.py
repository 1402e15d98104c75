    "model.multiscale_pooling": {{ c.model.multiscale_pooling | as_bool | pyrepr }},
{%- if not f.pretrained %}
    "model.freeze": {{ c.model.freeze | pyrepr }},
{%- endif %}
{%- if c.regularization.spatial_dropout | as_float == 0 %}
    "regularization.spatial_dropout": 0.0,
{%- endif %}