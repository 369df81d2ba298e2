// Runs py_func.wasm under Node's node:wasi with a minimal Faasm host (input, output, names, conf
// flags), for comparison with the Chicory host. Usage:
//   node bench/node-host.mjs <sysroot dir> <function dir> <calls>
import { readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';
import { basename } from 'node:path';

const [sysroot, fnDir, callsArg] = process.argv.slice(2);
const calls = Number(callsArg || 5);
const fnName = basename(fnDir);
const pyfuncs = `/tmp/faasm-node-${process.pid}`;
import { mkdirSync, cpSync, rmSync } from 'node:fs';
mkdirSync(`${pyfuncs}/python/${fnName}`, { recursive: true });
cpSync(fnDir, `${pyfuncs}/python/${fnName}`, { recursive: true });

const wasi = new WASI({
  version: 'preview1',
  args: ['py_func'],
  env: { PYTHONHOME: '/', PYTHONHASHSEED: '0', PYTHONNOUSERSITE: 'on', PYTHONWASM: '1', PYTHONDONTWRITEBYTECODE: '1' },
  preopens: { '/': `${sysroot}/runtime_root`, '/pyfuncs': pyfuncs },
  returnOnExit: true,
});
let memory;
let output = Buffer.alloc(0);
const enc = new TextEncoder();
const cstr = (p) => { const b = new Uint8Array(memory.buffer); let e = p; while (b[e]) e++; return Buffer.from(b.slice(p, e)).toString(); };
const put = (p, len, s) => { const b = new Uint8Array(memory.buffer); const v = enc.encode(s).slice(0, len - 1); b.set(v, p); b[p + v.length] = 0; };
const env = {
  __faasm_read_input: (buf, len) => 0,
  __faasm_write_output: (p, len) => { output = Buffer.from(new Uint8Array(memory.buffer, p, len)); },
  __faasm_read_state: () => 0, __faasm_read_state_offset: () => {}, __faasm_write_state: () => {},
  __faasm_write_state_offset: () => {}, __faasm_push_state: () => {}, __faasm_push_state_partial: () => {},
  __faasm_pull_state: () => {}, __faasm_chain_py: () => { throw new Error('chaining not supported here'); },
  __faasm_await_call: () => 1, __faasm_await_call_output: () => 0,
  __faasm_get_py_user: (p, len) => put(p, len, 'python'),
  __faasm_get_py_func: (p, len) => put(p, len, fnName),
  __faasm_get_py_entry: (p, len) => put(p, len, ''),
  __faasm_conf_flag: (p) => 0,
};
const t0 = performance.now();
const module = await WebAssembly.compile(readFileSync(`${sysroot}/wasm/python/py_func/function.wasm`));
const instance = await WebAssembly.instantiate(module, { wasi_snapshot_preview1: wasi.wasiImport, env });
memory = instance.exports.memory;
wasi.initialize(instance);
const t1 = performance.now();
instance.exports._faasm_zygote();
const t2 = performance.now();
// Node has no snapshot: each call re-imports the function in the same interpreter
const times = [];
const work = [];
for (let i = 0; i < calls; i++) {
  const s = performance.now();
  const rc = instance.exports._faasm_call();
  times.push(performance.now() - s);
  if (rc !== 0) throw new Error(`return code ${rc}`);
  const m = /work ([0-9.]+) ms/.exec(output.toString());
  if (m) work.push(Number(m[1]));
}
const sorted = [...times].sort((a, b) => a - b);
console.log(`${fnName} on node:wasi: compile+init ${(t1 - t0).toFixed(0)} ms, zygote ${(t2 - t1).toFixed(0)} ms, ` +
  `first call ${times[0].toFixed(1)} ms, median ${sorted[Math.floor(calls / 2)].toFixed(1)} ms (${calls} calls); output ${output}`);
if (work.length) {
  const w = [...work].sort((a, b) => a - b);
  console.log(`${fnName}: work inside the call: median ${w[Math.floor(w.length / 2)].toFixed(1)} ms, min ${w[0].toFixed(1)} ms`);
}
rmSync(pyfuncs, { recursive: true, force: true });
