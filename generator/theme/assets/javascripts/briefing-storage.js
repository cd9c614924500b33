{#- Material's storage helpers for the lean pages (a Jinja template: config.py lists it in the
    theme's static_templates, so MkDocs renders it once per build). Material writes them inline
    in the <head> of every page (partials/javascripts/base.html): __md_scope, the URL a
    reader's saved choices (the colour scheme...) are keyed under, the site's root unless
    `extra.scope` says otherwise, and __md_hash, __md_get and __md_set. The lean shell loads
    this file in their place (generator/mkdocs/lean_templates.py), a plain blocking script in
    the <head>, so they are defined before anything on the page uses them: the palette script
    in the header, Material's bundle at the end of the body.
    The code is Material's partial itself, rendered here, not a copy: one definition, from the
    installed Material (or an archive's override of the partial). Material resolves the scope,
    `base_url` (the page's way back to the site root), against the page's `location`; here
    `base_url` is this file's way back to the site root (it is in assets/javascripts/), and the
    code runs with `location` standing for this file's own URL: the same root URL, so lean
    and hand-written pages share the reader's choices. An archive's `extra.scope` is resolved
    against the page, as Material does. tests/test_lean_storage.py checks both. -#}
{%- set base_url = "../.." %}
{%- set tag %}{% include "partials/javascripts/base.html" %}{% endset %}
{%- set code = tag | trim | replace("<script>", "", 1) | replace("</script>", "", 1) %}
{%- if config.extra.scope %}
{{- code }}
{% else -%}
(function(location){ {{- code -}} })(document.currentScript.src);
{% endif %}
