{%- set c, f = cookiecutter, cookiecutter | flags -%}
{% include f.family ~ "/scripts/predict.py" %}