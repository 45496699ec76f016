/*
 * scidigest: Material's search worker, blind to diacritics.
 *
 * Readers type "ketamine", "evolution" or "coeur" for "kétamine", "évolution"
 * and "cœur" (and the reverse, on the English site, for a French name). lunr
 * compares exact terms, and Material turns every query word into a prefix
 * search ("ketamine*"), which skips lunr's query pipeline: the folding has to
 * happen to the query string itself and to every indexed term. So this worker
 * (the one scripts/theme/main.html gives Material as "search") wraps Material
 * 9.8.1's own, unchanged:
 *
 *   - every lunr.Token is built from the folded string: the index holds
 *     "ketamine" for "kétamine". Positions still point into the original
 *     text, so result snippets show and highlight the accented words;
 *   - every query is folded before Material's worker sees it;
 *   - the completion Material suggests (search.suggest) is mapped back to the
 *     first spelling seen in the index ("dépression", not "depression").
 *
 * Why not the alternatives: a folded copy of each entry's text (or an extra
 * folded field in search_index.json) makes "ketamine" find "kétamine" but not
 * "kétamine" find "ketamine", and grows the index every reader downloads;
 * the search plugin's `separator` and `pipeline` options cannot fold (the
 * pipeline only removes lunr's own steps).
 *
 * Folding: Latin letters lose their combining marks (NFD, then the marks that
 * follow a Latin letter are dropped), and the ligatures œ æ ß ﬁ ﬂ are spelled
 * out. Marks on other scripts (Greek, Cyrillic, Devanagari, Japanese kana)
 * carry meaning and are kept.
 *
 * Relies on Material 9.8.1's worker (its file name below, the global `lunr`
 * it sets, `new lunr.Token(...)` in its tokenizer, one "message" listener,
 * messages {type: 2, data: query} and answers {type: 3, data: {items,
 * suggest}}): tests/site/test_search_folding.py fails when those move.
 */
(function () {
  "use strict";

  var MATERIAL_WORKER = "search.a7633da7.min.js";
  var QUERY = 2;
  var RESULT = 3;
  var LIGATURES = { "œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ẞ": "SS", "ﬁ": "fi", "ﬂ": "fl" };
  var MARKS_ON_LATIN = /(\p{Script=Latin})\p{M}+/gu;
  var LIGATURE = /[œŒæÆßẞﬁﬂ]/g;

  function fold(text) {
    return text.normalize("NFD").replace(MARKS_ON_LATIN, "$1").normalize("NFC")
      .replace(LIGATURE, function (c) { return LIGATURES[c]; });
  }

  /* folded term -> the first spelling the index saw, for suggestions */
  var spelling = new Map();

  var listen = self.addEventListener.bind(self);
  self.addEventListener = function (type, listener, options) {
    if (type !== "message") return listen(type, listener, options);
    return listen(type, function (event) {
      var message = event.data;
      if (message && message.type === QUERY && typeof message.data === "string") {
        message = { type: QUERY, data: fold(message.data) };
      }
      return listener.call(this, { data: message });
    }, options);
  };

  var post = self.postMessage.bind(self);
  self.postMessage = function (message) {
    var data = message && message.type === RESULT ? message.data : null;
    if (data && Array.isArray(data.suggest)) {
      data.suggest = data.suggest.map(function (term) { return spelling.get(term) || term; });
    }
    return post.apply(self, arguments);
  };

  importScripts(MATERIAL_WORKER);

  var Token = self.lunr.Token;
  function FoldedToken(str, metadata) {
    var folded = typeof str === "string" ? fold(str) : str;
    if (folded !== str && !spelling.has(folded)) spelling.set(folded, str);
    Token.call(this, folded, metadata);
  }
  FoldedToken.prototype = Token.prototype;
  self.lunr.Token = FoldedToken;
})();
