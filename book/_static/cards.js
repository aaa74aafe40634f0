/* Cards on pasted numbers: a click, tap or Enter on a number opens its entry of the page's
   closing section "Where the numbers come from" as a card beside it. Without this script the
   number is a link to that entry. No request leaves the page. */
(function () {
  "use strict";
  var tpl = document.getElementById("pe-card-text");
  if (!tpl) { return; }
  var closeText = tpl.getAttribute("data-close") || "Close";
  var title = tpl.getAttribute("data-title") || "";
  var card = null, opener = null;

  document.querySelectorAll("a.pe-num").forEach(function (a) {
    a.setAttribute("aria-haspopup", "dialog");
    a.setAttribute("aria-expanded", "false");
  });

  function close(refocus) {
    if (!card) { return; }
    card.remove();
    card = null;
    document.body.classList.remove("pe-card-open");
    if (opener) {
      opener.setAttribute("aria-expanded", "false");
      if (refocus) { opener.focus(); }
      opener = null;
    }
  }

  function show(a) {
    var entry = document.getElementById(a.getAttribute("href").slice(1));
    if (!entry) { return false; }
    close(false);
    card = document.createElement("div");
    card.className = "pe-card";
    card.setAttribute("role", "dialog");
    // a readable heading ("Where this number comes from"); the entry below it starts with the
    // number itself, and the glue key stays small secondary text
    var heading = document.createElement("p");
    heading.className = "pe-card-title";
    heading.id = "pe-card-title";
    heading.textContent = title;
    card.setAttribute("aria-labelledby", heading.id);
    var body = entry.cloneNode(true);
    body.removeAttribute("id");
    body.removeAttribute("role");
    body.removeAttribute("aria-labelledby");
    body.querySelectorAll("[id]").forEach(function (n) { n.removeAttribute("id"); });
    var button = document.createElement("button");
    button.type = "button";
    button.className = "pe-card-close";
    button.setAttribute("aria-label", closeText);
    button.textContent = "\u00d7";
    button.addEventListener("click", function () { close(true); });
    card.appendChild(button);
    card.appendChild(heading);
    card.appendChild(body);
    // the facts the number reads, as rows of the page's facts table
    var ids = (entry.getAttribute("data-facts") || "").split(" ").filter(Boolean);
    var head = document.querySelector("table.pe-facts thead");
    if (ids.length && head) {
      var table = document.createElement("table");
      table.className = "pe-facts";
      table.appendChild(head.cloneNode(true));
      var tbody = document.createElement("tbody");
      ids.forEach(function (id) {
        var row = document.getElementById("pe-fact-" + id);
        if (row) {
          var copy = row.cloneNode(true);
          copy.removeAttribute("id");
          tbody.appendChild(copy);
        }
      });
      table.appendChild(tbody);
      var wrap = document.createElement("div");
      wrap.className = "pe-table-wrap";
      wrap.appendChild(table);
      card.appendChild(wrap);
    }
    document.body.appendChild(card);
    // nothing fixed on the page (the theme's back-to-top button) may cover an open card
    document.body.classList.add("pe-card-open");
    if (window.innerWidth < 640) {
      card.classList.add("pe-card-sheet");
    } else {
      var r = a.getBoundingClientRect();
      var width = card.offsetWidth;
      var left = Math.min(Math.max(8, r.left), document.documentElement.clientWidth - width - 8);
      var below = window.innerHeight - r.bottom;
      var top = below > card.offsetHeight + 12 || below > r.top ? r.bottom + 6 : r.top - card.offsetHeight - 6;
      card.style.left = (left + window.scrollX) + "px";
      card.style.top = (Math.max(8, top) + window.scrollY) + "px";
    }
    opener = a;
    a.setAttribute("aria-expanded", "true");
    button.focus();
    return true;
  }

  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a.pe-num");
    if (a) {
      if (show(a)) { e.preventDefault(); }
      return;
    }
    if (card && !card.contains(e.target)) { close(false); }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && card) { close(true); }
  });
})();
