"""Hostile strings the seed spreads over visitor names, notes, tags and messages.

Everything the platform returns is untrusted; the console's tests import HOSTILE_STRINGS to
check that each one is shown as text, escaped, in pages and fragments alike. Pure Python, no
Django: importable from any process.
"""

SCRIPT_TAG = "<script>alert(1)</script>"
IMG_ONERROR = "<img src=x onerror=alert(1)>"
ATTRIBUTE_BREAKOUT = '"><svg onload=alert(1)>'
HTMX_ATTRIBUTES = '<div hx-get="/logout/" hx-trigger="load">x</div>'
TEMPLATE_EXPRESSION = "{{ 7*7 }}"
TEMPLATE_TAG = "{% csrf_token %}{% debug %}"
JAVASCRIPT_URL = "javascript:alert(1)"
LINK_WITH_JAVASCRIPT = '<a href="javascript:alert(1)">click me</a>'
SQL_INJECTION = "Robert'); DROP TABLE visitors;--"
LONG_NAME = ("Wolfeschlegelsteinhausenbergerdorff" * 143)[:5000]
ARABIC = "محمد بن عبد الله"
HEBREW = "שרה כהן-לוי"
RTL_OVERRIDE = "invoice\u202efdp.exe"
EMOJI_ZWJ = "👩‍👩‍👧‍👦 Family 🏳️‍🌈 👨🏽‍💻 🧑‍🤝‍🧑"
ZERO_WIDTH = "Zero\u200bWidth\u200dJoiner\ufeff"
COMBINING = "Zoe\u0308 Åsa Ñandú"
CONTROL_WHITESPACE = "Line one\nLine two\tTabbed\r\n"
EMPTY = ""
BLANK = "   "
JSON_BREAKOUT = '"}]},{"isAdmin":true,"x":"'

HOSTILE_STRINGS: list[str] = [
    SCRIPT_TAG,
    IMG_ONERROR,
    ATTRIBUTE_BREAKOUT,
    HTMX_ATTRIBUTES,
    TEMPLATE_EXPRESSION,
    TEMPLATE_TAG,
    JAVASCRIPT_URL,
    LINK_WITH_JAVASCRIPT,
    SQL_INJECTION,
    LONG_NAME,
    ARABIC,
    HEBREW,
    RTL_OVERRIDE,
    EMOJI_ZWJ,
    ZERO_WIDTH,
    COMBINING,
    CONTROL_WHITESPACE,
    EMPTY,
    BLANK,
    JSON_BREAKOUT,
]

# Short enough to be tags (tags are at most 100 characters) and not blank.
HOSTILE_TAGS: list[str] = [
    text for text in HOSTILE_STRINGS if text.strip() and len(text) <= 100 and "\n" not in text
]
