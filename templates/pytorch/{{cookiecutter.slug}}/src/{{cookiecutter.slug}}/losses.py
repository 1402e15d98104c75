{%- set c, f = cookiecutter, cookiecutter | flags -%}
{% include f.kind ~ "/package/losses.py" %}