{%- set c, f = cookiecutter, cookiecutter | flags -%}
{% include f.family ~ "/scripts/check_data.py" %}