/* The HTML edition's behaviour: the sidebar on phones, footnotes that open in place,
   the section you are reading marked in "Op deze pagina", and full-text search over
   search.json. No libraries, no network requests beyond the site itself. */
(function () {
  "use strict";

  var root = document.body.getAttribute("data-root") || "";

  /* --- sidebar on small screens --- */
  function setupNavToggle() {
    var button = document.querySelector(".nav-toggle");
    if (!button) return;
    function close() {
      document.body.classList.remove("nav-open");
      button.setAttribute("aria-expanded", "false");
    }
    button.addEventListener("click", function () {
      var open = document.body.classList.toggle("nav-open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) {
        var input = document.getElementById("zoekveld");
        var current = document.querySelector('.book-toc [aria-current="page"]');
        (current || input).focus();
      }
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape") close();
    });
    document.addEventListener("click", function (e) {
      if (!document.body.classList.contains("nav-open")) return;
      var sidebar = document.getElementById("sidebar");
      if (!sidebar.contains(e.target) && !button.contains(e.target)) close();
    });
  }

  /* --- footnotes in place --- */
  function setupFootnotes() {
    var popup = null;
    var hideTimer = null;
    function hide() {
      if (popup) { (popup.parentNode.classList.contains("fn-popup-host") ? popup.parentNode
                    : popup).remove(); popup = null; }
    }
    function scheduleHide() {
      clearTimeout(hideTimer);
      hideTimer = setTimeout(hide, 250);
    }
    function show(ref) {
      clearTimeout(hideTimer);
      var id = decodeURIComponent((ref.getAttribute("href") || "").slice(1));
      var note = document.getElementById(id);
      if (!note) return;
      hide();
      popup = document.createElement("div");
      popup.className = "fn-popup";
      popup.setAttribute("role", "tooltip");
      popup.id = "fn-popup";
      popup.setAttribute("data-for", ref.id);
      var clone = note.cloneNode(true);
      clone.querySelectorAll(".footnote-back").forEach(function (a) { a.remove(); });
      var number = document.createElement("span");
      number.className = "fn-popup-number";
      number.textContent = ref.textContent.trim();
      var first = clone.querySelector("p") || clone;
      first.insertBefore(number, first.firstChild);
      while (clone.firstChild) popup.appendChild(clone.firstChild);
      popup.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
      popup.addEventListener("mouseleave", scheduleHide);
      // Inside a labelled <aside>: a landmark, so the open note is not content outside
      // every landmark for assistive technology (axe-core rule "region").
      var host = document.createElement("aside");
      host.className = "fn-popup-host";
      host.setAttribute("aria-label", "{{proefdruk-footnote}}");
      host.appendChild(popup);
      document.body.appendChild(host);
      ref.setAttribute("aria-describedby", "fn-popup");
      var r = ref.getBoundingClientRect();
      var width = popup.offsetWidth;
      var left = Math.min(Math.max(8, r.left + window.scrollX - width / 2),
                          window.scrollX + document.documentElement.clientWidth - width - 8);
      popup.style.left = left + "px";
      popup.style.top = (r.bottom + window.scrollY + 8) + "px";
    }
    document.querySelectorAll("a.footnote-ref").forEach(function (ref) {
      ref.addEventListener("mouseenter", function () { show(ref); });
      ref.addEventListener("focus", function () { show(ref); });
      ref.addEventListener("mouseleave", scheduleHide);
      ref.addEventListener("blur", scheduleHide);
      /* on a touch screen the first tap opens the note in place, a second tap follows
         the link to the notes at the end of the page */
      ref.addEventListener("click", function (e) {
        if (!popup || popup.getAttribute("data-for") !== ref.id) {
          e.preventDefault();
          show(ref);
        }
      });
    });
    document.addEventListener("click", function (e) {
      if (popup && !popup.contains(e.target) && !e.target.closest("a.footnote-ref")) hide();
    });
    document.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(); });
  }

  /* --- current section in "Op deze pagina" --- */
  function setupPageToc() {
    var links = Array.prototype.slice.call(document.querySelectorAll(".page-toc a"));
    if (!links.length || !("IntersectionObserver" in window)) return;
    var byId = {};
    links.forEach(function (a) { byId[decodeURIComponent(a.getAttribute("href").slice(1))] = a; });
    var headings = Object.keys(byId).map(function (id) { return document.getElementById(id); })
      .filter(Boolean);
    var observer = new IntersectionObserver(function () {
      var current = null;
      headings.forEach(function (h) {
        if (h.getBoundingClientRect().top < window.innerHeight * 0.3) current = h;
      });
      links.forEach(function (a) { a.classList.remove("current"); });
      if (current) byId[current.id].classList.add("current");
    }, { rootMargin: "0px 0px -60% 0px", threshold: [0, 1] });
    headings.forEach(function (h) { observer.observe(h); });
  }

  /* --- search --- */
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  /* A short piece of text around the first hit, with every term marked. Folding keeps
     one character per character for Dutch text, so positions match the original. */
  function snippet(text, terms) {
    var folded = fold(text);
    var at = folded.indexOf(terms[0]);
    var start = Math.max(0, at - 60);
    var end = Math.min(text.length, (at < 0 ? 0 : at) + 140);
    var piece = text.slice(start, end);
    var foldedPiece = folded.slice(start, end);
    var marks = [];
    terms.forEach(function (t) {
      var i = foldedPiece.indexOf(t);
      while (i >= 0 && t.length) { marks.push([i, i + t.length]); i = foldedPiece.indexOf(t, i + t.length); }
    });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var out = "", pos = 0;
    marks.forEach(function (m) {
      if (m[0] < pos) return;
      out += escapeHtml(piece.slice(pos, m[0])) + "<mark>" + escapeHtml(piece.slice(m[0], m[1])) + "</mark>";
      pos = m[1];
    });
    out += escapeHtml(piece.slice(pos));
    return (start > 0 ? "… " : "") + out + (end < text.length ? " …" : "");
  }

  /* The result's address with ?q=<query>, so the page it opens marks the words found
     (quarto.js highlights them, as Quarto's search does). */
  function withQuery(href, query) {
    var at = href.indexOf("#");
    var page = at < 0 ? href : href.slice(0, at);
    return page + "?q=" + encodeURIComponent(query) + (at < 0 ? "" : href.slice(at));
  }

  function setupSearch() {
    var input = document.getElementById("zoekveld");
    var list = document.getElementById("zoekresultaten");
    var status = document.getElementById("zoekstatus");
    if (!input || !list) return;
    var index = null;
    var loading = null;

    function load() {
      if (loading) return loading;
      loading = fetch(root + "search.json")
        .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
        .then(function (entries) {
          index = entries.map(function (e) {
            return { e: e, title: fold(e.chapter + " " + e.section), text: fold(e.text) };
          });
          return index;
        })
        .catch(function () {
          status.textContent = "{{proefdruk-search-unavailable}}";
          index = [];
          return index;
        });
      return loading;
    }

    function run() {
      var query = fold(input.value).trim();
      var terms = query.split(/\s+/).filter(function (t) { return t.length > 1; });
      if (!terms.length) {
        list.hidden = true; list.innerHTML = ""; status.textContent = "";
        return;
      }
      load().then(function () {
        if (fold(input.value).trim() !== query) return;
        var hits = [];
        index.forEach(function (item) {
          var score = 0;
          for (var i = 0; i < terms.length; i++) {
            var inTitle = item.title.indexOf(terms[i]) >= 0;
            var inText = item.text.indexOf(terms[i]) >= 0;
            if (!inTitle && !inText) return;
            /* a heading hit weighs most; repeated hits count, but only up to ten */
            var count = inText ? Math.min(item.text.split(terms[i]).length - 1, 10) : 0;
            score += (inTitle ? 10 : 0) + (inText ? 1 + count / 10 : 0);
          }
          /* the provenance appendix repeats every key word: prose comes first */
          if (item.e.kind === "provenance") score = score / 20;
          hits.push({ item: item, score: score });
        });
        hits.sort(function (a, b) { return b.score - a.score; });
        var shown = hits.slice(0, 20);
        list.innerHTML = shown.map(function (h) {
          var e = h.item.e;
          return '<li><a href="' + escapeHtml(withQuery(root + e.href, input.value.trim())) + '">' +
            (e.section ? '<span class="result-chapter">' + escapeHtml(e.chapter) + "</span>" : "") +
            '<span class="result-section">' + escapeHtml(e.section || e.chapter) + "</span>" +
            '<span class="result-snippet">' + snippet(e.text, terms) + "</span></a></li>";
        }).join("");
        list.hidden = shown.length === 0;
        status.textContent = hits.length === 0 ? "{{proefdruk-search-no-results-for}} \u201c" + input.value.trim() + "\u201d." :
          hits.length === 1 ? "1 {{proefdruk-search-result}}" : hits.length + " {{proefdruk-search-results}}";
      });
    }

    var timer = null;
    input.addEventListener("focus", load);
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 120); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter") {
        var first = list.querySelector("a");
        if (first) { window.location.href = first.getAttribute("href"); }
      } else if (e.key === "ArrowDown") {
        var a = list.querySelector("a");
        if (a) { e.preventDefault(); a.focus(); }
      } else if (e.key === "Escape") {
        input.value = ""; run();
      }
    });
    list.addEventListener("keydown", function (e) {
      var items = Array.prototype.slice.call(list.querySelectorAll("a"));
      var i = items.indexOf(document.activeElement);
      if (e.key === "ArrowDown" && i < items.length - 1) { e.preventDefault(); items[i + 1].focus(); }
      if (e.key === "ArrowUp") { e.preventDefault(); (i > 0 ? items[i - 1] : input).focus(); }
    });
  }

  /* --- keep the current chapter in view in a long sidebar --- */
  function revealCurrentChapter() {
    var sidebar = document.getElementById("sidebar");
    var current = document.querySelector('.book-toc [aria-current="page"]');
    if (!sidebar || !current) return;
    var top = current.offsetTop - sidebar.clientHeight / 3;
    if (top > 0) sidebar.scrollTop = top;
  }

  revealCurrentChapter();
  setupNavToggle();
  setupFootnotes();
  setupPageToc();
  setupSearch();
})();
