def log = new File(basedir, 'build.log').text
assert log.contains("ModuleNotFoundError: No module named 'nump'")
assert log.contains('Preloading pyfaasm.core, numpy, nump in the zygote failed, before any call')
assert log.contains('-Dfaasm.preload')
assert !log.contains('this call never runs')
assert !log.contains('\tat org.')
return true
