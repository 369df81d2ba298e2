def log = new File(basedir, 'build.log').text
def moduleLog = new File(basedir, 'target/faasm-python/logs/module-needs-fork.log')
assert log.contains('Module needs-fork does not compile for wasm32-wasi: ' + new File(basedir, 'target/faasm-python/modules/build/needs-fork/src/needs_fork/_native.c').canonicalPath + ':6: error:')
assert log.contains("undeclared function 'fork'")
assert log.contains('where: ' + moduleLog.canonicalPath)
assert log.contains('the package needs something WASI lacks')
assert moduleLog.text.contains("error: call to undeclared function 'fork'")
assert !new File(basedir, 'target/faasm-modules').exists() : 'nothing half-built is published'
return true
