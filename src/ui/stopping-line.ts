// The line under a --reps auto bench that says how many repetitions ran and why they stopped
// (result.stopping, src/run/stopping.ts), with the interval the stop rests on and its coverage.
import { budgetText, type ResultFile, type StopReason } from "../model/index.js";

const WHY: Record<StopReason, string> = {
  decided: "the answer is known: every goal's interval lies on one side of it and every interval is within the precision",
  precise: "every interval is within the precision (no goal to decide)",
  budget: "the budget was spent before the answer was known",
  interrupted: "interrupted",
};

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

export function stoppingLine(r: Pick<ResultFile, "stopping">): string | null {
  const s = r.stopping;
  if (!s) return null;
  const rerun = s.slowPhaseReps ? ` + ${s.slowPhaseReps} run again (slow-phase: kept, not counted)` : "";
  const head = `repetitions: ${s.reps}${rerun} (auto: ±${pct(s.precision)} asked, budget ${budgetText(s.budget)}, ${s.elapsedS.toFixed(0)} s); stopped: ${s.stop}: ${WHY[s.stop]}`;
  const width = (h: number | null) => (h === null ? "unbounded (no interval yet)" : `±${pct(h)}`);
  const widest = s.widest ? `; widest interval ${width(s.widest.halfWidth)} (${s.widest.label})` : "";
  const undecided = s.undecided.length > 0 ? `; undecided: ${s.undecided.join(", ")}` : "";
  const method =
    s.coverage < 0.95
      ? `; judged on min..max (${pct(s.coverage)} coverage at ${s.reps} repetitions) widened to a 95 % t-interval of the logs`
      : "; judged on the median's 95 % interval";
  return `${head}${widest}${undecided}${method}`;
}
