def log = new File(basedir, 'build.log').text
assert log.contains('2 of the 5 sources this build needs are missing; nothing was compiled')
assert log.contains('1. nowhere-lib 1.0 could not be downloaded; every URL failed')
assert log.contains('2. nowhere-tool 2.0 could not be downloaded; every URL failed')
assert log.contains('http://127.0.0.1:9/nowhere-lib-1.0.tar.gz: java.net.ConnectException')
assert log.contains('http://127.0.0.1:9/nowhere-tool_2.0_all.deb: java.net.ConnectException')
assert log =~ /the source cache: \S+sources\/sha256\/1{64}\/nowhere-lib-1\.0\.tar\.gz: not there/
assert log =~ /put nowhere-lib-1\.0\.tar\.gz at \S+sources\/sha256\/1{64}\/nowhere-lib-1\.0\.tar\.gz/
assert log.contains('a local file: none named (<archive> in the module\'s declaration)')
// nothing after initialize ran: no build python, no compile
assert !log.contains(':build-python ')
assert !log.contains(':build-modules ')
def total = (log =~ /Total time:\s+([0-9.]+) s/)
assert total.find() : 'the build fails within seconds (Maven prints "Total time: N s", not minutes)'
assert Double.parseDouble(total.group(1)) < 60
return true
