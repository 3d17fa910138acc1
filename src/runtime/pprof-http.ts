// bench --profile for a service that imports net/http/pprof: the control channel's
// profile-start/profile-stop answered over HTTP, into the same files the registered Go targets
// write (<prefix>.cpu.pprof, .heap-start.pprof, .heap.pprof), so src/profile/ reads them as today.
import { writeFileSync } from "node:fs";

import { httpGet } from "./http-get.js";

const HEAP_TIMEOUT_MS = 20_000;

export class HttpProfiler {
  private cpu: Promise<Buffer> | null = null;
  private prefix = "";

  /** base: the pprof path prefix, e.g. /debug/pprof; seconds: the window's length. */
  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly base: string,
    private readonly seconds: number,
  ) {}

  private async get(path: string, timeoutMs: number): Promise<Buffer> {
    const r = await httpGet(this.host, this.port, `${this.base}${path}`, timeoutMs);
    if (r.status !== 200) throw new Error(`GET ${this.base}${path} answered ${r.status}: ${r.body.toString("utf8").slice(0, 200).trim()}`);
    return r.body;
  }

  /** The answer line a Go target gives to profile-start (JSON). */
  async start(prefix: string): Promise<string> {
    try {
      this.prefix = prefix;
      writeFileSync(`${prefix}.heap-start.pprof`, await this.get("/allocs", HEAP_TIMEOUT_MS));
      // pprof's CPU profile runs for whole seconds; the window's length, rounded up.
      const s = Math.max(1, Math.ceil(this.seconds));
      this.cpu = this.get(`/profile?seconds=${s}`, (s + 30) * 1000);
      this.cpu.catch(() => {});
      return JSON.stringify({ started: prefix });
    } catch (e) {
      return JSON.stringify({ error: `pprof over HTTP: ${(e as Error).message}` });
    }
  }

  /** The answer to profile-stop: the files written. */
  async stop(): Promise<string> {
    if (!this.cpu) return JSON.stringify({ error: "no profile is being taken (profile-start first)" });
    try {
      const cpu = `${this.prefix}.cpu.pprof`;
      writeFileSync(cpu, await this.cpu);
      const heap = `${this.prefix}.heap.pprof`;
      writeFileSync(heap, await this.get("/allocs?gc=1", HEAP_TIMEOUT_MS));
      return JSON.stringify({ cpu, heap, heapBase: `${this.prefix}.heap-start.pprof`, gc: null });
    } catch (e) {
      return JSON.stringify({ error: `pprof over HTTP: ${(e as Error).message}` });
    } finally {
      this.cpu = null;
    }
  }
}
