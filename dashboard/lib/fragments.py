"""One view, the full page or a fragment of it: how every view of the console answers htmx.

- `wants_fragment(request)` is the one test of "page or fragment?". A boosted request or a
  history restore is a full-page request even though htmx sent it.
- A page template names each swappable region after the DOM id it replaces: a list page (Jinja2,
  `templates/jinja2/`) as a `{% block %}` whose name is the id with `_` for `-`
  (`visitor_table` for `#visitor-table`); a Django page as a `{% partialdef <dom-id> %}`.
  `render_list` answers an htmx request with the region its `HX-Target` names, plus the
  out-of-band regions listed for that target (stats, counts), rendered with `oob=True` so each
  marks its root `hx-swap-oob`.
- A filter or page change pushes the canonical URL into the address bar (every view is a URL); a
  live refresh does not.
- After a form post: `redirect_after_post` (an htmx redirect, or a 303 for a plain post); never a
  bare 302 into a fragment.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template import TemplateDoesNotExist, engines
from django.template.backends.jinja2 import Template as JinjaPage
from django.template.backends.utils import csrf_input_lazy, csrf_token_lazy
from django.template.context import make_context
from django.template.loader import get_template
from django.utils.cache import patch_vary_headers
from django_htmx.http import HttpResponseClientRedirect, push_url, reswap


def wants_fragment(request: HttpRequest) -> bool:
    """Whether htmx asked for a part of the page (not a boosted navigation or a history restore,
    which want the whole page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def fragment_target(request: HttpRequest) -> str:
    """The DOM id an htmx request aims at ("" for a full-page request)."""
    return (request.htmx.target or "") if wants_fragment(request) else ""


def redirect_after_post(request: HttpRequest, url: str) -> HttpResponse:
    """Where to go once a form post succeeded: an htmx redirect (a full navigation, never a page
    swapped into a fragment), or 303 See Other for a plain form post (post/redirect/get)."""
    if wants_fragment(request):
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url, status=303)


@dataclass(frozen=True, slots=True)
class Fragment:
    """What an htmx request aimed at one DOM id gets back.

    `oob`: partials swapped out of band in the same response (stats, tab counts, the pager).
    `push_url`: a filter or page change is a new view of the list, so its canonical URL goes in
    the address bar; a live refresh is the same view and must not add history entries.
    """

    oob: Sequence[str] = ()
    push_url: bool = True


def render_list(
    request: HttpRequest,
    template_name: str,
    context: dict[str, Any],
    *,
    fragments: Mapping[str, Fragment],
    canonical_url: str,
) -> HttpResponse:
    """The full page, or for an htmx request the partial it targets plus its out-of-band parts
    (an unknown or missing HX-Target gets the first fragment)."""
    if wants_fragment(request):
        target = request.htmx.target if request.htmx.target in fragments else next(iter(fragments))
        response = render_partials(request, template_name, context, target, fragments[target].oob)
        if fragments[target].push_url:
            push_url(response, canonical_url)
    else:
        response = HttpResponse(page_template(template_name).render(context, request))
    # The same URL answers a page or a fragment: caches and the back button must tell them apart.
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


def render_partials(
    request: HttpRequest,
    template_name: str,
    context: dict[str, Any],
    target: str,
    oob: Sequence[str] = (),
    *,
    status: int = 200,
) -> HttpResponse:
    """`target`'s partial followed by each of `oob`, rendered with `oob=True` so each marks its
    root element `hx-swap-oob`."""
    html = _render_parts(request, template_name, context, [target], oob)
    return HttpResponse(html, status=status)


def render_out_of_band_only(
    request: HttpRequest, template_name: str, context: dict[str, Any], names: Sequence[str]
) -> HttpResponse:
    """Leave the request's target as it is and swap only `names` (e.g. a live refresh that
    failed: the rows the user is reading stay, a status line says updates are paused)."""
    response = HttpResponse(_render_parts(request, template_name, context, [], names))
    reswap(response, "none")  # htmx still performs the out-of-band swaps
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


def page_template(template_name: str) -> Any:
    """A page's template: a Jinja2 page (`templates/jinja2/`: the list pages), else a Django one."""
    try:
        return engines["jinja2"].get_template(template_name)
    except TemplateDoesNotExist:
        return get_template(template_name)


def _render_parts(
    request: HttpRequest,
    template_name: str,
    context: dict[str, Any],
    in_place: Sequence[str],
    out_of_band: Sequence[str],
) -> str:
    """Several regions of one page in one context, whose processors (navigation, CSP nonce,
    messages...) run once rather than once per region: fragments are the hot path (every live
    refresh is one)."""
    page = page_template(template_name)
    if isinstance(page, JinjaPage):
        return _render_blocks(request, page, context, in_place, out_of_band)
    parts = [get_template(f"{template_name}#{name}").template for name in in_place]
    oob_parts = [get_template(f"{template_name}#{name}").template for name in out_of_band]
    request_context = make_context(context, request)
    with request_context.bind_template((parts or oob_parts)[0]):
        html = [part.render(request_context) for part in parts]
        with request_context.push(oob=True):
            html += [part.render(request_context) for part in oob_parts]
    return "".join(html)


def _render_blocks(
    request: HttpRequest,
    page: JinjaPage,
    context: dict[str, Any],
    in_place: Sequence[str],
    out_of_band: Sequence[str],
) -> str:
    """A Jinja2 page's blocks, each rendered alone in the context the whole page would get (the
    request, its CSRF token and the context processors, as Django's Jinja2 backend gives it)."""
    values = {
        **context,
        "request": request,
        "csrf_input": csrf_input_lazy(request),
        "csrf_token": csrf_token_lazy(request),
    }
    for processor in page.backend.template_context_processors:
        values.update(processor(request))
    template = page.template
    html = [_block(template, name, values) for name in in_place]
    values["oob"] = True
    html += [_block(template, name, values) for name in out_of_band]
    return "".join(html)


def _block(template: Any, dom_id: str, values: dict[str, Any]) -> str:
    render = template.blocks[dom_id.replace("-", "_")]
    return "".join(render(template.new_context(values)))
