// Search result snippets from the page's prose: Sphinx takes the whole main block's text, so
// a snippet ran the page's contents list and table cells together ("88.7万个f000-081Huashao").
// Keep paragraphs, list items, definitions and captions outside navigation, tables and code.
// This file loads before searchtools.js; its listener runs before the search starts.
document.addEventListener("DOMContentLoaded", function () {
  if (typeof Search === "undefined") return;
  const KEEP = "p, li, dt, dd, figcaption, h2, h3, h4";
  const DROP = "nav, table, details, .cell_input, .toctree-wrapper, .headerlink, script, style, pre";
  Search.htmlToText = (htmlString, anchor) => {
    const doc = new DOMParser().parseFromString(htmlString, "text/html");
    // the article only: not the header buttons or the page's contents beside it
    const main = doc.querySelector("article.bd-article") || doc.querySelector('[role="main"]');
    if (!main) return "";
    const scope = (anchor && main.querySelector(anchor)) || main;
    scope.querySelectorAll(DROP).forEach((el) => el.remove());
    const blocks = [...scope.querySelectorAll(KEEP)].filter((el) => !el.querySelector(KEEP));
    return blocks.map((el) => el.textContent.replace(/\s+/g, " ").trim()).filter(Boolean).join(" ");
  };
});
