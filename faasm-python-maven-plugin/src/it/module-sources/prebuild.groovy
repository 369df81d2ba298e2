// Lays out a PEP 503 "simple" package index on disk with pyaes 1.6.1's release archive, taken
// from the source cache (the reactor's modules-module put it there, verified by sha256).
import java.nio.file.Files
import java.nio.file.StandardCopyOption

def env = System.getenv()
def cache = env.FAASM_PYTHON_CACHE ? new File(env.FAASM_PYTHON_CACHE)
        : env.XDG_CACHE_HOME ? new File(env.XDG_CACHE_HOME, 'faasm-python')
        : new File(System.getProperty('user.home'), '.cache/faasm-python')
def sdist = new File(cache, 'sources/sha256/2de6150553b59b212c1512a7b3a3a2d4c6432839a75d64c791e028af64ef3e23/pyaes_1.6.1.orig.tar.gz')
assert sdist.isFile() : "pyaes is not in the source cache ($sdist): build modules-module first"
def dir = new File(basedir, 'index/pyaes')
dir.mkdirs()
Files.copy(sdist.toPath(), new File(dir, 'pyaes-1.6.1.tar.gz').toPath(), StandardCopyOption.REPLACE_EXISTING)
new File(dir, 'index.html').text = '<!DOCTYPE html><html><body><a href="pyaes-1.6.1.tar.gz">pyaes-1.6.1.tar.gz</a></body></html>\n'
return true
