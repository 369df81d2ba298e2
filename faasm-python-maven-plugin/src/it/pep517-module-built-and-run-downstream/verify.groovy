def log = new File(basedir, 'build.log').text
// built through its PEP 517 backend (setuptools.build_meta), as a wheel for wasm32-wasi whose
// extension is a static archive; the log says so when it was built now, the wheel's metadata always
def wheel = new File(basedir, 'modules/target/faasm-modules/site-packages/fastsum-1.0.dist-info/WHEEL').text
assert wheel.contains('Generator: setuptools') : wheel
assert wheel =~ /Tag: cp3\d+-cp3\d+-wasi_wasm32/ : wheel
assert log =~ /Module fastsum: built fastsum-1\.0-cp3\d+-cp3\d+-wasi_wasm32\.whl with setuptools\.build_meta/ || log.contains('Modules (fastsum): reusing the cached build')
assert new File(basedir, 'modules/target/faasm-modules/lib/libpyext-fastsum._sum.a').isFile()
assert log.contains('C extensions linked statically: fastsum._sum')
assert new File(basedir, 'modules/target/faasm-modules/site-packages/fastsum/__init__.py').isFile()
// linked into this project's py_func.wasm and run there
def out = new File(basedir, 'python/target/total.txt').text
assert out == 'total=1000000000015 built-in' : out
return true
