// While the build serves, a client does what a developer does with curl: ping, upload, invoke, poll.
def ini = new File(basedir, 'target/faasm-python/serve/faasm.ini')
def results = new File(basedir, 'curl-results.txt')
def curl = { List<String> args ->
    def p = (['curl', '-s', '-S', '--max-time', '30', '-w', ' [%{http_code}]'] + args).execute()
    def out = new StringBuilder(), err = new StringBuilder()
    p.waitForProcessOutput(out, err)
    return out.toString() + err.toString()
}
Thread.start {
    def deadline = System.currentTimeMillis() + 180_000
    while (!ini.isFile() && System.currentTimeMillis() < deadline) {
        sleep(200)
    }
    if (!ini.isFile()) {
        results.text = 'faasm.ini never appeared'
        return
    }
    def props = [:]
    ini.eachLine { line -> def m = line =~ /^(\w+) = (.*)$/; if (m) props[m[0][1]] = m[0][2] }
    def upload = "http://127.0.0.1:${props.upload_port}"
    def planner = "http://127.0.0.1:${props.planner_port}"
    def source = new File(basedir, 'shout.py')
    source.text = 'from pyfaasm.core import get_input_len, read_input, write_output\n\ndef faasm_main():\n    write_output(read_input(get_input_len()).upper())\n'
    def lines = []
    lines << 'ping: ' + curl(["${upload}/ping"])
    lines << 'upload: ' + curl(['-X', 'PUT', '-T', source.path, "${upload}/p/demo/shout"])
    def call = { String func, String input ->
        def payload = "{\\\"appId\\\": 4711, \\\"user\\\": \\\"python\\\", \\\"function\\\": \\\"py_func\\\", \\\"messages\\\": [{\\\"appId\\\": 4711, \\\"user\\\": \\\"python\\\", \\\"function\\\": \\\"py_func\\\", \\\"python\\\": true, \\\"py_user\\\": \\\"demo\\\", \\\"py_func\\\": \\\"${func}\\\", \\\"input_data\\\": \\\"${input.bytes.encodeBase64()}\\\"}]}"
        return curl(['-d', "{\"http_type\": \"EXECUTE_BATCH\", \"payload\": \"${payload}\"}", planner])
    }
    lines << 'shout: ' + call('shout', 'quiet please')
    lines << 'greet: ' + call('greet', 'Faasm')
    lines << 'status: ' + curl(['-d', '{"http_type": "EXECUTE_BATCH_STATUS", "payload": "{\\"appId\\": 4711}"}', planner])
    results.text = lines.join('\n') + '\n'
}
return true
