import os

from setuptools import setup

# the module's <environment> reaches setup.py
with open("greeting.py", "w") as f:
    f.write("AUDIENCE = %r\n" % os.environ["GREETING_AUDIENCE"])
    f.write("from greeting_text import TEXT\n")

setup(name="greeting", version="1.0", py_modules=["greeting", "greeting_text"])
