/* Previews of links to the site's own pages: the target's title, summary and first paragraph
 * (for a link to a heading: that heading and the paragraph under it), shown when a link is
 * pointed at, focused with the keyboard, or pressed and held on a touch screen.
 *
 * The target page is fetched from the site itself (same origin, once per page) and read with
 * DOMParser, which runs none of its scripts; text is written with textContent only. Escape,
 * moving away or a tap elsewhere closes the preview; pointing at the preview keeps it open.
 * No framework, nothing from another host: the site's Content-Security-Policy allows it as is.
 */
(function () {
  "use strict";

  var SHOW_AFTER = 300; // ms of pointing before a preview opens
  var FOCUS_AFTER = 120; // ms after keyboard focus, so tabbing through a list does not flicker
  var HIDE_AFTER = 250; // ms to move the pointer from the link into the preview
  var HOLD = 500; // ms a touch must be held
  var MAX_CHARS = 320;
  var ID = "caucus-preview";

  var pages = new Map();
  var box = null;
  var link = null; // the link whose preview is open or opening
  var showTimer = 0;
  var hideTimer = 0;
  var holdTimer = 0;
  var swallowClick = false;

  function previewable(a) {
    if (!a || a.tagName !== "A" || !a.hasAttribute("href") || a.target || a.hasAttribute("download")) return false;
    if (!a.closest("article") || a.closest(".caucus-graph, .md-source-file, #" + ID)) return false;
    if (a.matches(".headerlink, .footnote-ref, .footnote-backref, .md-content__button")) return false;
    var url = new URL(a.href, location.href);
    if (url.origin !== location.origin || !/(\/|\.html)$/.test(url.pathname)) return false;
    return url.pathname !== location.pathname || url.hash.length > 1;
  }

  function linkAt(target) {
    var a = target && target.closest ? target.closest("a") : null;
    return previewable(a) ? a : null;
  }

  function page(url) {
    var key = url.split("#")[0];
    if (key === location.href.split("#")[0]) return Promise.resolve(document);
    if (!pages.has(key)) {
      pages.set(key, fetch(key, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      }).then(function (text) {
        return new DOMParser().parseFromString(text, "text/html");
      }).catch(function (error) {
        pages.delete(key);
        throw error;
      }));
    }
    return pages.get(key);
  }

  function words(element) {
    var copy = element.cloneNode(true);
    copy.querySelectorAll(".headerlink, .footnote-ref, sup").forEach(function (e) { e.remove(); });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  function shortened(text) {
    if (text.length <= MAX_CHARS) return text;
    return text.slice(0, MAX_CHARS).replace(/\s+\S*$/, "").replace(/[\s.,;:]+$/, "") + "…";
  }

  function excerpt(doc, hash) {
    var article = doc.querySelector("article") || doc.body;
    var h1 = article.querySelector("h1");
    var title = h1 ? words(h1) : doc.title;
    var heading = null;
    if (hash.length > 1) {
      var found = doc.getElementById(decodeURIComponent(hash.slice(1)));
      if (found && /^H[2-6]$/.test(found.tagName)) heading = found;
    }
    var meta = doc.querySelector('meta[name="description"]');
    var summary = heading ? "" : (meta ? meta.getAttribute("content").trim() : "");
    var start = heading || h1;
    var text = "";
    var paragraphs = article.querySelectorAll("p");
    for (var i = 0; i < paragraphs.length && !text; i++) {
      var p = paragraphs[i];
      if (start && !(start.compareDocumentPosition(p) & Node.DOCUMENT_POSITION_FOLLOWING)) continue;
      if (p.closest("figure, nav, .md-source-file, [class^='caucus-note'], [class*=' caucus-note']")) continue;
      if (p.className && /caucus-note/.test(p.className)) continue;
      if (p.querySelector("[class*='caucus-note']")) continue;  // the note's header line, written by the site
      var said = words(p);
      if (said && said !== summary) text = said;
    }
    var number = heading ? null : article.querySelector(".caucus-note-meta strong"); // "Strategy Note 4"
    return { label: number ? words(number) : "", title: heading ? title + " › " + words(heading) : title,
      summary: shortened(summary), text: shortened(text) };
  }

  function ensureBox() {
    if (box) return box;
    box = document.createElement("div");
    box.id = ID;
    box.className = "caucus-preview";
    box.setAttribute("role", "tooltip");
    box.hidden = true;
    box.addEventListener("pointerenter", function () { clearTimeout(hideTimer); });
    box.addEventListener("pointerleave", function (event) {
      if (event.pointerType === "mouse") hideSoon();
    });
    document.body.appendChild(box);
    return box;
  }

  function fill(parts) {
    var element = ensureBox();
    element.textContent = "";
    [["caucus-preview__label", parts.label], ["caucus-preview__title", parts.title], ["caucus-preview__summary", parts.summary],
      ["caucus-preview__text", parts.text]].forEach(function (part) {
      if (!part[1]) return;
      var p = document.createElement("p");
      p.className = part[0];
      p.textContent = part[1];
      element.appendChild(p);
    });
  }

  function place(a) {
    var element = ensureBox();
    element.style.left = "0px";
    element.style.top = "0px";
    var rect = a.getClientRects()[0] || a.getBoundingClientRect();
    var width = element.offsetWidth;
    var height = element.offsetHeight;
    var left = Math.max(8, Math.min(rect.left, document.documentElement.clientWidth - width - 8));
    var below = rect.bottom + 8 + height <= window.innerHeight || rect.top < height + 8;
    var top = below ? rect.bottom + 8 : rect.top - height - 8;
    element.style.left = (left + window.scrollX) + "px";
    element.style.top = (top + window.scrollY) + "px";
  }

  function show(a) {
    clearTimeout(hideTimer);
    link = a;
    var url = new URL(a.href, location.href);
    page(url.href).then(function (doc) {
      if (link !== a) return;
      fill(excerpt(doc, url.hash));
      box.hidden = false;
      place(a);
      if (!a.hasAttribute("aria-describedby")) a.setAttribute("aria-describedby", ID);
    }).catch(function () { /* no preview: the link still works */ });
  }

  function hide() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    if (link && link.getAttribute("aria-describedby") === ID) link.removeAttribute("aria-describedby");
    link = null;
    if (box) box.hidden = true;
  }

  function showSoon(a, delay) {
    clearTimeout(hideTimer);
    if (link === a && box && !box.hidden) return;
    clearTimeout(showTimer);
    link = a;
    showTimer = setTimeout(function () { show(a); }, delay);
  }

  function hideSoon() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, HIDE_AFTER);
  }

  document.addEventListener("pointerover", function (event) {
    if (event.pointerType !== "mouse") return;
    var a = linkAt(event.target);
    if (a) showSoon(a, SHOW_AFTER);
  });
  document.addEventListener("pointerout", function (event) {
    if (event.pointerType !== "mouse") return;
    var a = linkAt(event.target);
    if (a && a === link && !a.contains(event.relatedTarget)) hideSoon();
  });
  document.addEventListener("focusin", function (event) {
    var a = linkAt(event.target);
    if (a) showSoon(a, FOCUS_AFTER);
  });
  document.addEventListener("focusout", function (event) {
    if (link && event.target === link) hide();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && link) hide();
  });

  /* Touch: press and hold a link to see its preview (a tap still follows it); a tap elsewhere closes. */
  document.addEventListener("pointerdown", function (event) {
    if (event.pointerType === "mouse") return;
    var a = linkAt(event.target);
    if (!a) {
      if (link && !(box && box.contains(event.target))) hide();
      return;
    }
    clearTimeout(holdTimer);
    holdTimer = setTimeout(function () {
      swallowClick = true;
      show(a);
    }, HOLD);
  });
  ["pointerup", "pointercancel", "pointermove"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      if (event.pointerType === "mouse") return;
      if (type !== "pointermove" || Math.abs(event.movementX) + Math.abs(event.movementY) > 8) clearTimeout(holdTimer);
    });
  });
  document.addEventListener("click", function (event) {
    if (swallowClick) {
      swallowClick = false;
      if (linkAt(event.target)) event.preventDefault();
    }
  }, true);
  document.addEventListener("contextmenu", function (event) {
    if (swallowClick && linkAt(event.target)) event.preventDefault();
  });
})();
