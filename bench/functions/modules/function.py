# Start-up benchmark: a function whose imports dominate (every call starts from the zygote
# snapshot, so every call imports these modules afresh).
import pyaes
import six
from genshi.template import MarkupTemplate

from pyfaasm.core import write_output


def faasm_main():
    key = bytes(range(16))
    ciphertext = pyaes.AESModeOfOperationCTR(key).encrypt(b"start-up")
    html = MarkupTemplate("<p>${n}</p>").generate(n=len(ciphertext)).render("xhtml")
    write_output((six.text_type(html)).encode("utf-8"))
