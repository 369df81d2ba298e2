def log = new File(basedir, 'build.log').text
def output = new File(basedir, 'target/greeting.txt')
def expected = '{"det": 10.0, "greeting": "Hello, Faasm", "numpy": "1.26.4", "python": "3.11.2"}'
assert new File(basedir, 'target/faasm-sysroot/wasm/python/py_func/function.wasm').isFile()
assert new File(basedir, 'target/faasm-sysroot/runtime_root/lib/python3.11/site-packages/numpy/__init__.py').isFile()
assert output.isFile()
assert output.text == expected
assert log.contains('computed ' + expected)
assert log.contains('Return code 0')
assert log.contains('The local host runs on wasmtime')
return true
