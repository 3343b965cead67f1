/**
 * What every deployment variant must agree on about the service, read from a rendered
 * Deployment and Service: the image, the container port, the environment, the probes and the
 * resources. Names that each variant chooses (the table's name and region, the component's
 * name) are checked by each variant's own test against its own table, and left out here.
 */

type Json = Record<string, any>;

/** The values each variant sets from its own table; compared per variant, not across them. */
export const perVariantEnv = ['DYNAMODB_TABLE_NAME', 'AWS_REGION'] as const;

/** The one container of a Deployment (every variant runs exactly one). */
export function serviceContainer(deployment: Json): Json {
  const containers = deployment['spec']['template']['spec']['containers'] as Json[];
  if (containers.length !== 1) throw new Error(`expected one container, found ${containers.length}`);
  return containers[0] as Json;
}

/** An env var's value (or valueFrom) by name. */
export function envValue(container: Json, name: string): unknown {
  const entry = (container['env'] as Json[]).find((e) => e['name'] === name);
  return entry?.['value'] ?? entry?.['valueFrom'];
}

/** The settings the variants share. */
export function serviceSettings(deployment: Json, service: Json): Json {
  const container = serviceContainer(deployment);
  return {
    image: container['image'],
    ports: (container['ports'] as Json[]).map((p) => ({ containerPort: p['containerPort'], protocol: p['protocol'] ?? 'TCP' })),
    env: (container['env'] as Json[]).map((e) =>
      (perVariantEnv as readonly string[]).includes(e['name'] as string) ? { name: e['name'] } : e,
    ),
    livenessProbe: container['livenessProbe'],
    readinessProbe: container['readinessProbe'],
    resources: container['resources'],
    service: {
      type: service['spec']['type'] ?? 'ClusterIP',
      ports: (service['spec']['ports'] as Json[]).map((p) => ({ port: p['port'], targetPort: p['targetPort'], protocol: p['protocol'] ?? 'TCP' })),
    },
  };
}
