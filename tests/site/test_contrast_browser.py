"""Link contrast (WCAG 2 AA, 4.5:1) in headless Chromium, in the light and the dark palette.

The dark palette is reached the way a reader reaches it: the system says
``prefers-color-scheme: dark`` (emulated) and nothing is stored, so Material
picks the ``slate`` scheme of ``mkdocs.yml``. Every visible link of a page is
measured at rest, focused and hovered: its computed colour (with the opacity
of its ancestors) over its computed background (the first opaque one up the
tree, with the translucent ones in between composited over it).
"""

from __future__ import annotations

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.support.ui import WebDriverWait

from scidigest.site import urls

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AA = 4.5

#: measures one element: {text, ratio, fg, bg}; arguments[0] is the element
_MEASURE = """
const parse = c => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return [0, 0, 0, 0];
  const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
const over = (top, bottom) => { const a = top[3];
  return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)).concat([1]); };
const lum = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255;
  return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
const el = arguments[0];
let layers = [], opacity = 1;
for (let n = el; n; n = n.parentElement) {
  const s = getComputedStyle(n);
  opacity *= Number(s.opacity);
  const bg = parse(s.backgroundColor);
  if (bg[3] > 0) layers.push(bg);
  if (bg[3] >= 1) break;
}
let bg = [255, 255, 255, 1];  // the canvas, should no ancestor be opaque
for (const layer of layers.reverse()) bg = over(layer, bg);
const fgRaw = parse(getComputedStyle(el).color);
const fg = over([fgRaw[0], fgRaw[1], fgRaw[2], fgRaw[3] * opacity], bg);
const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
return {text: el.textContent.trim().slice(0, 40), ratio: (hi + 0.05) / (lo + 0.05), opacity: opacity,
        fg: fg.map(Math.round).join(','), bg: bg.map(Math.round).join(','),
        where: el.closest('[class]') ? el.closest('[class]').className.split(' ')[0] : ''};
"""

#: the visible links with text, in document order
_VISIBLE_LINKS = """
return [...document.querySelectorAll('a[href]')].filter(a => {
  const r = a.getBoundingClientRect(), s = getComputedStyle(a);
  return a.textContent.trim() && r.width > 0 && r.height > 0 && s.visibility === 'visible' && a.getClientRects().length;
});
"""


def open_in_scheme(browser, url: str, dark: bool) -> str:
    """``url`` as a reader whose system is dark (or light) sees it the first time."""
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {
        "media": "", "features": [{"name": "prefers-color-scheme", "value": "dark" if dark else "light"}]})
    browser.get(url)
    browser.execute_script("localStorage.clear()")  # no palette chosen before
    browser.get(url)
    WebDriverWait(browser, 15).until(lambda d: d.execute_script("return document.readyState") == "complete")
    return browser.execute_script("return document.body.getAttribute('data-md-color-scheme')")


#: end states only: Material fades link colours in 125 ms, which would be measured half-way
_NO_TRANSITIONS = """
const s = document.createElement('style');
s.textContent = '*, *::before, *::after { transition: none !important; animation: none !important; }';
document.head.appendChild(s);
"""


def low_contrast_links(browser) -> list[tuple[str, dict]]:
    """(state, measure) of every visible link below AA at rest, focused or hovered
    (a link fully transparent in a state, as the skip link at rest, is not seen then)."""
    browser.execute_script(_NO_TRANSITIONS)
    links = browser.execute_script(_VISIBLE_LINKS)
    assert len(links) >= 5, "a page with hardly any link: the selector is wrong"
    # at rest and focused, all in one call
    measured = browser.execute_script(
        "function m(el) {" + _MEASURE.replace("const el = arguments[0];", "") + "}"
        "const out = [];"
        "for (const a of arguments[0]) { a.blur(); const rest = m(a);"
        "  a.focus({preventScroll: true}); const focus = m(a); a.blur(); out.push([rest, focus]); }"
        "return out;", links)
    failures = []
    for rest, focused in measured:
        failures += [(state, m) for state, m in (("rest", rest), ("focus", focused))
                     if m["opacity"] > 0 and m["ratio"] < AA]
    actions = ActionChains(browser)
    for link in links:
        try:
            actions.move_to_element(link).perform()
        except Exception:  # noqa: BLE001 - a link the pointer cannot reach (covered): measured at rest only
            continue
        hovered = browser.execute_script(_MEASURE, link)
        if hovered["opacity"] > 0 and hovered["ratio"] < AA:
            failures.append(("hover", hovered))
    return failures


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_every_link_reaches_4_5_to_1_at_rest_focused_and_hovered(browser, site_server, dark):
    art = next(a for a in site_server.site.catalogue.in_lang("fr") if a.source_url and a.tags)
    pages = [urls.home("fr"), urls.article("fr", art.slug), urls.tag("fr", art.tags[0])]
    try:
        for path in pages:
            scheme = open_in_scheme(browser, site_server.page(path), dark)
            assert scheme == ("slate" if dark else "default"), (path, scheme)
            failures = low_contrast_links(browser)
            seen = sorted({f"{state} .{m['where']} {m['text']!r}: rgb({m['fg']}) on rgb({m['bg']}) = {m['ratio']:.2f}"
                           for state, m in failures})
            assert not seen, f"{path} ({scheme}):\n" + "\n".join(seen)
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "", "features": []})
