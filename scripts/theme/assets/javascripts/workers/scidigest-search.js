/*
 * scidigest: the search worker. Material's search UI, a sharded index.
 *
 * Material 9.8.1's own worker needs the language's whole search_index.json
 * (4.9 MB, 751 KB gzipped, at 2,000 articles) before the first query, and
 * Material's bundle downloads it on every page view. This worker speaks the
 * same protocol to Material's UI (messages {type: 0 SETUP, data: {config,
 * docs, options}} -> {type: 1 READY}; {type: 2 QUERY, data: query} ->
 * {type: 3 RESULT, data: {items, suggest}}), but searches the sharded index
 * that scidigest.site.search_shards writes under the language's search dir
 * ("search/index/", "en/search/index/"): the guard in scripts/theme/main.html
 * answers Material's request for search_index.json with an empty index
 * carrying that dir's URL (config.index), so nothing is fetched until the
 * reader types. A query then fetches the manifest (once), the term shard(s)
 * or prefix summary of each word, and the metadata chunks of the results
 * shown: a bounded download, whatever the site's size.
 *
 * Terms are made as the build makes them (search_shards.words): split on the
 * search plugin's separator (French elisions: "d’Alzheimer" -> "d",
 * "alzheimer"), lowercased, diacritics on Latin letters folded ("ketamine"
 * finds "kétamine", "kétamine" finds "ketamine", "coeur" finds "cœur"),
 * non-letters trimmed. Every word is a prefix, as in Material (which makes
 * each "word*"); "+word" is required, "-word" excluded. Scores are lunr's
 * (BM25, b = 0, Material's field boosts), then Material's post-query boost
 * (pages over sections, more query words matched). Results are grouped by
 * page as Material groups them; the best RESULTS pages are listed.
 * Result titles and snippets highlight the matched words as written; the
 * terms handed to search.highlight are spelled as in the text ("kétamine").
 */
