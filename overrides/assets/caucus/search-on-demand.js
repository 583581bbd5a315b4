/*
 * Material for MkDocs' search downloads the whole search index as soon as any
 * page opens: megabytes once a caucus has a few thousand notes, paid by every
 * reader on a first visit whether or not they search. This holds back that one
 * request until the reader is about to search (the search box is focused,
 * touched or pointed at, which every way of opening search does), or until a
 * page opened from a search result needs it to highlight the words searched
 * for (?h=). Material's own search then works as before: it shows
 * "Initializing search" until the index has arrived, and runs the query typed
 * meanwhile. Loaded before Material's bundle, which requests the index with
 * XMLHttpRequest; if that ever changes, nothing is held back and the index
 * simply loads as it did before.
 */
(function () {
  "use strict";

  var INDEX = /\/search\/search_index\.json$/;
  var SEARCH = "[data-md-component=search], label[for=__search]";
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  var held = [];
  var wanted = new URLSearchParams(window.location.search).has("h");

  function release() {
    wanted = true;
    held.splice(0).forEach(function (go) { go(); });
  }

  XMLHttpRequest.prototype.open = function (method, url) {
    this.caucusSearchIndex = INDEX.test(new URL(String(url), window.location.href).pathname);
    return open.apply(this, arguments);
  };

  XMLHttpRequest.prototype.send = function () {
    if (this.caucusSearchIndex && !wanted) {
      var request = this;
      var args = arguments;
      held.push(function () { send.apply(request, args); });
      return undefined;
    }
    return send.apply(this, arguments);
  };

  function onIntent(event) {
    if (!wanted && event.target instanceof Element && event.target.closest(SEARCH)) {
      release();
    }
  }

  ["focusin", "pointerover", "touchstart"].forEach(function (type) {
    document.addEventListener(type, onIntent, { capture: true, passive: true });
  });
}());
