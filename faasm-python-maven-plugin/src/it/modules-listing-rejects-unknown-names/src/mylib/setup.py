from setuptools import setup
setup(name="mylib", version="0.1", py_modules=["mylib"])
