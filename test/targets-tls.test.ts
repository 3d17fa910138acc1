// Every registered target that claims TLS or h2c starts with this run's throwaway certificate and
// answers the contract over each protocol it claims (the runner's own verification, over real
// processes on loopback); a protocol a target does not claim is refused: one stderr line, exit 2.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import https from "node:https";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { PROTOCOLS } from "../src/model/index.js";
import { h2Exchange } from "../src/targets/h2-probe.js";
import { TARGETS } from "../src/targets/registry.js";
import { verifyTarget } from "../src/targets/verify.js";
import { makeRunCerts, opensslUnavailableReason, type TlsFiles } from "../src/tls/certs.js";
import { protocolArgs } from "../src/tls/target-args.js";
import { runCli } from "./helpers/cli.js";
import { HOST, startOver, wireOf } from "./helpers/tls-target.js";

const noOpenssl = await opensslUnavailableReason();
const request = { method: "GET", path: "/plaintext", bodyBytes: 4096 };

describe.skipIf(noOpenssl !== null)(`TLS targets${noOpenssl ? ` (skipped: ${noOpenssl})` : ""}`, () => {
  let certs: TlsFiles;
  beforeAll(async () => {
    certs = await makeRunCerts();
  });
  afterAll(() => certs?.remove());

  it("the run's certificate lives in a private folder and is gone after remove()", async () => {
    const c = await makeRunCerts("rsa-2048");
    const dir = c.cert.slice(0, c.cert.lastIndexOf("/"));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(c.key).mode & 0o077).toBe(0);
    expect(existsSync(`${dir}/ca.key`)).toBe(false); // the CA signs once, then its key is gone
    const chain = spawnSync("openssl", ["verify", "-CAfile", c.ca!, c.cert], { encoding: "utf8" });
    expect(chain.stdout).toContain(": OK");
    c.remove();
    expect(existsSync(dir)).toBe(false);
  });

  for (const def of TARGETS.filter((t) => t.protocols.length > 1)) {
    const why = def.unavailableReason();
    describe.skipIf(why !== null)(`${def.name}${why ? ` (skipped: ${why})` : ""}`, () => {
      for (const protocol of def.protocols.filter((p) => p !== "h1")) {
        it(`answers the contract over ${protocol}, and says so in stats`, async () => {
          const t = await startOver(def, protocol, certs);
          try {
            expect(await verifyTarget(def, HOST, t.port, "http", request, 5000, wireOf(protocol, certs))).toEqual([]);
            const s = await t.stats();
            expect(s.extra.tls).toBe(protocol !== "h2c");
            expect(s.extra.h2c).toBe(protocol === "h2c");
          } finally {
            await t.stop();
          }
        });
      }
      it.skipIf(def.protocols.includes("h2-tls"))("over TLS it never agrees to h2", async () => {
        const t = await startOver(def, "h1-tls", certs);
        try {
          const tried = h2Exchange(HOST, t.port, { ca: wireOf("h1-tls", certs).ca }, [{ method: "GET", path: "/plaintext", body: null }]);
          await expect(tried).rejects.toThrow(/ALPN|HTTP\/2/);
        } finally {
          await t.stop();
        }
      });
    });
  }

  for (const def of TARGETS) {
    const refused = PROTOCOLS.filter((p) => !def.protocols.includes(p) && p !== "h2-tls");
    const why = def.unavailableReason();
    it.skipIf(why !== null || refused.length === 0)(`${def.name} refuses ${refused.join(", ") || "nothing"}: one line, exit 2`, () => {
      const { cmd, args } = def.command();
      for (const p of refused) {
        const r = spawnSync(cmd, [...args, "--port", "0", "--mode", "http", ...protocolArgs(p, certs)], {
          encoding: "utf8",
          timeout: 15_000,
          input: "",
        });
        expect(r.status, `${def.name} ${p}: ${r.stderr}`).toBe(2);
        expect(r.stdout).toBe("");
        expect(r.stderr.trim().split("\n")).toHaveLength(1);
      }
    });
  }

  it.skipIf(TARGETS.find((t) => t.name === "nethttp")!.unavailableReason() !== null)(
    "`target nethttp --tls` serves with a run certificate, names its CA, and removes it at exit",
    async () => {
      const cli = runCli(["target", "nethttp", "--tls", "--port", "0"]);
      try {
        const deadline = Date.now() + 20_000;
        let m: RegExpMatchArray | null = null;
        let port: RegExpMatchArray | null = null;
        while (Date.now() < deadline && !(m && port)) {
          await new Promise((r) => setTimeout(r, 50));
          m = /its CA: (\S+)/.exec(cli.stdout());
          port = /READY (\d+)/.exec(cli.stdout());
        }
        expect(m && port, cli.stdout()).toBeTruthy();
        const ca = readFileSync(m![1]!);
        const body = await new Promise<string>((resolve, reject) => {
          https
            .get({ host: HOST, port: Number(port![1]), path: "/plaintext", ca }, (res) => {
              let b = "";
              res.on("data", (d) => (b += d));
              res.on("end", () => resolve(b));
            })
            .on("error", reject);
        });
        expect(body).toBe("Hello, World!");
        cli.child.kill("SIGTERM");
        await cli.done;
        expect(existsSync(m![1]!)).toBe(false);
      } finally {
        cli.child.kill("SIGKILL");
      }
    },
  );

  it("`target` refuses a protocol the target does not speak, and --tls with --h2c: exit 2", async () => {
    for (const args of [
      ["gnet", "--tls"],
      ["fasthttp", "--h2c"],
      ["nethttp", "--tls", "--h2c"],
      ["nethttp", "--tls", "--mode", "echo"],
    ]) {
      const r = await runCli(["target", ...args, "--port", "0"]).done;
      expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  });
});
