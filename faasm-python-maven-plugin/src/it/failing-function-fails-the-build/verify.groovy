def log = new File(basedir, 'build.log').text
assert log.contains('Traceback (most recent call last):')
assert log.contains('ZeroDivisionError: integer division or modulo by zero')
assert log.contains('Function python/divide (faasm_main) returned 1')
return true
