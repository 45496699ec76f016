"""Send the segments a run needs: packed across the run, bisected when a batch fails.

Why a module of its own: how texts are grouped into requests, how they are
written for each provider (:mod:`.markup`), and what to do when a request
or its answer is unusable are one concern, separate from what a good
translation is (:mod:`.validate`, :mod:`.protect`) and from pages.

:func:`send` takes every unit still without a translation (from all the
articles of a run at once, so requests approach ``ceil(total size /
limit)``), packs them first-fit in reading order (early articles finish
first), and for each request:

* a provider with native batching gets a list of texts (LibreTranslate
  ``q: [...]``, DeepL repeated ``text``); the others one text joined with
  markers (:mod:`.batching`);
* :class:`~.providers.BatchBroken` (answers that cannot be matched to
  their texts, or the provider refused one text) bisects the batch; a
  single text that breaks is left in the original language;
* :class:`~.providers.TooLarge` lowers the limit to what the provider said
  it takes (when it said) and packs what is left again, or bisects;
* every answer is decoded to the ``⟦N⟧`` form and judged by the
  translator's ``_judge``; good ones are stored at once (memory journal),
  a rejected one is retried alone once, then left in the original
  language with its reason;
* any other failure that survives the retries stops the run
  (:class:`~.translator.TranslationFailed`), finished requests stored.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING

from . import batching, markup
from .providers import BatchBroken, TooLarge, TranslationError, call_with_retries

if TYPE_CHECKING:  # pragma: no cover
    from .translator import Translator, Unit


def _groups(sizes: list[int], translator: Translator, stretches: list[int] | None) -> list[list[int]]:
    provider = translator.provider
    if provider.native_batch:
        return batching.pack_sizes(sizes, provider.max_chars, max_items=provider.max_items, stretches=stretches)
    return batching.pack_sizes(sizes, provider.max_chars, overhead=batching.join_overhead(provider.size, provider.markers),
                               max_items=batching.MAX_JOINED, stretches=stretches)


def _request(translator: Translator, wires: list[str], failed_cls: type[Exception],
             check: Callable[[list[str], list[str]], None] | None) -> list[str]:
    provider = translator.provider
    before = provider.requests
    kw = {"sleep": translator.sleep} if translator.sleep else {}
    try:
        replies = call_with_retries(lambda: provider.translate_many(wires), translator.policy, **kw)
    except (BatchBroken, TooLarge):
        translator.stats.attempts += provider.requests - before
        raise
    except TranslationError as exc:
        translator.stats.attempts += provider.requests - before
        raise failed_cls(f"{exc} (gave up after retries)") from None
    translator.stats.attempts += provider.requests - before
    translator.stats.requests += 1
    translator.stats.chars_sent += sum(provider.size(w) for w in wires)
    if translator.on_request:
        translator.on_request()
    if check is not None:
        check(replies, wires)
    return replies


def send(
    translator: Translator,
    units: list[Unit],
    done: dict[str, str],
    failed: dict[str, str],
    *,
    failed_cls: type[Exception],
    check: Callable[[list[str], list[str]], None] | None = None,
    articles: list[int] | None = None,
) -> None:
    """Translate ``units`` (distinct sources) with as few requests as the
    provider's limits allow; fills ``done`` (source -> restored
    translation, stored in the memory) and ``failed`` (source -> reason).
    ``check(replies, sent)`` may raise :class:`TooLarge` (a length warning
    in an answer: split and resend) or ``failed_cls`` (stop).  ``articles[k]``
    is the article unit ``k`` belongs to (packed largest first within it)."""
    provider = translator.provider
    style = provider.markup
    wires = [markup.encode(u.protected, style) for u in units]
    sizes = [provider.size(w) for w in wires]
    queue: deque[list[int]] = deque(_groups(sizes, translator, articles))
    alone: set[int] = set()  # units already retried alone
    while queue:
        group = queue.popleft()
        try:
            replies = _request(translator, [wires[i] for i in group], failed_cls, check)
        except TooLarge as exc:
            shrunk = False
            if exc.limit and exc.limit < provider.max_chars:
                provider.max_chars, shrunk = exc.limit, True
            if exc.items and (provider.max_items is None or exc.items < provider.max_items):
                provider.max_items, shrunk = exc.items, True
            if len(group) == 1:
                failed[units[group[0]].source] = (
                    f"over {provider.name}'s length limit ({sizes[group[0]]} {provider.unit}; {exc}): "
                    f"run again with a smaller --max-chars")
                continue
            if shrunk:  # what is left, packed again under the limit the provider told us
                rest = sorted(group + [i for g in queue for i in g])
                fits = [i for i in rest if sizes[i] <= provider.max_chars]
                for i in rest:
                    if sizes[i] > provider.max_chars:
                        failed[units[i].source] = (
                            f"over {provider.name}'s length limit ({sizes[i]} {provider.unit}; it takes "
                            f"{provider.max_chars}): run again with --max-chars {provider.max_chars}")
                keys = [articles[i] for i in fits] if articles else None
                queue = deque([[fits[k] for k in g] for g in _groups([sizes[i] for i in fits], translator, keys)])
            else:
                half = len(group) // 2
                queue.extendleft([group[half:], group[:half]])
            continue
        except BatchBroken as exc:
            if len(group) == 1:
                failed[units[group[0]].source] = str(exc)
                continue
            half = len(group) // 2
            queue.extendleft([group[half:], group[:half]])
            continue
        good, retry = [], []
        for i, reply in zip(group, replies, strict=True):
            u = units[i]
            issues, target = translator._judge(u, markup.decode(reply, u.protected, style))
            if issues and i in alone:
                failed[u.source] = "; ".join(issues)
            elif issues:
                alone.add(i)
                retry.append(i)
            else:
                good.append(translator._entry(u, target))
        translator.memory.put(good)  # stored before anything else can fail
        done.update((e.source, e.target) for e in good)
        # a rejected segment is retried alone, once (``alone`` marks it)
        for i in reversed(retry):
            queue.appendleft([i])
