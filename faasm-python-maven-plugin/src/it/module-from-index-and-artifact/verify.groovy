def log = new File(basedir, 'build.log').text
assert log.contains('pip download pyaes==1.6.1')
assert log.contains('downloaded pyaes-1.6.1.tar.gz (sha256 2de6150553b59b212c1512a7b3a3a2d4c6432839a75d64c791e028af64ef3e23')
assert new File(basedir, 'target/faasm-modules/site-packages/pyaes/aes.py').isFile()
assert new File(basedir, 'target/modules-from-index-and-artifact-1.0.tar.gz').isFile()
assert log.contains('Module pyfaasm: artifact org.faasm.python:pyfaasm-module:')
assert new File(basedir, 'target/faasm-modules/site-packages/pyfaasm/core.py').isFile()
return true
