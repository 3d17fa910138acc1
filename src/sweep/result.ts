// A sweep's result file: evbench/result@1 with no runs and a `sweeps` block, written after every
// repetition of every job (so an interruption keeps what was measured) and at the end.
import { join } from "node:path";

import { fingerprint, gitState } from "../results/env.js";
import { RESULT_SCHEMA, type ResultFile, type StoredScenario, type SweepResult } from "../model/index.js";
import { ResultWriter, utcStamp } from "../results/writer.js";
import { SWEEP_DEFINITIONS } from "./definitions.js";

export interface SweepFileOptions {
  resultsDir: string;
  outPath: string | null;
  /** The scenario's name (or sweep-<target>) and what else the result should say of it. */
  scenario: StoredScenario;
  command: string;
  repoRoot: string;
}

export class SweepFile {
  private readonly env = fingerprint();
  private readonly git;
  private readonly writer: ResultWriter;

  constructor(private readonly o: SweepFileOptions) {
    this.git = gitState(o.repoRoot);
    this.writer = new ResultWriter(join(o.resultsDir, this.env.hardwareId), `${utcStamp()}-${o.scenario.name}`, o.outPath);
  }

  build(sweeps: SweepResult[], versions: Record<string, Record<string, string>>, complete: boolean): ResultFile {
    return {
      schema: RESULT_SCHEMA,
      createdAt: new Date().toISOString(),
      command: this.o.command,
      scenario: this.o.scenario,
      env: { ...this.env, targets: versions },
      git: this.git,
      definitions: SWEEP_DEFINITIONS,
      runs: [],
      summary: [],
      ratios: [],
      completeness: complete ? "complete" : "partial",
      sweeps,
    };
  }

  write(r: ResultFile): string {
    return this.writer.write(r);
  }
}
