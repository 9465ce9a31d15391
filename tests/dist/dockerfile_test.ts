// The Dockerfile cannot be built here (no container daemon); this holds it to the release image's shape.
import assert from "node:assert/strict";

const DOCKERFILE = await Deno.readTextFile(new URL("../../Dockerfile", import.meta.url));

Deno.test("the Dockerfile builds the release image's shape: /phyware, user 65532, phyware as entrypoint", () => {
  assert.match(DOCKERFILE, /^COPY --from=download \/download\/phyware \/phyware$/m);
  assert.match(DOCKERFILE, /^USER 65532:65532$/m);
  assert.match(DOCKERFILE, /^ENTRYPOINT \["\/phyware"\]$/m);
  for (const label of ["version", "source", "licenses"]) {
    assert.match(DOCKERFILE, new RegExp(`org\\.opencontainers\\.image\\.${label}=`));
  }
});

Deno.test("the Dockerfile checks the downloaded archive against checksums.txt before unpacking it", () => {
  const check = DOCKERFILE.indexOf("sha256sum --ignore-missing -c checksums.txt");
  const unpack = DOCKERFILE.indexOf("tar -xzf");
  assert.ok(check > 0 && unpack > check);
});
