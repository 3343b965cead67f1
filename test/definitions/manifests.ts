import { readYamlDocuments } from './schema-validation.js';

/** Loading the deployment definitions of each variant, for the tests that compare them. */

type Json = Record<string, any>;

/** The plain Kubernetes manifests' folder. */
export const kubernetesDir = new URL('../../definitions/kubernetes/', import.meta.url);

/** The plain Kubernetes manifests the kustomization lists, by kind. */
export async function loadKubernetesManifests(): Promise<Record<string, Json>> {
  const [kustomization] = await readYamlDocuments(new URL('kustomization.yaml', kubernetesDir));
  const byKind: Record<string, Json> = {};
  for (const file of (kustomization?.['resources'] ?? []) as string[]) {
    for (const doc of await readYamlDocuments(new URL(file, kubernetesDir))) {
      if (byKind[doc['kind'] as string] !== undefined) throw new Error(`two ${doc['kind']} manifests`);
      byKind[doc['kind'] as string] = doc;
    }
  }
  return byKind;
}

/** One YAML document of a definitions file. */
export async function loadDefinition(path: string): Promise<Json> {
  const docs = await readYamlDocuments(new URL(`../../definitions/${path}`, import.meta.url));
  if (docs.length !== 1) throw new Error(`definitions/${path}: expected one document, found ${docs.length}`);
  return docs[0] as Json;
}
