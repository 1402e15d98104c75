{%- set c, f = cookiecutter, cookiecutter | flags -%}
{% include f.family ~ "/scripts/capacity_test.py" %}