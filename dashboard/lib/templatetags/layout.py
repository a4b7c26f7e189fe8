"""The one page layout, for Django pages: `templates/jinja2/layout.html` (Jinja2) is every full
page's layout. A Jinja2 page (the list pages) extends it; a Django page extends base.html, which
is only this:

    {% load layout %}{% layout %}
      {% slot title %}{% block title %}Switchboard{% endblock %}{% endslot %}
      {% slot content %}{% block content %}{% endblock %}{% endslot %}
    {% endlayout %}

Each slot renders its Django blocks (a page's overrides, as `{% extends %}` decides them) and the
layout gets the results, already escaped by Django's engine, as `title`, `content`...; the rest
of the page's context (user, navigation, messages, csrf_token...) is the layout's too."""

from django import template
from django.template import engines
from django.template.base import Node, NodeList, Parser, Token
from django.utils.safestring import SafeString

register = template.Library()

LAYOUT = "layout.html"


class SlotNode(Node):
    child_nodelists = ("nodelist",)  # so that {% extends %} finds the blocks inside

    def __init__(self, name: str, nodelist: NodeList) -> None:
        self.name = name
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        return self.nodelist.render(context)


class LayoutNode(Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist: NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: template.Context) -> SafeString:
        slots = {
            node.name: SafeString(node.render(context))
            for node in self.nodelist
            if isinstance(node, SlotNode)
        }
        page = engines["jinja2"].get_template(LAYOUT).template
        return SafeString(page.render(context.flatten() | slots))


@register.tag
def layout(parser: Parser, token: Token) -> LayoutNode:
    nodelist = parser.parse(("endlayout",))
    parser.delete_first_token()
    return LayoutNode(nodelist)


@register.tag
def slot(parser: Parser, token: Token) -> SlotNode:
    try:
        _tag, name = token.split_contents()
    except ValueError:
        raise template.TemplateSyntaxError(
            "{% slot %} takes one name: {% slot content %}"
        ) from None
    nodelist = parser.parse(("endslot",))
    parser.delete_first_token()
    return SlotNode(name, nodelist)
