def log = new File(basedir, 'build.log').text
assert log.contains('greetings from the app module')
assert log.contains('Return code 0')
return true
