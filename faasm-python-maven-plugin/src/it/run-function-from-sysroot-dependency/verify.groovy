def log = new File(basedir, 'build.log').text
def output = new File(basedir, 'target/greeting.txt')
assert new File(basedir, 'target/faasm-sysroot/wasm/python/py_func/function.wasm').isFile()
assert output.isFile()
assert output.text == '{"greeting": "Hello, Faasm", "python": "3.11.2"}'
assert log.contains('computed {"greeting": "Hello, Faasm", "python": "3.11.2"}')
assert log.contains('Return code 0')
return true
