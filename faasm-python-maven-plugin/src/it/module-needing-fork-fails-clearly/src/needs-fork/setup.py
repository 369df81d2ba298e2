from setuptools import Extension, setup

setup(
    name="needs-fork",
    version="0.1",
    packages=["needs_fork"],
    ext_modules=[Extension("needs_fork._native", ["needs_fork/_native.c"])],
)
