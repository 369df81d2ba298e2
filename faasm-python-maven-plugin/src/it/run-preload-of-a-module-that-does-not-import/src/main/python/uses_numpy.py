import numpy as np


def faasm_main():
    print("this call never runs", np.__version__)
