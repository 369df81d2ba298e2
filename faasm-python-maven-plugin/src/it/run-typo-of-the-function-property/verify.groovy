def log = new File(basedir, 'build.log').text
assert log.contains('Unknown faasm-python property -Dfaasm.funtion (did you mean -Dfaasm.function?)')
assert !log.contains('spinning now')
return true
