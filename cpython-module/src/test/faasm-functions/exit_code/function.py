import sys


def faasm_main():
    print("exiting with 7")
    sys.exit(7)
