// Validates rendered Kubernetes manifests (a multi-document YAML file, e.g. `helm template`
// output) against the Kubernetes API schemas of kubernetes-models, and ServiceMonitors against the
// Prometheus Operator's. Prints one line per object; exits 1 when any object is invalid or of an
// API it has no schema for.  Usage: node check-manifests.mjs FILE
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';

const modules = {
  'v1': 'kubernetes-models/v1',
  'apps/v1': 'kubernetes-models/apps/v1',
  'policy/v1': 'kubernetes-models/policy/v1',
  'autoscaling/v2': 'kubernetes-models/autoscaling/v2',
  'batch/v1': 'kubernetes-models/batch/v1',
  'networking.k8s.io/v1': 'kubernetes-models/networking.k8s.io/v1',
  'monitoring.coreos.com/v1': '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1',
};

const docs = yaml.loadAll(readFileSync(process.argv[2], 'utf8')).filter((d) => d !== null && d !== undefined);
let invalid = 0;
for (const doc of docs) {
  const name = `${doc.apiVersion} ${doc.kind} ${doc.metadata?.name}`;
  const module = modules[doc.apiVersion];
  const Model = module && (await import(module))[doc.kind];
  if (!Model) {
    console.log(`invalid ${name}: no schema for this apiVersion and kind`);
    invalid++;
    continue;
  }
  try {
    new Model(doc).validate();
    console.log(`ok ${name}`);
  } catch (e) {
    console.log(`invalid ${name}: ${e.message}`);
    invalid++;
  }
}
if (invalid > 0 || docs.length === 0) {
  console.log(`${invalid} invalid of ${docs.length}`);
  process.exit(1);
}
console.log(`valid: ${docs.length} objects`);
