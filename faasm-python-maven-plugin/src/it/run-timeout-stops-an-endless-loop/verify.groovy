def log = new File(basedir, 'build.log').text
assert log.contains('The local host runs on wasmtime') // the default here (auto)
assert log.contains('spinning now')
assert log.contains('partial output')
assert log.contains('Call of python/spin (faasm_main) failed: did not finish within timeout = 3 s and was stopped')
assert log.contains('where: -Dfaasm.timeout / <timeout>')
assert !log.contains('\tat org.')
return true
