// Which source addresses a load's connections bind to. One source address reaches one target
// (address and port) from at most the ephemeral range's ports (net.ipv4.ip_local_port_range:
// 28,232 by default), so N connections to one target need ceil(N / ports) addresses, and quickly
// from half of them (FAST_SHARE). On IPv4
// loopback the whole of 127.0.0.0/8 is local, and they are chosen automatically: 127.0.0.1 (the
// address the kernel picks anyway), then 127.0.0.2, 127.0.0.3, ... Elsewhere (a namespace's
// addresses, IPv6) the user names them with --source-addresses.
import { readFileSync } from "node:fs";
import { isIP } from "node:net";

import { BadInputError } from "../errors.js";

const PORT_RANGE_FILE = "/proc/sys/net/ipv4/ip_local_port_range";
const LINUX_DEFAULT_RANGE = 60999 - 32768 + 1;
// Ports of one address that a load plans to use at most: the rest is left for TIME_WAIT of
// earlier runs and for other programs' connections to the same target.
const USABLE_SHARE = 0.9;
// ...and what it connects quickly: connect() takes its ports from one half of the range first
// (every other port; the other half is bind()'s) and scans for a free one from a random offset,
// so past that half each connect walks the used ports and the connect rate falls off a cliff
// (measured here, one address, full speed, native-standalone: 10,000 connections at 28.7k/s;
// 19,000 at 3.5k/s with the client's CPU at 100 % and only 17,920 open after 5 s; the same 19,000
// from two addresses at 39.4k/s). Loopback addresses, free for the taking, are chosen past it.
const FAST_SHARE = 0.5;

/** Ports of the ephemeral range (the kernel's, where it can be read). */
export function ephemeralPorts(file = PORT_RANGE_FILE): number {
  try {
    const [lo, hi] = readFileSync(file, "latin1").trim().split(/\s+/).map(Number);
    if (lo !== undefined && hi !== undefined && Number.isInteger(lo) && Number.isInteger(hi) && hi >= lo) return hi - lo + 1;
  } catch {
    // no /proc: the Linux default
  }
  return LINUX_DEFAULT_RANGE;
}

/** Connections one source address can carry to one target. */
export function connectionsPerAddress(ports = ephemeralPorts()): number {
  return Math.max(1, Math.floor(ports * USABLE_SHARE));
}

function loopbackV4(host: string): boolean {
  return isIP(host) === 4 && host.startsWith("127.");
}

/** 127.0.0.1, 127.0.0.2, ...: the k-th address of 127.0.0.0/8 counting from 127.0.0.1. */
export function loopbackAddress(k: number): string {
  const n = k + 1;
  return `127.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

/**
 * The source addresses for `connections` connections to host:port: those given (checked to be
 * enough), else none when one address suffices, else loopback addresses chosen automatically.
 * Throws a BadInputError naming the limit and the fix when they cannot be found or are too few.
 */
export function sourceAddressesFor(
  host: string,
  port: number,
  connections: number,
  given: string[] | undefined,
  perAddress = connectionsPerAddress(),
): string[] | undefined {
  const need = Math.ceil(connections / perAddress);
  if (given !== undefined) {
    const family = isIP(host);
    const wrong = given.find((a) => isIP(a) === 0 || (family !== 0 && isIP(a) !== family));
    if (wrong !== undefined) {
      throw new BadInputError(
        `--source-addresses ${wrong}: not an IPv${family || "4/6"} address like the target ${host}'s; give local addresses of its family`,
      );
    }
    if (given.length < need) {
      throw new BadInputError(
        `--source-addresses: ${given.length} address(es) for ${connections} connections to ${host}:${port}; each carries at most ${perAddress} (the ephemeral port range), so give at least ${need}`,
      );
    }
    return given;
  }
  const fast = Math.max(1, Math.floor(perAddress * FAST_SHARE));
  if (loopbackV4(host) && connections > fast) return spreadOverLoopback(connections, fast);
  if (need <= 1 || loopbackV4(host)) return undefined;
  throw new BadInputError(
    `-c ${connections}: one source address reaches ${host}:${port} from at most ${perAddress} ports (the ephemeral range); give ${need} local addresses with --source-addresses a,b,... or lower -c`,
  );
}

function spreadOverLoopback(connections: number, perAddress: number): string[] {
  const need = Math.ceil(connections / perAddress);
  if (need > 1 << 24) throw new BadInputError(`-c ${connections}: more connections than 127.0.0.0/8 can carry to one port; lower -c`);
  return Array.from({ length: need }, (_, k) => loopbackAddress(k));
}
