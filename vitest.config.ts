import { defineConfig } from "vitest/config";

// Integration tests start real processes on loopback; they must not compete with each other
// for the two CPUs, so files run one at a time.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
