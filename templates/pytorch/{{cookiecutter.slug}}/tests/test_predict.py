{%- set c, f = cookiecutter, cookiecutter | flags -%}
{% include f.family ~ "/tests/test_predict.py" %}