def log = new File(basedir, 'build.log').text
assert log.contains('pip download pyaes==1.6.1')
assert log.contains('downloaded pyaes-1.6.1.tar.gz (sha256 2de6150553b59b212c1512a7b3a3a2d4c6432839a75d64c791e028af64ef3e23')
assert new File(basedir, 'target/faasm-modules/site-packages/pyaes/aes.py').isFile()
assert new File(basedir, 'target/module-sources-1.0.tar.gz').isFile()
assert log.contains('Module pyfaasm: artifact org.faasm.python:pyfaasm-module:')
assert new File(basedir, 'target/faasm-modules/site-packages/pyfaasm/core.py').isFile()
def site = new File(basedir, 'target/faasm-modules/site-packages')
assert new File(site, 'greeting_text.py').text.contains('TEXT = "Hello, patched"')
assert new File(site, 'greeting.py').text.contains("AUDIENCE = 'Faasm'")
assert new File(basedir, 'src/greeting/greeting_text.py').text.contains('TEXT = "Hello"') : 'the source directory is left as it was'
return true
