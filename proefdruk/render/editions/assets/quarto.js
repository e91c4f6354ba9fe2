/* What a Quarto book reader expects of the site, without libraries or network requests:
   tabsets, a lightbox for figures, previews of cross-references on hover, the search
   query highlighted on the page a result opens, a keyboard shortcut to the search box,
   reader mode, a light/dark switch and a copy button on code. Each part is switched on
   by a data-* attribute on <body> that the page writer sets from _quarto.yml. */
(function () {
  "use strict";

  var body = document.body;
  var data = function (name) { return body.getAttribute("data-" + name) || ""; };

  /* --- tabsets: every panel stays readable without this script --- */
  function setupTabsets() {
    document.querySelectorAll(".panel-tabset").forEach(function (set) {
      var tabs = Array.prototype.slice.call(set.querySelectorAll(":scope > .tabset-nav [role=tab]"));
      if (!tabs.length) return;
      set.classList.add("js-tabs");
      function select(tab) {
        tabs.forEach(function (t) {
          var on = t === tab;
          t.setAttribute("aria-selected", on ? "true" : "false");
          t.tabIndex = on ? 0 : -1;
          var pane = document.getElementById(t.getAttribute("aria-controls"));
          if (pane) pane.classList.toggle("active", on);
        });
      }
      tabs.forEach(function (tab, i) {
        tab.addEventListener("click", function () { select(tab); });
        tab.addEventListener("keydown", function (e) {
          var next = e.key === "ArrowRight" ? tabs[(i + 1) % tabs.length] :
            e.key === "ArrowLeft" ? tabs[(i + tabs.length - 1) % tabs.length] : null;
          if (next) { e.preventDefault(); select(next); next.focus(); }
        });
      });
      select(tabs.filter(function (t) { return t.getAttribute("aria-selected") === "true"; })[0] || tabs[0]);
    });
  }

  /* --- lightbox: a figure opens full-size --- */
  function setupLightbox() {
    if (data("lightbox") !== "true") return;
    var overlay = null;
    function close() { if (overlay) { overlay.remove(); overlay = null; } }
    document.querySelectorAll("main figure img").forEach(function (img) {
      img.classList.add("lightbox-image");
      img.setAttribute("tabindex", "0");
      img.setAttribute("role", "button");
      function open() {
        close();
        overlay = document.createElement("div");
        overlay.className = "lightbox";
        overlay.setAttribute("role", "dialog");
        overlay.setAttribute("aria-modal", "true");
        overlay.setAttribute("aria-label", img.getAttribute("alt") || "{{crossref-fig-title}}");
        var big = img.cloneNode(true);
        big.removeAttribute("tabindex");
        big.removeAttribute("role");
        big.className = "lightbox-full";
        overlay.appendChild(big);
        var caption = img.closest("figure").querySelector("figcaption");
        if (caption) {
          var text = document.createElement("p");
          text.className = "lightbox-caption";
          text.textContent = caption.textContent;
          overlay.appendChild(text);
        }
        overlay.addEventListener("click", close);
        body.appendChild(overlay);
      }
      img.addEventListener("click", open);
      img.addEventListener("keydown", function (e) { if (e.key === "Enter") open(); });
    });
    document.addEventListener("keydown", function (e) { if (e.key === "Escape") close(); });
  }

  /* --- cross-reference previews --- */
  var pages = {};
  function targetOf(a) {
    var href = a.getAttribute("href") || "";
    var at = href.indexOf("#");
    if (at < 0) return Promise.resolve(null);
    var id = decodeURIComponent(href.slice(at + 1));
    var page = href.slice(0, at);
    if (!page) return Promise.resolve(document.getElementById(id));
    if (!pages[page]) {
      pages[page] = fetch(page).then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (text) { return new DOMParser().parseFromString(text, "text/html"); })
        .catch(function () { return null; });
    }
    return pages[page].then(function (doc) { return doc ? doc.getElementById(id) : null; });
  }
  function previewOf(target) {
    var box = document.createElement("div");
    if (/^H[1-6]$/.test(target.tagName)) {
      var heading = target.cloneNode(true);
      heading.querySelectorAll(".anchor-link").forEach(function (x) { x.remove(); });
      box.appendChild(heading);
      var next = target.nextElementSibling;
      for (var n = 0; next && n < 2 && !/^H[1-6]$/.test(next.tagName); n++) {
        box.appendChild(next.cloneNode(true));
        next = next.nextElementSibling;
      }
    } else {
      var el = target.closest("figure, .table-wrap, section") || target;
      box.appendChild(el.cloneNode(true));
    }
    box.querySelectorAll("[id]").forEach(function (x) { x.removeAttribute("id"); });
    return box;
  }
  function setupXrefPreviews() {
    if (data("xref-preview") !== "true") return;
    var popup = null, timer = null;
    function hide() { if (popup) { popup.remove(); popup = null; } }
    function show(a) {
      clearTimeout(timer);
      targetOf(a).then(function (target) {
        if (!target) return;
        hide();
        popup = document.createElement("div");
        popup.className = "xref-popup";
        popup.setAttribute("role", "tooltip");
        popup.id = "xref-popup";
        popup.appendChild(previewOf(target));
        popup.addEventListener("mouseenter", function () { clearTimeout(timer); });
        popup.addEventListener("mouseleave", function () { timer = setTimeout(hide, 250); });
        body.appendChild(popup);
        a.setAttribute("aria-describedby", "xref-popup");
        var r = a.getBoundingClientRect();
        var width = popup.offsetWidth;
        popup.style.left = Math.max(8, Math.min(r.left + window.scrollX - width / 2,
          window.scrollX + document.documentElement.clientWidth - width - 8)) + "px";
        popup.style.top = (r.bottom + window.scrollY + 8) + "px";
      });
    }
    document.querySelectorAll("main a.xref").forEach(function (a) {
      a.addEventListener("mouseenter", function () { show(a); });
      a.addEventListener("focus", function () { show(a); });
      a.addEventListener("mouseleave", function () { timer = setTimeout(hide, 250); });
      a.addEventListener("blur", function () { timer = setTimeout(hide, 250); });
    });
    document.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(); });
  }

  /* --- the search query, highlighted on the page a result opened (?q=…) --- */
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function highlightQuery() {
    var query = new URLSearchParams(window.location.search).get("q");
    var main = document.getElementById("inhoud");
    if (!query || !main) return;
    var terms = fold(query).split(/\s+/).filter(function (t) { return t.length > 1; });
    if (!terms.length) return;
    var walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT, {
      acceptNode: function (n) {
        return n.parentNode.closest("script, style, mark, .anchor-link") ?
          NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    var first = null;
    nodes.forEach(function (node) {
      var text = node.nodeValue, folded = fold(text), cuts = [];
      terms.forEach(function (t) {
        for (var i = folded.indexOf(t); i >= 0; i = folded.indexOf(t, i + t.length)) cuts.push([i, i + t.length]);
      });
      if (!cuts.length || folded.length !== text.length) return;
      cuts.sort(function (a, b) { return a[0] - b[0]; });
      var frag = document.createDocumentFragment(), pos = 0;
      cuts.forEach(function (c) {
        if (c[0] < pos) return;
        frag.appendChild(document.createTextNode(text.slice(pos, c[0])));
        var mark = document.createElement("mark");
        mark.className = "search-match";
        mark.textContent = text.slice(c[0], c[1]);
        frag.appendChild(mark);
        first = first || mark;
        pos = c[1];
      });
      frag.appendChild(document.createTextNode(text.slice(pos)));
      node.parentNode.replaceChild(frag, node);
    });
    if (first && !window.location.hash) first.scrollIntoView({ block: "center" });
  }

  /* --- keyboard shortcut to the search box (Quarto's f, / and s) --- */
  function setupSearchShortcut() {
    var keys = data("search-keys");
    var input = document.getElementById("zoekveld");
    if (!keys || !input) return;
    document.addEventListener("keydown", function (e) {
      var t = e.target;
      if (e.ctrlKey || e.metaKey || e.altKey || keys.indexOf(e.key) < 0 || e.key.length !== 1) return;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      e.preventDefault();
      body.classList.add("nav-open");
      input.focus();
      input.select();
    });
  }

  /* --- reader mode and the light/dark switch (remembered per browser) --- */
  function remember(key, value) {
    try { if (value === null) localStorage.removeItem(key); else localStorage.setItem(key, value); } catch (e) { /* private mode */ }
  }
  function recall(key) {
    try { return localStorage.getItem(key); } catch (e) { return null; }
  }
  function setupToggles() {
    var reader = document.querySelector(".reader-toggle");
    if (reader) {
      var setReader = function (on) {
        body.classList.toggle("reader-mode", on);
        reader.setAttribute("aria-pressed", on ? "true" : "false");
      };
      setReader(recall("proefdruk-reader-mode") === "on");
      reader.addEventListener("click", function () {
        var on = !body.classList.contains("reader-mode");
        setReader(on);
        remember("proefdruk-reader-mode", on ? "on" : null);
      });
    }
    var theme = document.querySelector(".theme-toggle");
    if (theme && data("theme") === "light-dark") {
      var html = document.documentElement;
      var dark = function () {
        var chosen = html.getAttribute("data-color");
        return chosen ? chosen === "dark" :
          window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
      };
      var saved = recall("proefdruk-color");
      if (saved) html.setAttribute("data-color", saved);
      theme.setAttribute("aria-pressed", dark() ? "true" : "false");
      theme.addEventListener("click", function () {
        var next = dark() ? "light" : "dark";
        html.setAttribute("data-color", next);
        theme.setAttribute("aria-pressed", next === "dark" ? "true" : "false");
        remember("proefdruk-color", next);
      });
    }
  }

  /* --- a copy button on code blocks --- */
  function setupCodeCopy() {
    if (data("code-copy") !== "true" || !navigator.clipboard) return;
    document.querySelectorAll("main pre > code").forEach(function (code) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "code-copy";
      button.textContent = "{{proefdruk-copy}}";
      button.title = "{{copy-button-tooltip}}";
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(code.textContent).then(function () {
          button.textContent = "{{copy-button-tooltip-success}}";
          setTimeout(function () { button.textContent = "{{proefdruk-copy}}"; }, 1500);
        });
      });
      code.parentNode.classList.add("has-copy");
      code.parentNode.appendChild(button);
    });
  }

  setupTabsets();
  setupLightbox();
  setupXrefPreviews();
  highlightQuery();
  setupSearchShortcut();
  setupToggles();
  setupCodeCopy();
})();
