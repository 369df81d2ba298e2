def log = new File(basedir, 'build.log').text
assert log.contains("engine is 'v8', not one of auto, wasmtime, chicory")
assert log.contains('-Dfaasm.engine / <engine>')
assert !log.contains('running on cpython')
assert !log.contains('\tat org.')
return true
