// What starting a target needs (a run of bench, a sweep repetition) and what it gives back.
import type { LinkSection, Mode, Protocol } from "../model/index.js";
import type { RunningTarget } from "../targets/process.js";
import type { TargetDef } from "../targets/registry.js";
import type { VerifyRequest } from "../targets/verify.js";
import type { TlsFiles } from "../tls/certs.js";
import type { Topology } from "../topology/types.js";

export type Started = { target: RunningTarget; versions: Record<string, string> } | { failure: string };

export interface StartSpec {
  def: TargetDef;
  host: string;
  threads: number;
  mode: Mode;
  env: Record<string, string>;
  args: string[];
  /** The server's pinned CPUs (null: not pinned). */
  cpus: number[] | null;
  /** The request the answers are verified with. */
  request: VerifyRequest;
  topology?: Topology;
  /** This variant's link (netns), set before the target starts. */
  link?: LinkSection | null;
  /** The measurement window's length (a user target's gctrace and scrapes are sized by it). */
  windowS: number;
  /** The wire protocol the target is started and verified over (absent: plain HTTP/1.1). */
  protocol?: Protocol;
  /** The run's certificate (TLS protocols only). */
  tls?: TlsFiles | null;
}
