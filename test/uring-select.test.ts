// Issue 17's backend choice from the outside: `load --backend io_uring` reaches the native
// generator and says so in its summary (a real server on loopback counts the answers), bad
// combinations are refused with exit 2, and a scenario's backend is checked and recorded.
import type http from "node:http";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { LoadSummary } from "../src/commands/load-summary.js";
import { nativeBackendUnavailable } from "../src/load/backend.js";
import { loadSettingsFor, loadSpecFor } from "../src/run/load-spec.js";
import { parseScenario } from "../src/scenario/load.js";
import { runCli } from "./helpers/cli.js";
import { startHttpFixture, type HttpFixture } from "./helpers/http-fixture.js";

let fixture: HttpFixture;
let answered = 0;
const uringWhy = nativeBackendUnavailable("io_uring", false);

beforeAll(async () => {
  fixture = await startHttpFixture((_req: http.IncomingMessage, res: http.ServerResponse) => {
    answered++;
    res.end("hello");
  });
});
afterAll(() => fixture.close());

describe("load --backend", () => {
  it.skipIf(uringWhy !== null)(
    "io_uring runs the native generator through io_uring and records it",
    async () => {
      answered = 0;
      const r = await runCli(["load", `http://127.0.0.1:${fixture.port}/`, "--backend", "io_uring", "-n", "200", "-c", "2", "--json", "-q"])
        .done;
      expect(r.code, r.stderr).toBe(0);
      const s = LoadSummary.parse(JSON.parse(r.stdout));
      expect(s.settings.backend).toBe("io_uring");
      expect(s.settings.sqpoll).toBe(false);
      expect(s.requests).toBe(200);
      expect(answered).toBe(200);
    },
    60_000,
  );

  it("refuses io_uring for wrk, and --sqpoll without io_uring, with exit 2", async () => {
    const a = await runCli(["load", "http://127.0.0.1:9/", "--backend", "io_uring", "--generator", "wrk"]).done;
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/--backend io_uring needs the native generator/);
    const b = await runCli(["load", "http://127.0.0.1:9/", "--sqpoll"]).done;
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--sqpoll is an io_uring mode/);
  }, 30_000);
});

describe("scenario load.backend", () => {
  const file = "/x/s.json";
  const base = {
    name: "s",
    targets: [{ name: "native", variants: [{ name: "uring", load: { backend: "io_uring" } }, { name: "epoll" }] }],
  };

  it("maps to the native spec and the result's settings, epoll by default", () => {
    const s = parseScenario(base, file);
    const [uring, epoll] = s.targets[0]!.variants;
    expect(loadSpecFor(s, uring!, "127.0.0.1", 1)).toMatchObject({ backend: "io_uring", sqpoll: false });
    expect(loadSettingsFor(s, uring!)).toMatchObject({ generator: "native", backend: "io_uring", sqpoll: false });
    expect(loadSettingsFor(s, epoll!)).toMatchObject({ backend: "epoll" });
  });

  it("refuses a non-native generator with io_uring, and sqpoll with epoll", () => {
    const wrk = { ...base, load: { generator: "wrk" } };
    expect(() => parseScenario(wrk, file)).toThrow(/targets\[0\]\.variants\[0\]\.load: backend "io_uring" needs the native generator/);
    expect(() => parseScenario({ ...base, load: { sqpoll: true } }, file)).toThrow(/sqpoll needs backend "io_uring"/);
  });
});
