def log = new File(basedir, 'build.log').text
assert log.contains('The local host runs on the pure-JVM engine (Endive')
assert !log.contains('runs on wasmtime')
assert log.contains('running on cpython wasi')
assert log.contains('same on every engine')
assert log.contains('Return code 0')
return true
