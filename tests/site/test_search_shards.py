"""The sharded search index (scidigest.site.search_shards) and the worker that reads it.

The worker tests run the theme's worker itself under Node
(tests/site/run_search_worker.js) against indexes built here, as Material's
UI drives it: what a query fetches and what it finds are the worker's own
answers, not a Python model of them.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
from pathlib import Path

import pytest

from scidigest.site import search_shards as ss

REPO = Path(__file__).resolve().parents[2]
WORKER = REPO / "scripts/theme/assets/javascripts/workers/scidigest-search.js"
HARNESS = Path(__file__).with_name("run_search_worker.js")
SEPARATOR = r"[\s\-'’]+"
CONFIG = {"lang": ["fr"], "separator": SEPARATOR, "pipeline": ["stopWordFilter"],
          "fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}, "tags": {"boost": 1000000.0}}}
COMMON = ("les chercheurs ont montré que la mesure des cellules dans le cerveau permet de mieux comprendre "
          "d’Alzheimer l’épilepsie cœur kétamine dépression évolution Ελληνικά été").split()
SYLLABLES = ["zo", "rba", "ve", "lix", "qua", "tro", "pi", "nel", "dru", "mo", "ska", "fen", "ul", "yth"]


def unique(i: int) -> str:
    word, n = "", i
    for _ in range(4):
        word += SYLLABLES[n % len(SYLLABLES)]
        n //= len(SYLLABLES)
    return word + "ium"


def synthetic_index(pages: int, seed: int = 3) -> dict:
    """Material-shaped entries: each page, then 0-3 sections; one made-up word per page."""
    rng = random.Random(seed)
    docs = []
    for p in range(pages):
        loc = f"articles/a{p:05d}/"
        words = [rng.choice(COMMON) for _ in range(rng.randint(20, 120))]
        words += ["zo" + unique(rng.randrange(6000)) for _ in range(15)]  # a long tail of rarer words, one prefix
        words.insert(rng.randrange(len(words)), unique(p))
        docs.append({"location": loc, "title": f"Article {p} sur la {rng.choice(COMMON)} &amp; <code>x</code>",
                     "text": " ".join(words), "tags": [rng.choice(["neurones", "épilepsie"])]})
        for s in range(rng.randint(0, 3)):
            docs.append({"location": f"{loc}#s{s}", "title": f"Partie {s}",
                         "text": " ".join(rng.choice(COMMON) for _ in range(40))})
    return {"config": CONFIG, "docs": docs}


def run_worker(files: dict[str, str], queries: list[str], tmp_path: Path) -> list[dict]:
    index_dir = tmp_path / "index"
    index_dir.mkdir(exist_ok=True)
    for name, text in files.items():
        (index_dir / name).write_text(text, encoding="utf-8")
    queries_file = tmp_path / "queries.json"
    queries_file.write_text(json.dumps(queries), encoding="utf-8")
    proc = subprocess.run(["node", str(HARNESS), str(WORKER), str(index_dir), str(queries_file)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines()]


@pytest.fixture(scope="module")
def big():
    index = synthetic_index(1500)
    return index, ss.build(index)


def test_the_build_is_deterministic_and_independent_of_dict_order(big):
    index, sharded = big
    again = ss.build(json.loads(json.dumps(index)))
    assert again.files == sharded.files
    shuffled = {"docs": [dict(reversed(list(d.items()))) for d in index["docs"]], "config": index["config"]}
    assert ss.build(shuffled).files == sharded.files


def test_every_term_shard_and_summary_stays_under_the_bound_and_chunks_stay_small(big):
    _, sharded = big
    names = list(sharded.files)
    assert sum(n.startswith("t") for n in names) > 10, "the test index must need many shards"
    assert any(n.startswith("p") for n in names), "and prefix summaries"
    for name, text in sharded.files.items():
        size = len(text.encode("utf-8"))
        if name[0] in "tp":
            assert size <= ss.SHARD_BYTES, (name, size)
        elif name[0] == "d":
            assert size <= 16 * 1024, (name, size)
    assert len(sharded.files["manifest.json"]) < 4096


def test_every_term_and_every_prefix_is_reachable_by_the_manifest_rule(big):
    index, sharded = big
    manifest = json.loads(sharded.files["manifest.json"])
    firsts = manifest["shards"]
    keys = [ss.utf16_key(t) for t in firsts]
    assert firsts == sorted(firsts, key=ss.utf16_key)
    shards = [json.loads(sharded.files[f"t{i}.json"]) for i in range(len(firsts))]
    vocabulary = {t for s in shards for t in s}
    assert len(vocabulary) == sharded.terms
    separator = re.compile(SEPARATOR)
    for doc in index["docs"]:
        for term, _ in ss.words(ss.plain_text(doc["text"]), separator):
            assert term in vocabulary, term
    for term in sorted(vocabulary):
        for n in range(1, len(term) + 1):
            prefix = term[:n]
            i, j = ss.shards_spanned(firsts, keys, prefix)
            if j - i + 1 > manifest["max_shards"]:
                assert ss.summary_name(prefix) in sharded.files, prefix
            else:
                assert any(t.startswith(prefix) for s in shards[i:j + 1] for t in s), prefix
                assert term in {t for s in shards[i:j + 1] for t in s} or n < len(term), term


def test_terms_are_folded_split_at_elisions_and_keep_their_spelling():
    separator = re.compile(SEPARATOR)
    assert [t for t, _ in ss.words("d’Alzheimer, l'épilepsie (kétamine).", separator)] == [
        "d", "alzheimer", "l", "epilepsie", "ketamine"]
    assert ss.fold("Cœur ÉVOLUTION Straße") == "Coeur EVOLUTION Strasse"
    assert ss.fold("Ελληνικά й") == "Ελληνικά й"  # marks carry meaning outside Latin script
    sharded = ss.build({"config": CONFIG, "docs": [{"location": "a/", "title": "La kétamine", "text": "kétamine"}]})
    shard = json.loads(sharded.files["t0.json"])
    assert shard["ketamine"][0] == "kétamine"
    assert not isinstance(shard["la"][0], str)


def test_a_common_term_keeps_its_best_postings_only():
    docs = [{"location": f"p{i}/", "title": "cerveau" if i == 700 else f"page {i}", "text": "cerveau " * (1 + i % 3)}
            for i in range(1000)]
    sharded = ss.build({"config": CONFIG, "docs": docs})
    manifest = json.loads(sharded.files["manifest.json"])
    entry = next(json.loads(t)["cerveau"] for n, t in sharded.files.items()
                 if n.startswith("t") and "cerveau" in json.loads(t))
    ids, q, doc = [], {}, 0
    for k in range(0, len(entry), 2):
        doc += entry[k]
        ids.append(doc)
        q[doc] = entry[k + 1]
    assert len(ids) == ss.POSTINGS_PER_TERM and ids == sorted(ids)
    assert 700 * manifest["stride"] in ids and q[700 * manifest["stride"]] == max(q.values())  # the title hit


def test_the_worker_finds_each_unique_word_fetching_a_bounded_few_files(big, tmp_path):
    index, sharded = big
    pages = [d for d in index["docs"] if "#" not in d["location"]]
    sample = list(range(0, len(pages), 97))
    queries = [unique(p) for p in sample] + [unique(p)[:5] for p in sample[:3]]
    queries += ["ketamine", "KÉTAMINE", "alzheimer", "coeur", "z", "de", "cellules cerveau",
                f"{unique(sample[1])[:4]} -{unique(sample[1])}", f"{unique(sample[1])[:4]}", "+zzzz cellules", "+cellules", ""]
    answers = {a["query"]: a for a in run_worker(sharded.files, queries, tmp_path)}
    largest = max(len(t.encode()) for n, t in sharded.files.items() if n[0] in "tp")
    chunk = max(len(t.encode()) for n, t in sharded.files.items() if n[0] == "d")
    for p in sample:
        answer = answers[unique(p)]
        assert answer["items"][0][0] == pages[p]["location"], (unique(p), answer["items"][:2])
        assert f"<mark>{unique(p)}</mark>" in answer["texts"][0] or unique(p) not in pages[p]["text"][:250]
    for query, answer in answers.items():
        fetched = answer["fetched"]
        assert len(fetched) == len(set(fetched)), fetched  # each file once, then from the worker's cache
        assert all(n == "manifest.json" or re.fullmatch(r"[tpd][0-9a-f]+\.json", n) for n in fetched), fetched
        assert sum(n.startswith("d") for n in fetched) <= 20
        budget = len(sharded.files["manifest.json"]) + 2 * 2 * largest + 20 * chunk
        assert sum(len(sharded.files[n].encode()) for n in fetched) <= budget, query
        assert len(answer["items"]) <= 20
    # a prefix finds the word being typed, with its completion
    assert answers[unique(sample[0])[:5]]["suggest"] and unique(sample[0]) in (
        answers[unique(sample[0])[:5]]["suggest"][0]) or len(answers[unique(sample[0])[:5]]["items"]) == 20
    # folding both ways, elision split, results shown as written
    for query in ("ketamine", "KÉTAMINE", "alzheimer", "coeur"):
        assert answers[query]["items"], query
    assert "<mark>kétamine</mark>" in " ".join(answers["ketamine"]["texts"])
    assert "kétamine" in answers["ketamine"]["terms"][0]  # search.highlight gets the word as written
    assert "<mark>cœur</mark>" in " ".join(answers["coeur"]["texts"])
    # a prefix over many shards ("z": the long tail) comes from its summary, not from every shard
    manifest = json.loads(sharded.files["manifest.json"])
    assert sum(t.startswith("z") for t in manifest["shards"]) > manifest["max_shards"]
    assert [n for n in answers["z"]["fetched"] if n[0] in "tp"] == [ss.summary_name("z")]
    assert len(answers["z"]["items"]) == 20 and answers["de"]["items"]
    # "-word" excludes (a word's postings are its best POSTINGS_PER_TERM: exact for all but the
    # commonest words), "+word" requires
    target = pages[sample[1]]["location"]
    assert target in {item[0] for item in answers[unique(sample[1])[:4]]["items"]}
    assert target not in {item[0] for item in answers[f"{unique(sample[1])[:4]} -{unique(sample[1])}"]["items"]}
    assert answers["+zzzz cellules"]["items"] == []
    assert answers["+cellules"]["items"] and set(answers["+cellules"]["terms"][0]) == {"cellules"}  # no "+" in ?h=
    assert answers[""]["items"] == [] and answers[""]["fetched"] == []


def test_each_query_fetches_nothing_before_the_manifest_and_only_what_it_needs(tmp_path):
    sharded = ss.build(synthetic_index(40))
    answers = run_worker(sharded.files, [unique(7), unique(7)], tmp_path)
    first, second = answers
    assert first["fetched"][0] == "manifest.json"
    assert second["fetched"] == []  # the same query again: everything from the worker's cache
    assert first["items"][0][0] == "articles/a00007/"


def test_the_hostile_sites_metadata_chunks_hold_text_and_bare_tags_only(hostile_site):
    from scidigest.site import urls

    for lang in ("fr", "en"):
        folder = (hostile_site.site_dir / urls.search_index(lang)).parent / ss.INDEX_DIR
        chunks = sorted(folder.glob("d*.json"))
        assert chunks, lang
        for chunk in chunks:
            for page in json.loads(chunk.read_text(encoding="utf-8")):
                for location, title, snippet, *tags in page:
                    assert "<" not in snippet and "<" not in "".join(tags[0] if tags else []), (location, snippet)
                    for m in re.finditer(r"<(/?)([^\s>/]*)([^>]*)>", title):
                        assert m.group(2) in ("p", "code", "pre", "li", "ol", "ul", "sub", "sup") and not m.group(3)


def test_the_worker_makes_the_terms_the_build_made_from_awkward_words(tmp_path):
    """Each word alone in its own doc, typed as written, folded, upper-cased: its doc comes first."""
    awkward = ["Ærøskøbing", "Straße", "ﬁnancement", "naïveté", "Œdipe", "İstanbul", "Ελληνικά", "Ёлка",
               "日本語", "x²", "µ-opioïde", "l’État", "(e.g.)", "«guillemets»", "H₂O", "ǅemal", "n°12",
               "Ṣọ̀rọ̀", "ﬂûte", "Zürich"]
    docs = [{"location": f"w{i}/", "title": f"doc {i}", "text": f"{word} filler"} for i, word in enumerate(awkward)]
    sharded = ss.build({"config": CONFIG, "docs": docs})
    separator = re.compile(SEPARATOR)
    queries = []
    for word in awkward:
        terms = [t for t, _ in ss.words(word, separator)]
        queries += [word, word.upper(), ss.fold(word)] + terms
    answers = run_worker(sharded.files, queries, tmp_path)
    by_query = {}
    for answer in answers:
        by_query.setdefault(answer["query"], answer)
    for i, word in enumerate(awkward):
        for query in {word, word.upper(), ss.fold(word), *(t for t, _ in ss.words(word, separator))}:
            found = [item[0] for item in by_query[query]["items"]]
            assert f"w{i}/" in found, (word, query, found)
