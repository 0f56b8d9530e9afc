// Preloaded (`node --import`) into the server the bench starts, never into the app. MEMORY_PROBE_FILE: every 250 ms
// it writes the process's memory to MEMORY_PROBE_FILE as JSON, with the peak RSS since start and
// the WebAssembly linear memories (PGlite's), which process.memoryUsage() does not show apart.
import fs from "node:fs";
import inspector from "node:inspector";

// CPU_PROFILE_FILE: a V8 CPU profile of the whole process, written as it exits (node refuses
// --cpu-prof in NODE_OPTIONS). The in-process inspector session answers synchronously.
if (process.env.CPU_PROFILE_FILE) {
  const session = new inspector.Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.start");
  process.on("exit", () => {
    session.post("Profiler.stop", (error, result) => {
      if (!error) fs.writeFileSync(process.env.CPU_PROFILE_FILE, JSON.stringify(result.profile));
    });
  });
}

const file = process.env.MEMORY_PROBE_FILE;
if (file) {
  /** Every WebAssembly.Memory made in this process, held weakly so the probe keeps none alive. */
  const memories = [];
  const Original = WebAssembly.Memory;
  const Tracked = function Memory(descriptor) {
    const memory = new Original(descriptor);
    memories.push(new WeakRef(memory));
    return memory;
  };
  Tracked.prototype = Original.prototype;
  WebAssembly.Memory = Tracked;
  // A module that defines its memory itself (rather than importing one) exports it.
  const track = (instance) => {
    for (const value of Object.values(instance.exports)) if (value instanceof Original && !memories.some((m) => m.deref() === value)) memories.push(new WeakRef(value));
  };
  const instantiate = WebAssembly.instantiate;
  WebAssembly.instantiate = async (...args) => {
    const result = await instantiate(...args);
    track(result.instance ?? result);
    return result;
  };

  let peakRss = 0;
  const write = () => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    const live = memories.map((m) => m.deref()).filter(Boolean);
    const wasm = live.reduce((sum, m) => sum + m.buffer.byteLength, 0);
    const sample = { ...usage, peakRss, wasm, wasmMemories: live.length, at: Date.now() };
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(sample));
    fs.renameSync(`${file}.tmp`, file);
  };
  setInterval(write, 250).unref();
  write();
}
