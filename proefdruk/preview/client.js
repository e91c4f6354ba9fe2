// The preview's client, injected by the preview server into the HTML it serves (never
// into the files on disk). It tells the server when the page has settled, and listens
// for the server's events: "reload" when the page this tab shows was rebuilt (the scroll
// position is kept across the reload), "problem" with a build error to show over the
// page, "clear" when the build is good again.
(() => {
  "use strict";
  const script = document.currentScript;
  const digest = (script && script.dataset.digest) || "";
  const page = location.pathname;
  const key = "proefdruk-preview-scroll:" + page;

  if ("scrollRestoration" in history) history.scrollRestoration = "manual";
  const saved = sessionStorage.getItem(key);
  sessionStorage.removeItem(key);
  const position = saved === null ? null : JSON.parse(saved);
  const restore = () => { if (position !== null) window.scrollTo(position[0], position[1]); };
  restore();
  // Images and fonts change the layout until the page has loaded: restore again then,
  // and mark the page settled (the preview's tests wait for this mark).
  // The server waits for this word before it starts the next build, so that the
  // build does not take the cores from the page the author is waiting for.
  const settle = () => {
    restore();
    document.documentElement.dataset.proefdrukPreview = "ready";
    fetch("/__proefdruk/settled?page=" + encodeURIComponent(page) +
      "&digest=" + encodeURIComponent(digest), { cache: "no-store" }).catch(() => {});
  };
  const loaded = () => (document.fonts ? document.fonts.ready : Promise.resolve()).then(settle);
  if (document.readyState === "complete") loaded();
  else window.addEventListener("load", loaded);

  // The overlay keeps its look in a shadow tree of its own: no rule of the site (its
  // `pre` once made the text white on off-white), not even an !important one, reaches
  // inside, and the host resets what it would inherit from the page.
  const OVERLAY_STYLE =
    ".box{all:initial;display:block;box-sizing:border-box;position:fixed;left:0;right:0;" +
    "bottom:0;max-height:60vh;overflow:auto;z-index:2147483647;margin:0;" +
    "padding:1rem 1.25rem;background:#3b0a0a;color:#ffffff;" +
    "border-top:4px solid #e5484d;box-shadow:0 -4px 16px rgba(0,0,0,.4);" +
    "font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;text-align:left}" +
    ".head{all:initial;display:block;font:inherit;font-weight:700;color:#ffffff}" +
    "pre{all:initial;display:block;margin:.5rem 0 0;padding:0;white-space:pre-wrap;" +
    "overflow-wrap:anywhere;font:inherit;color:#ffffff;background:transparent}";
  let overlay = null;
  function show(text) {
    if (overlay === null) {
      overlay = document.createElement("div");
      overlay.id = "proefdruk-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "all:initial !important;display:block !important";
      const root = overlay.attachShadow({ mode: "open" });
      const style = document.createElement("style");
      style.textContent = OVERLAY_STYLE;
      const box = document.createElement("div");
      box.className = "box";
      const head = document.createElement("strong");
      head.className = "head";
      head.textContent = "Build error (this page shows the last good build)";
      const body = document.createElement("pre");
      box.append(head, body);
      root.append(style, box);
      document.body.append(overlay);
    }
    overlay.shadowRoot.querySelector("pre").textContent = text;
  }
  function hide() {
    if (overlay !== null) overlay.remove();
    overlay = null;
  }

  const url = "/__proefdruk/events?page=" + encodeURIComponent(page) +
    "&digest=" + encodeURIComponent(digest);
  const events = new EventSource(url);
  events.addEventListener("reload", () => {
    sessionStorage.setItem(key, JSON.stringify([window.scrollX, window.scrollY]));
    events.close();
    location.reload();
  });
  events.addEventListener("problem", (e) => show(JSON.parse(e.data)));
  events.addEventListener("clear", hide);
})();
