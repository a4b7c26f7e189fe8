"""No markup is built in Python strings in the console (dashboard/, accounts/): an HTML tag inside
an f-string, a `.format()` or `%` template, or a `+` concatenation fails this test, so a new column
that forgets to escape cannot slip in. Markup comes from templates that escape by themselves;
`format_html`, which escapes its arguments, is the one exception."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("dashboard", "accounts")
HTML_TAG = re.compile(
    r"<\s*/?\s*(a|abbr|b|br|button|code|dd|details|div|dl|dt|em|fieldset|form|h[1-6]|hr|i|"
    r"iframe|img|input|label|legend|li|link|meta|nav|ol|option|p|pre|script|section|select|"
    r"small|span|strong|style|summary|svg|table|tbody|td|textarea|tfoot|th|thead|time|tr|ul)"
    r"[\s/>]",
    re.IGNORECASE,
)


def built_strings(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, text) of every string built from parts, outside format_html's first argument."""
    exempt: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node.func) == "format_html" and node.args:
            exempt.add(id(node.args[0]))
    found = []
    for node in ast.walk(tree):
        if id(node) in exempt:
            continue
        if isinstance(node, ast.JoinedStr):
            found.append((node.lineno, _text(node)))
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
            found += [(node.lineno, _text(side)) for side in (node.left, node.right)]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr == "format" and id(node.func.value) not in exempt:
                found.append((node.lineno, _text(node.func.value)))
    return found


def _name(func: ast.expr) -> str:
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _text(node: ast.AST) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_text(value) for value in node.values)
    return ""


def markup_built_in(source: str) -> list[str]:
    return [
        f"line {line}: {text[:60]!r}"
        for line, text in built_strings(ast.parse(source))
        if HTML_TAG.search(text)
    ]


def test_no_module_builds_markup_in_a_python_string():
    problems = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if found := markup_built_in(path.read_text()):
                problems[str(path.relative_to(ROOT))] = found
    assert problems == {}


def test_the_check_sees_each_way_of_building_markup():
    """The check itself: each form is caught, format_html and plain text are not."""
    caught = [
        'f"<td>{name}</td>"',
        '"<li>%s</li>" % name',
        '"<span class=x>" + name',
        '"<a href={}>".format(url)',
        'f"""<tr>\n<td>{x}</td>"""',
    ]
    allowed = [
        'format_html("<td>{}</td>", name)',
        'f"Login(token=<hidden>, user={user!r})"',
        'f"{a} < {b}"',
        '"Less than <5 minutes" + suffix',
    ]
    assert all(markup_built_in(code) for code in caught)
    assert not any(markup_built_in(code) for code in allowed)
