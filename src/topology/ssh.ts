// The ssh topology (issue 16, part 4): not built yet.
import { BadInputError } from "../errors.js";
import type { HostsSection } from "./scenario.js";
import type { Topology } from "./types.js";

export async function openSsh(_hosts: HostsSection): Promise<Topology> {
  throw new BadInputError("the ssh topology is not built yet; use --topology local or netns");
}
