import pyaes

from pyfaasm.core import write_output

# NIST SP 800-38A, F.5.1 CTR-AES128.Encrypt
KEY = bytes.fromhex("2b7e151628aed2a6abf7158809cf4f3c")
COUNTER = int("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff", 16)
PLAINTEXT = bytes.fromhex(
    "6bc1bee22e409f96e93d7e117393172a"
    "ae2d8a571e03ac9c9eb76fac45af8e51"
    "30c81c46a35ce411e5fbc1191a0a52ef"
    "f69f2445df4f9b17ad2b417be66c3710"
)


def faasm_main():
    encrypt = pyaes.AESModeOfOperationCTR(KEY, counter=pyaes.Counter(initial_value=COUNTER))
    ciphertext = encrypt.encrypt(PLAINTEXT)
    decrypt = pyaes.AESModeOfOperationCTR(KEY, counter=pyaes.Counter(initial_value=COUNTER))
    roundtrip = decrypt.decrypt(ciphertext)
    if roundtrip != PLAINTEXT:
        print("round trip mismatch: " + roundtrip.hex())
        return 1
    write_output(ciphertext.hex().encode("ascii"))
    return 0
