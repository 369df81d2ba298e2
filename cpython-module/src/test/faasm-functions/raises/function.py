def helper():
    raise ValueError("something went wrong in the function")


def faasm_main():
    helper()
