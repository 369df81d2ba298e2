import yaml
import yaml._yaml

from pyfaasm.core import write_output

DOC = """\
name: faasm
versions: [3.13, 2]
nested:
  ok: true
  none: null
  text: "wasm/wasi \\u00e9"
"""


def faasm_main():
    data = yaml.load(DOC, Loader=yaml.CSafeLoader)
    text = yaml.dump(data, Dumper=yaml.CDumper, sort_keys=True, allow_unicode=True)
    again = yaml.load(text, Loader=yaml.CSafeLoader)
    print("libyaml:", yaml.__with_libyaml__, yaml._yaml.get_version_string(), yaml._yaml.__spec__.origin,
          yaml.CSafeLoader.__mro__[1].__module__)
    write_output(("same=" + str(again == data) + "\n" + text).encode("utf-8"))
