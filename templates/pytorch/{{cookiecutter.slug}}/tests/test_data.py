{%- set c, f = cookiecutter, cookiecutter | flags -%}
{% include ("multilabel" if f.multilabel else f.family) ~ "/tests/test_data.py" %}