{#- What the page scripts need in this language, identical on every page of it (a static template: mkdocs.yml
    theme.static_templates), in one cached file per language instead of a copy in every page:
    overrides/assets/np-page.js puts it where the scripts read it before they run. The search dialog's
    strings (data-np-strings on the dialog, for overrides/assets/search.js) and Material's page configuration
    but for the page's own base (the __config script of each page, overrides/main.html: Material's, without
    what this site never loads: the worker and strings of Material's search, its version selector). -#}
{% import "partials/language.html" as lang with context -%}
{% set np = config.extra.np_search -%}
window.__np_search = {{ {
  "placeholder": lang.t("search.result.placeholder"),
  "none": lang.t("search.result.none"),
  "one": lang.t("search.result.one"),
  "other": lang.t("search.result.other"),
  "atLeast": np.at_least,
  "more": np.more,
  "loading": np.loading,
  "error": np.error,
  "label": lang.t("search.placeholder"),
  "reset": lang.t("search.reset"),
  "search": lang.t("search")
} | tojson }};
window.__np_config = {{ {"features": config.theme.features or [], "translations": {"clipboard.copy": lang.t("clipboard.copy"), "clipboard.copied": lang.t("clipboard.copied")}, "search": none, "annotate": none, "tags": none, "version": none} | tojson }};
