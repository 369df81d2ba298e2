def log = new File(basedir, 'build.log').text
def output = new File(basedir, 'target/greeting.txt')
// the CPython the reactor pins (this project runs on the sysroot the reactor built)
def pin = new Properties()
new File(basedir, '../../../../third-party/cpython/pin.properties').withReader { pin.load(it) }
def python = pin.getProperty('version').trim()
def majorMinor = python.substring(0, python.lastIndexOf('.'))
def expected = '{"det": 10.0, "greeting": "Hello, Faasm", "numpy": "2.1.3", "python": "' + python + '"}'
assert new File(basedir, 'target/faasm-sysroot/wasm/python/py_func/function.wasm').isFile()
assert new File(basedir, "target/faasm-sysroot/runtime_root/lib/python${majorMinor}/site-packages/numpy/__init__.py").isFile()
assert output.isFile()
assert output.text == expected
assert log.contains('computed ' + expected)
assert log.contains('Return code 0')
assert log.contains('The local host runs on wasmtime')
return true
