"""`scidigest add URL` with figures: the images of the article's figures are fetched from the
page's own host (127.0.0.1 here, fixture ``web``), with the fetch's limits, stored beside the
page under sources/, and kept by ingest; an image from another host, too large, not an image,
or missing is not fetched or not kept, and its caption says the image is not reproduced."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PIL import Image

from scidigest.cli import main
from scidigest.frontmatter import read_meta, split
from scidigest.ingest.figures import MAX_IMAGE_BYTES
from tests.ingest.test_figures import png

PAGE_PATH = "/actualites/2024/des-coraux-qui-resistent-a-la-chaleur.html"


def page(other_host: str) -> bytes:
    figures = [
        ("/media/corail.png", "Colonie de corail branchu", "Une colonie d’Acropora suivie pendant trois étés."),
        (f"{other_host}/media/carte.png", "Carte du lagon", "Carte des sites étudiés dans le lagon sud."),
        ("/media/enorme.png", "Vue aérienne", "Vue aérienne du récif au printemps."),
        ("/media/faux.png", "Plongeuse", "Une plongeuse relève un capteur de température."),
        ("../media/absente.jpg", "Algues", "Des algues symbiotiques vues au microscope."),
    ]
    parts = [f"<figure><img src=\"{src}\" alt=\"{alt}\"><figcaption>{cap} "
             f"<span class=\"credit\">© Institut Océan</span></figcaption></figure>\n"
             f"<p>Paragraphe {i} : les chercheurs ont mesuré la température de l’eau et l’état des colonies "
             f"pendant trois étés consécutifs, en plongée et par des capteurs fixés sur le récif.</p>"
             for i, (src, alt, cap) in enumerate(figures)]
    return ("<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\">"
            "<title>Des coraux qui résistent à la chaleur | Institut Océan</title></head><body><main><article>"
            "<h1>Des coraux qui résistent à la chaleur</h1><p>Une équipe de biologistes marins a identifié, dans "
            "le lagon de Nouvelle-Calédonie, des colonies de coraux capables de supporter des vagues de chaleur.</p>"
            + "".join(parts) + "</article></main></body></html>").encode("utf-8")


def test_the_figures_images_of_a_fetched_page_are_fetched_from_its_host_stored_and_kept(repo, web, capsys):
    other = web.base.replace("127.0.0.1", "localhost")  # the same server under another host name
    good = png(400, 250)
    url = web.route(PAGE_PATH, page(other))
    web.route("/media/corail.png", good, content_type="image/png")
    web.route("/media/carte.png", png(), content_type="image/png")
    web.route("/media/enorme.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="image/png",
              headers={"Content-Length": str(MAX_IMAGE_BYTES + 1)}, content_length=False)
    web.route("/media/faux.png", b"<html><body>Not an image</body></html>", content_type="text/html")
    assert main(["add", url, "--root", str(repo)]) == 0
    out = capsys.readouterr().out

    # fetched: the same-host image only; never the other host's
    assert "/media/carte.png" not in web.hits  # (the server answers both names: it was never asked)
    assert "/media/corail.png" in web.hits
    folder = repo / "sources" / "des-coraux-qui-resistent-a-la-chaleur_files"
    stored = folder / (hashlib.sha256(b"/media/corail.png").hexdigest()[:16] + ".png")
    assert sorted(p.name for p in folder.iterdir()) == [stored.name]
    assert stored.read_bytes() == good
    assert f"fetched image: {web.url('/media/corail.png')} -> sources/{folder.name}/{stored.name}" in out
    for reason in ("not on the page's host", "over the 8 MiB limit", "the answer is text/html, not an image",
                   "HTTP 404"):
        assert reason in out, out

    # ingested: the kept image local, every other figure's caption a caption block; no remote address
    [article] = (repo / "docs" / "articles").glob("*.fr.md")
    meta, body = split(article.read_text("utf-8"))
    kept = repo / "docs" / "articles" / meta["image"]
    assert Image.open(kept).size == (400, 250)
    assert f"![Colonie de corail branchu]({meta['image']})\n\nUne colonie d’Acropora" in body
    assert body.count("{: .caption }") == 5 and "localhost" not in body and "127.0.0.1" not in body
    assert f"git add -- sources/des-coraux-qui-resistent-a-la-chaleur.html sources/des-coraux-qui-resistent-a-la-chaleur.meta.yaml " \
           f"sources/{folder.name}/{stored.name} {article.relative_to(repo).as_posix()} docs/articles/{meta['image']}" in out

    # ingest again from the stored copy alone (no network): the same article
    again = main(["ingest", str(repo / "sources"), "--out", str(repo / "docs" / "articles")])
    assert again == 0 and read_meta(article) == meta and split(article.read_text("utf-8"))[1] == body


def test_a_page_that_cannot_be_ingested_leaves_no_image_behind(repo, web, capsys):
    german = page(web.base).replace(b'lang="fr"', b'lang="de"')  # read, but not a site language
    url = web.route("/seite.html", german)
    web.route("/media/corail.png", png(), content_type="image/png")
    assert main(["add", url, "--root", str(repo)]) == 1
    assert "/media/corail.png" in web.hits  # fetched, then removed with the page
    assert sorted(p.relative_to(repo).as_posix() for p in Path(repo).rglob("*")) == ["docs", "docs/articles", "sources"]
