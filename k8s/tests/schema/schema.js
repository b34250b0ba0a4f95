// Reads a JSON array of Kubernetes objects on stdin and validates each
// against the OpenAPI schema of its apiVersion/kind (kubernetes-models 4:
// types and required fields; unknown fields are not rejected). Prints one
// line per invalid object and exits 1 if any; 0 when all are valid.
"use strict";

const MODULES = {
  "v1": "kubernetes-models/v1",
  "apps/v1": "kubernetes-models/apps/v1",
  "policy/v1": "kubernetes-models/policy/v1",
  "networking.k8s.io/v1": "kubernetes-models/networking.k8s.io/v1",
};

function validate(obj) {
  const path = MODULES[obj.apiVersion];
  if (!path) return `no schema for apiVersion ${obj.apiVersion}`;
  const Kind = require(path)[obj.kind];
  if (!Kind) return `no schema for ${obj.apiVersion} ${obj.kind}`;
  try {
    new Kind(obj).validate();
    return null;
  } catch (e) {
    return String(e.message || e).split("\n").slice(0, 6).join("; ");
  }
}

let input = "";
process.stdin.on("data", (d) => (input += d));
process.stdin.on("end", () => {
  const objects = JSON.parse(input);
  let bad = 0;
  for (const obj of objects) {
    const error = validate(obj);
    if (error) {
      bad++;
      const name = (obj.metadata || {}).name;
      console.log(`${obj.kind}/${name}: ${error}`);
    }
  }
  process.exit(bad ? 1 : 0);
});
