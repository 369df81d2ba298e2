import builtins


def faasm_main():
    # every call starts from the zygote snapshot: nothing a previous call did is visible
    if getattr(builtins, "left_by_earlier_call", False):
        return 5
    builtins.left_by_earlier_call = True
    return 0
