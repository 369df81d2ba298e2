// CPython's regression tests on Node's WASI (node:wasi, preview 1), one test module per guest run in a
// worker thread (a fresh instance and a fresh /tmp each; the worker is stopped at the timeout).
// The guest sees / (the staged root: usr/local is the python root with the test sources) and /tmp (a new
// empty directory, TMPDIR). node:wasi has no read-only preopens: both are writable here.
//   node bench/conformance-node.mjs <python.wasm> <staged root> <log dir> <timeout s> <regrtest option>... -- <module>...
// Writes <log dir>/<module>.log and prints '<module> <exit code> <seconds>' per module (124: timeout; -1: trap).
import { Worker, isMainThread, workerData, parentPort } from 'node:worker_threads';
import { WASI } from 'node:wasi';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

if (isMainThread) {
  const [wasm, root, logs, timeout, ...rest] = process.argv.slice(2);
  const sep = rest.indexOf('--');
  const options = rest.slice(0, sep);
  const modules = rest.slice(sep + 1);
  fs.mkdirSync(logs, { recursive: true });
  const module = await WebAssembly.compile(fs.readFileSync(wasm));
  for (const name of modules) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faasm-conformance-node-'));
    const logFile = path.join(logs, name + '.log');
    const t0 = process.hrtime.bigint();
    const code = await new Promise((resolve) => {
      const w = new Worker(new URL(import.meta.url), {
        workerData: { module, root, tmp, logFile, argv: ['python', '-m', 'test', ...options, name] },
      });
      let done = false;
      const finish = (c) => { if (!done) { done = true; clearTimeout(timer); resolve(c); } };
      // a worker blocked in a host call (a blocking poll, say) does not stop when terminated: the module
      // is given up at once, the worker is left to the process's exit
      const timer = setTimeout(() => { w.terminate().catch(() => {}); fs.appendFileSync(logFile, '\n[conformance] stopped at the timeout\n'); finish(124); }, Number(timeout) * 1000);
      w.on('message', (c) => finish(c));
      w.on('error', (e) => { fs.appendFileSync(logFile, `\n[conformance] the guest ended with ${e}\n`); finish(-1); });
      w.on('exit', () => finish(-1));
    });
    fs.rmSync(tmp, { recursive: true, force: true });
    console.log(`${name} ${code} ${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(1)}`);
  }
  process.exit(0);
} else {
  const { module, root, tmp, logFile, argv } = workerData;
  const fd = fs.openSync(logFile, 'w');
  const wasi = new WASI({
    version: 'preview1', args: argv, returnOnExit: true,
    env: { PYTHONHOME: '/usr/local', TMPDIR: '/tmp', HOME: '/tmp', LANG: 'C.UTF-8' },
    preopens: { '/': root, '/tmp': tmp },
    stdin: fs.openSync('/dev/null', 'r'), stdout: fd, stderr: fd,
  });
  const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
  let code;
  try {
    code = wasi.start(instance);
  } catch (e) {
    fs.writeSync(fd, `\n[conformance] the guest ended with ${e}\n`);
    code = -1;
  }
  fs.closeSync(fd);
  parentPort.postMessage(code);
}
