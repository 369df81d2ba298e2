import genshi
import genshi._speedups
from genshi.core import Markup
from genshi.template import MarkupTemplate

from pyfaasm.core import write_output

TEMPLATE = """<html xmlns:py="http://genshi.edgewall.org/">
<h1>${title}</h1>
<ul><li py:for="item in items" py:attrs="{'class': item == 'wasm' and 'hot' or None}">${item}</li></ul>
</html>"""


def faasm_main():
    stream = MarkupTemplate(TEMPLATE).generate(title="Genshi on Faasm", items=["wasm", "<python>"])
    html = stream.render("xhtml")
    # the C extension's Markup is the one genshi.core uses
    print("speedups:", Markup is genshi._speedups.Markup, genshi._speedups.__spec__.origin)
    write_output(html.encode("utf-8"))
