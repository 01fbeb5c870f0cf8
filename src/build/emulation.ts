/**
 * Whether building for another platform runs any of its programs: only `RUN` steps do, and only
 * in stages built for the target platform. A cross-compiling Dockerfile whose `RUN` steps are all
 * in stages pinned to the build platform (`FROM --platform=$BUILDPLATFORM …`) needs no
 * emulation. Pure: the Dockerfile's text in. A `--platform` given by another variable, or a
 * Dockerfile that cannot be read, counts as needing it.
 */
import { DockerfileParser, type From } from 'dockerfile-ast';

const BUILD_PLATFORM = /^\$(\{BUILDPLATFORM\}|BUILDPLATFORM)$/;

function pinnedToBuildPlatform(from: From): boolean {
  return from
    .getFlags()
    .some((flag) => flag.getName() === 'platform' && BUILD_PLATFORM.test(flag.getValue() ?? ''));
}

/** Whether any `RUN` step of the Dockerfile runs on the target platform. */
export function runsOnTargetPlatform(dockerfile: string): boolean {
  let onTarget = false;
  let seenFrom = false;
  for (const instruction of DockerfileParser.parse(dockerfile).getInstructions()) {
    const keyword = instruction.getKeyword().toUpperCase();
    if (keyword === 'FROM') {
      seenFrom = true;
      onTarget = !pinnedToBuildPlatform(instruction as From);
    } else if (keyword === 'RUN' && (onTarget || !seenFrom)) {
      return true;
    }
  }
  return false;
}