(function () {
  "use strict";

  var SETUP = 0;
  var READY = 1;
  var QUERY = 2;
  var RESULT = 3;
  /* pages listed per query (their metadata is fetched) */
  var RESULTS = 20;
  /* a query waits this long for the next key before it is searched */
  var TYPING_MS = 60;

  var LIGATURES = { "œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ẞ": "SS", "ﬁ": "fi", "ﬂ": "fl" };
  var MARKS_ON_LATIN = /(\p{Script=Latin})\p{M}+/gu;
  var LIGATURE = /[œŒæÆßẞﬁﬂ]/g;
  var EDGES = /^[^\p{L}\p{N}\p{M}]+|[^\p{L}\p{N}\p{M}]+$/gu;
  var LEADING = /^[^\p{L}\p{N}\p{M}]*/u;
  var TRAILING = /[^\p{L}\p{N}\p{M}]*$/u;

  function fold(text) {
    return text.normalize("NFD").replace(MARKS_ON_LATIN, "$1").normalize("NFC")
      .replace(LIGATURE, function (c) { return LIGATURES[c]; });
  }

  function trim(word) {
    return word.replace(EDGES, "");
  }

  function termOf(raw) {
    return trim(fold(trim(raw.toLowerCase())));
  }

  var base = null;
  var suggestions = false;
  var files = new Map();
  var latest = 0;

  function load(name) {
    if (!files.has(name)) {
      var promise = fetch(new URL(name, base).href).then(function (response) {
        if (!response.ok) throw new Error(name + ": " + response.status);
        return response.json();
      });
      promise.catch(function () { files.delete(name); });
      files.set(name, promise);
    }
    return files.get(name);
  }

  function hex(text) {
    return Array.from(new TextEncoder().encode(text), function (b) {
      return (b < 16 ? "0" : "") + b.toString(16);
    }).join("");
  }

  /* [i, j]: the shards holding every term that starts with prefix (search_shards.shards_spanned) */
  function shardsFor(firsts, prefix) {
    var lo = 0, hi = firsts.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (firsts[mid] <= prefix) lo = mid + 1; else hi = mid;
    }
    var i = Math.max(0, lo - 1), j = i;
    while (j + 1 < firsts.length && firsts[j + 1].startsWith(prefix)) j++;
    return [i, j];
  }

  function decode(entry, start, each) {
    var id = 0;
    for (var k = start; k + 1 < entry.length; k += 2) {
      id += entry[k];
      each(id, entry[k + 1]);
    }
  }

  /* {docs: Map(id -> {q, spelling}), completion: [term, spelling] | null} */
  function match(manifest, prefix) {
    var range = shardsFor(manifest.shards, prefix);
    var docs = new Map();
    if (range[1] - range[0] + 1 > manifest.max_shards) {
      return load("p" + hex(prefix) + ".json").then(function (summary) {
        var completion = summary.completions[0] || null;
        decode(summary.postings, 0, function (id, q) {
          docs.set(id, { q: q, spelling: null });
        });
        return { docs: docs, completion: completion };
      });
    }
    var names = [];
    for (var s = range[0]; s <= range[1]; s++) names.push("t" + s + ".json");
    return Promise.all(names.map(load)).then(function (shards) {
      var completion = null, most = 0;
      shards.forEach(function (shard) {
        Object.keys(shard).forEach(function (term) {
          if (!term.startsWith(prefix)) return;
          var entry = shard[term];
          var spelled = typeof entry[0] === "string" ? entry[0] : term;
          var count = (entry.length - (spelled === term ? 0 : 1)) >> 1;
          if (count > most || (count === most && completion && term < completion[0])) {
            most = count;
            completion = [term, spelled];
          }
          decode(entry, spelled === term ? 0 : 1, function (id, q) {
            var seen = docs.get(id);
            if (!seen || q > seen.q) docs.set(id, { q: q, spelling: spelled });
          });
        });
      });
      return { docs: docs, completion: completion };
    });
  }

  /* the query's words: [{term, raw, presence}] (presence 1 required, -1 excluded, 0 optional) */
  function parse(query, separator) {
    var clauses = [], seen = new Set();
    query.split(/\s+/).forEach(function (part) {
      var presence = part.charAt(0) === "+" ? 1 : part.charAt(0) === "-" ? -1 : 0;
      part.split(separator).forEach(function (raw) {
        var term = termOf(raw);
        if (term && !seen.has(term)) {
          seen.add(term);
          clauses.push({ term: term, raw: raw, word: trim(raw.toLowerCase()), presence: presence });
        }
      });
    });
    return clauses;
  }

  /* fragment (escaped text, a few bare tags) with every word starting with a prefix in <mark> */
  function highlight(fragment, prefixes, splitter) {
    return fragment.split(/(<[^>]*>)/).map(function (part, index) {
      if (index & 1) return part;
      return part.split(splitter).map(function (token, t) {
        if (t & 1 || !token) return token;
        var term = termOf(token);
        if (!term || !prefixes.some(function (p) { return term.startsWith(p); })) return token;
        var lead = LEADING.exec(token)[0].length;
        var tail = TRAILING.exec(token.slice(lead))[0].length;
        var end = token.length - tail;
        return token.slice(0, lead) + "<mark>" + token.slice(lead, end) + "</mark>" + token.slice(end);
      }).join("");
    }).join("");
  }

  /* the completion of the last word as the reader typed it, for search.suggest */
  function complete(query, clause, completion) {
    if (!completion) return [];
    var word = query.split(/[\s-]+/).pop();
    if (!word || !word.endsWith(clause.raw)) return [];
    var head = word.slice(0, word.length - clause.raw.length);
    var term = completion[0], spelled = completion[1], raw = clause.raw;
    if (spelled.startsWith(raw)) return [head + spelled];
    var typed = termOf(raw);
    if (!term.startsWith(typed) || raw !== raw.replace(EDGES, "")) return [];
    return [head + raw + term.slice(typed.length)];
  }

  /* stale(): a newer query came in (its result will replace this one's: fetch no more for this one) */
  function search(query, stale) {
    return load("manifest.json").then(function (manifest) {
      var separator = new RegExp(manifest.separator);
      var clauses = parse(query, separator);
      if (!clauses.length) return { items: [] };
      return Promise.all(clauses.map(function (clause) {
        return match(manifest, clause.term);
      })).then(function (matches) {
        return stale() ? null : rank(manifest, query, separator, clauses, matches);
      });
    });
  }

  function rank(manifest, query, separator, clauses, matches) {
    var stride = manifest.stride;
    var optional = clauses.filter(function (c) { return c.presence >= 0; });
    var scores = new Map(), excluded = new Set();
    clauses.forEach(function (clause, c) {
      matches[c].docs.forEach(function (hit, id) {
        if (clause.presence < 0) { excluded.add(id); return; }
        var doc = scores.get(id);
        if (!doc) scores.set(id, doc = { id: id, score: 0, terms: {}, matched: 0 });
        doc.score += Math.pow(2, hit.q / manifest.quant) - 1;
        doc.terms[hit.spelling || clause.word] = true;
        doc.matched++;
        doc[c] = true;
      });
    });
    var groups = new Map();
    scores.forEach(function (doc, id) {
      if (excluded.has(id)) return;
      for (var c = 0; c < clauses.length; c++)
        if (clauses[c].presence > 0 && !doc[c]) return;
      var boost = (id % stride === 0 ? 1 : 0) + doc.matched / optional.length;
      doc.score *= 1 + boost * boost;
      for (var k = 0; k < clauses.length; k++)
        if (clauses[k].presence >= 0 && !doc[k]) doc.terms[clauses[k].word] = false;
      var page = Math.floor(id / stride);
      var group = groups.get(page);
      if (!group) groups.set(page, group = { page: page, best: 0, docs: [] });
      group.docs.push(doc);
      if (doc.score > group.best) group.best = doc.score;
    });
    var shown = Array.from(groups.values()).sort(function (a, b) {
      return b.best - a.best || a.page - b.page;
    }).slice(0, RESULTS);
    var per = manifest.pages_per_chunk;
    var chunks = Array.from(new Set(shown.map(function (g) { return Math.floor(g.page / per); })));
    return Promise.all(chunks.map(function (c) { return load("d" + c + ".json"); })).then(function (loaded) {
      var byChunk = new Map();
      chunks.forEach(function (c, k) { byChunk.set(c, loaded[k]); });
      var prefixes = optional.map(function (c) { return c.term; });
      var splitter = new RegExp("(&#?\\w+;|" + manifest.separator + ")");
      var items = shown.map(function (group) {
        var rows = byChunk.get(Math.floor(group.page / per))[group.page % per];
        var docs = group.docs.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
        var item = docs.map(function (doc) { return present(rows[doc.id % stride], doc.score, doc.terms); });
        if (!docs.some(function (doc) { return doc.id % stride === 0; })) item.push(present(rows[0], 0, {}));
        return item;
        function present(row, score, terms) {
          var out = {
            location: row[0],
            title: highlight(row[1], prefixes, splitter),
            text: highlight(row[2], prefixes, splitter),
            score: score,
            terms: terms
          };
          if (row[3]) out.tags = row[3];
          return out;
        }
      });
      var result = { items: items };
      if (suggestions) {
        var last = optional.length ? optional[optional.length - 1] : null;
        result.suggest = last ? complete(query, last, matches[clauses.indexOf(last)].completion) : [];
      }
      return result;
    });
  }

  self.addEventListener("message", function (event) {
    var message = event.data || {};
    if (message.type === SETUP) {
      var data = message.data || {};
      var index = data.config && data.config.index;
      base = index ? new URL(index, self.location.href).href : null;
      suggestions = !!(data.options && data.options.suggest);
      self.postMessage({ type: READY });
    } else if (message.type === QUERY && typeof message.data === "string") {
      var seq = ++latest;
      var query = message.data;
      var stale = function () { return seq !== latest; };
      /* keys typed in quick succession: only the last query is searched */
      setTimeout(function () {
        if (stale()) return;
        (base && query.trim() ? search(query, stale) : Promise.resolve({ items: [] }))
          .catch(function () { return { items: [] }; })
          .then(function (result) {
            if (result && !stale()) self.postMessage({ type: RESULT, data: result });
          });
      }, TYPING_MS);
    }
  });
})();
