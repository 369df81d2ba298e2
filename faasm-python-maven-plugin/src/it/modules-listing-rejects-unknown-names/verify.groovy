def log = new File(basedir, 'build.log').text
assert log.contains('Supported modules (built by default):')
assert log =~ /pyaes\s+1\.6\.1\s+Pure-Python AES/
assert log.contains('source: directory ')
assert log =~ /Experimental modules[^\n]*\n\[INFO\]\s+numpy/
assert log.contains("Unknown module panda. Supported modules: pyaes, mylib; experimental: numpy")
assert log.contains('where: -Dfaasm.modules / <modules>')
return true
