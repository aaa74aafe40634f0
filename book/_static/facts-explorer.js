/* The facts explorer (book/facts.md): a search box and filters by source and status over the
   table of facts. No library and no request: the table is in the page, and without this
   script all of it shows. Address parameters prefill the filters (facts.html?q=韶钢&status=target);
   a link to one fact (facts.html#f000-001) clears any filter that would hide it. Every text it
   shows comes from the page (data-texts, written by parkecon/explorer.py in the edition's language). */
(function () {
  "use strict";

  function norm(text) {
    return (text || "").normalize("NFKC").toLowerCase();
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }

  function select(id, label, options) {
    var wrap = el("div", { "class": "fx-field" });
    wrap.appendChild(el("label", { "for": id }, label));
    var s = el("select", { id: id });
    options.forEach(function (o) { s.appendChild(el("option", { value: o[0] }, o[1])); });
    wrap.appendChild(s);
    return wrap;
  }

  function init() {
    var box = document.querySelector(".fx-explorer");
    if (!box) return;
    var table = box.querySelector("table.facts-explorer");
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var texts = rows.map(function (r) { return norm(r.textContent); });
    var sources = JSON.parse(box.getAttribute("data-sources") || "{}");
    var t = JSON.parse(box.getAttribute("data-texts") || "{}");
    var statusWords = t.statuses || {};
    function fill(text, fields) {
      return (text || "").replace(/\{(\w+)\}/g, function (m, k) { return k in fields ? fields[k] : m; });
    }
    var statuses = [];
    rows.forEach(function (r) {
      var s = r.getAttribute("data-status");
      if (statuses.indexOf(s) < 0) statuses.push(s);
    });

    var form = el("form", { "class": "fx-controls", role: "search", "aria-label": t.filter });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    var qwrap = el("div", { "class": "fx-field fx-search" });
    qwrap.appendChild(el("label", { "for": "fx-q" }, t.search));
    var q = el("input", { id: "fx-q", type: "search", autocomplete: "off", spellcheck: "false",
                          placeholder: t.placeholder, "aria-describedby": "fx-count" });
    qwrap.appendChild(q);
    form.appendChild(qwrap);
    form.appendChild(select("fx-source", t.source,
      [["", t.allSources]].concat(Object.keys(sources).map(function (k) { return [k, sources[k]]; }))));
    form.appendChild(select("fx-status", t.status,
      [["", t.allStatuses]].concat(statuses.map(function (s) { return [s, statusWords[s] || s]; }))));
    var clear = el("button", { type: "button", "class": "fx-clear" }, t.showAll);
    form.appendChild(clear);
    var count = el("p", { id: "fx-count", "class": "fx-count", role: "status", "aria-live": "polite" });
    box.parentNode.insertBefore(form, box);
    box.parentNode.insertBefore(count, box);
    var none = el("p", { "class": "fx-none", hidden: "" }, t.none);
    box.appendChild(none);

    var source = form.querySelector("#fx-source");
    var status = form.querySelector("#fx-status");

    function apply() {
      var words = norm(q.value).split(/\s+/).filter(Boolean);
      var src = source.value, st = status.value, shown = 0;
      rows.forEach(function (r, i) {
        var ok = (!src || r.getAttribute("data-source") === src) &&
                 (!st || r.getAttribute("data-status") === st) &&
                 words.every(function (w) { return texts[i].indexOf(w) >= 0; });
        r.hidden = !ok;
        if (ok) shown += 1;
      });
      none.hidden = shown > 0;
      table.hidden = shown === 0;
      count.textContent = shown === rows.length
        ? fill(t.countAll, { n: rows.length })
        : fill(t.countSome, { shown: shown, n: rows.length });
    }

    function reset() {
      q.value = "";
      source.value = "";
      status.value = "";
      apply();
    }

    // bring the fact named in the address into view, clearing filters that hide it; the
    // browser's own jump happens before this script has added the controls above the table
    function reveal() {
      var id = decodeURIComponent(location.hash.slice(1));
      var row = id && document.getElementById(id);
      if (!row || row.parentNode !== table.tBodies[0]) return;
      if (row.hidden) reset();
      row.scrollIntoView({ block: "start", behavior: "instant" });  // the theme scrolls smoothly: 40,000 px take seconds
    }

    var params = new URLSearchParams(location.search);
    q.value = params.get("q") || "";
    if (sources[params.get("source")]) source.value = params.get("source");
    if (statuses.indexOf(params.get("status")) >= 0) status.value = params.get("status");

    q.addEventListener("input", apply);
    source.addEventListener("change", apply);
    status.addEventListener("change", apply);
    clear.addEventListener("click", function () { reset(); q.focus(); });
    window.addEventListener("hashchange", reveal);
    apply();
    reveal();
    if (document.readyState !== "complete") window.addEventListener("load", reveal);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
