// Runs the theme's search worker (scripts/theme/assets/javascripts/workers/scidigest-search.js)
// under Node, against a sharded index on disk, as Material's UI drives it: SETUP, then one QUERY
// at a time. Used by tests/site/test_search_shards.py.
//
//   node run_search_worker.js <worker.js> <index dir> <queries.json>
//
// Prints one JSON line per query: {query, items: [[location, ...] per page], titles, suggest,
// fetched: [file names read for that query]}.
"use strict";

const fs = require("fs");
const path = require("path");
const vm = require("vm");

const [workerPath, indexDir, queriesPath] = process.argv.slice(2);
const queries = JSON.parse(fs.readFileSync(queriesPath, "utf8"));
const BASE = "http://127.0.0.1/site/search/index/";

let listener = null;
let fetched = [];
let answer = null;
const self = {
  location: { href: "http://127.0.0.1/site/assets/javascripts/workers/scidigest-search.js" },
  addEventListener(type, fn) { if (type === "message") listener = fn; },
  postMessage(message) { if (answer) answer(message); },
};
const context = vm.createContext({
  self, URL, TextEncoder, Promise, Map, Set, Array, Object, JSON, Math, RegExp, String, setTimeout,
  fetch(url) {
    const name = url.slice(BASE.length);
    fetched.push(name);
    const file = path.join(indexDir, name);
    if (!url.startsWith(BASE) || name.includes("/") || !fs.existsSync(file)) {
      return Promise.resolve({ ok: false, status: 404, json: () => Promise.reject(new Error("404")) });
    }
    return Promise.resolve({ ok: true, status: 200, json: () => Promise.resolve(JSON.parse(fs.readFileSync(file, "utf8"))) });
  },
});
vm.runInContext(fs.readFileSync(workerPath, "utf8"), context, { filename: workerPath });

function send(message) {
  return new Promise((resolve) => {
    answer = resolve;
    listener({ data: message });
  });
}

(async () => {
  const ready = await send({ type: 0, data: { config: { index: BASE }, docs: [], options: { suggest: true } } });
  if (ready.type !== 1) throw new Error("no READY");
  for (const query of queries) {
    fetched = [];
    const result = await send({ type: 2, data: query });
    if (result.type !== 3) throw new Error("no RESULT");
    process.stdout.write(JSON.stringify({
      query,
      items: result.data.items.map((item) => item.map((doc) => doc.location)),
      titles: result.data.items.map((item) => item[0].title),
      texts: result.data.items.map((item) => item[0].text),
      terms: result.data.items.map((item) => item[0].terms),
      suggest: result.data.suggest,
      fetched,
    }) + "\n");
  }
})().catch((error) => { console.error(error); process.exit(1); });
