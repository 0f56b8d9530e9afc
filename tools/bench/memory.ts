// The bench's memory figures for one server process: RSS and its peak from the kernel
// (/proc/<pid>/status: VmRSS, VmHWM, exact), and the heap, external, array-buffer and WebAssembly
// memory from the probe preloaded into it (memory-probe.mjs, sampled every 250 ms).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { z } from "zod";

const MB = 1_048_576;
const probeSample = z.object({ heapUsed: z.number(), heapTotal: z.number(), external: z.number(), arrayBuffers: z.number(), wasm: z.number(), at: z.number() });

export interface MemoryFigures {
  rssMb: number;
  peakRssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  /** Memory outside the JS heap that V8 is told of: Buffers and array buffers, and WebAssembly memories too. */
  externalMb: number;
  arrayBuffersMb: number;
  /** The size of every live WebAssembly linear memory (PGlite's), counted in external too: grown, not all of it resident. */
  wasmMb: number;
}

/** The environment that preloads the probe into a server; `read` gives its figures now. */
export function memoryProbe(name: string) {
  const file = path.join(os.tmpdir(), `masthead-bench-memory-${process.pid}-${name}.json`);
  fs.rmSync(file, { force: true });
  const env = {
    MEMORY_PROBE_FILE: file,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import ${pathToFileURL(path.resolve("tools/bench/memory-probe.mjs")).href}`.trim(),
  };
  const read = async (pid: number): Promise<MemoryFigures> => {
    const asked = Date.now();
    // A sample taken after this call (the probe writes every 250 ms).
    for (let i = 0; i < 40; i++) {
      const sample = fs.existsSync(file) ? probeSample.safeParse(JSON.parse(fs.readFileSync(file, "utf8"))) : null;
      if (sample?.success && sample.data.at >= asked) {
        const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
        const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN) / 1024;
        const s = sample.data;
        return {
          rssMb: kb("VmRSS"),
          peakRssMb: kb("VmHWM"),
          heapUsedMb: s.heapUsed / MB,
          heapTotalMb: s.heapTotal / MB,
          externalMb: s.external / MB,
          arrayBuffersMb: s.arrayBuffers / MB,
          wasmMb: s.wasm / MB,
        };
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`No memory sample from the server's probe (${file})`);
  };
  return { env, read, remove: () => fs.rmSync(file, { force: true }) };
}

export const describeMemory = (m: MemoryFigures) =>
  `RSS ${m.rssMb.toFixed(0)} MB (peak ${m.peakRssMb.toFixed(0)}): JS heap ${m.heapUsedMb.toFixed(0)} MB used of ${m.heapTotalMb.toFixed(0)}, ` +
  `external ${m.externalMb.toFixed(0)} MB (of which WASM linear memory ${m.wasmMb.toFixed(0)} MB, array buffers ${m.arrayBuffersMb.toFixed(0)} MB)`;
