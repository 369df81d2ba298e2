def log = new File(basedir, 'build.log').text
def results = new File(basedir, 'curl-results.txt')
assert results.isFile() : 'the client did not finish'
def r = results.text
assert r.contains('ping: PONG [200]') : r
assert r.contains('upload:  [200]') : r
assert r =~ /shout: \{"appId":4711,"finished":true,"messageResults":\[\{.*"output_data":"QUIET PLEASE".*\}\]\} \[200\]/ : r
assert r =~ /greet: \{"appId":4711,"finished":true,.*"output_data":"Hello, Faasm".*\[200\]/ : r
assert r =~ /status: \{"appId":4711,"finished":true,.*"output_data":"Hello, Faasm".*\[200\]/ : r
assert log.contains('demo/shout (faasm_main) -> 0 in ')
assert log.contains('demo/greet (faasm_main) -> 0 in ')
assert log.contains("Faasm's clients: export FAASM_INI_FILE=")
assert log.contains('Stopped')
assert log.contains('BUILD SUCCESS')
return true
