// Strict schema validation of rendered Kubernetes manifests with kubernetes-models (OpenAPI schemas of the
// Kubernetes API and of the CRDs we ship: Gateway API, KEDA, Prometheus Operator): types, enums, formats and
// required fields. Unknown fields are caught by the KubernetesClient strict loader (tests/Infra.Tests); these
// schemas allow them.
//
//   kubectl kustomize infra/k8s/overlays/dev | node infra/validate/validate.mjs
//
// Prints one line per invalid object ("Kind/name: path message") and "N objects valid, N invalid"; exits 1 if any
// object is invalid or of a kind no model covers (an object that cannot be validated is a failure, not a pass).
import { parseAllDocuments } from "yaml";

// Where the model of an apiVersion's group lives: the Kubernetes API itself, else the CRD model packages.
const packages = ["kubernetes-models", "@kubernetes-models/gateway-api", "@kubernetes-models/keda", "@kubernetes-models/prometheus-operator"];

async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : [null, apiVersion];
  for (const pkg of packages) {
    const path = group ? `${pkg}/${group}/${version}` : `${pkg}/${version}`;
    try {
      const module = await import(path);
      if (typeof module[kind] === "function") return module[kind];
    } catch (error) {
      if (error.code !== "ERR_PACKAGE_PATH_NOT_EXPORTED" && error.code !== "ERR_MODULE_NOT_FOUND") throw error;
    }
  }
  return null;
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

const text = await readStdin();
let valid = 0;
let invalid = 0;
for (const document of parseAllDocuments(text)) {
  if (document.errors.length > 0) {
    invalid++;
    console.log(`YAML: ${document.errors.map((e) => e.message).join("; ")}`);
    continue;
  }
  const object = document.toJS();
  if (object === null || object === undefined) continue;
  const name = `${object.kind}/${object.metadata?.name ?? "?"}`;
  // Kustomize folds long base64 values over several lines; the API server decodes them with Go's base64 decoder,
  // which skips \r and \n, so those (and only those) are removed before the schema's "byte" format is checked.
  if (object.kind === "Secret" && object.data) {
    for (const key of Object.keys(object.data)) object.data[key] = String(object.data[key]).replace(/[\r\n]/g, "");
  }
  const Model = await modelFor(object.apiVersion ?? "", object.kind ?? "");
  if (!Model) {
    invalid++;
    console.log(`${name}: no kubernetes-models model for ${object.apiVersion} ${object.kind}`);
    continue;
  }
  try {
    new Model(object).validate();
    valid++;
  } catch (error) {
    invalid++;
    const details = error.errors?.map((e) => `${e.instancePath} ${e.message}${e.params?.allowedValues ? ` (${e.params.allowedValues.join(", ")})` : ""}`);
    console.log(`${name}: ${details?.join("; ") ?? error.message}`);
  }
}
console.log(`${valid} objects valid, ${invalid} invalid`);
process.exitCode = invalid > 0 || valid === 0 ? 1 : 0;
