/**
 * The parameter schemas of KubeVela's built-in `webservice` component and `scaler` and
 * `resource` traits, restated as JSON Schema for ajv. Written from the definitions in
 * kubevela/kubevela `vela-templates/definitions/internal/component/webservice.cue`,
 * `.../trait/scaler.cue` and `.../trait/resource.cue`; only the fields the example uses are
 * restated, and unknown fields are refused here (KubeVela would ignore a typo silently).
 */

/** Kubernetes' resource.Quantity syntax (apimachinery's quantity regular expression). */
export const kubernetesQuantity =
  /^[+-]?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE][+-]?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/;

/** The memory pattern the `resource` trait enforces. */
export const velaMemoryPattern = '^([1-9][0-9]{0,63})(E|P|T|G|M|K|Ei|Pi|Ti|Gi|Mi|Ki)$';

const healthProbe = {
  type: 'object',
  additionalProperties: false,
  properties: {
    exec: { type: 'object', required: ['command'], properties: { command: { type: 'array', items: { type: 'string' } } } },
    httpGet: {
      type: 'object',
      additionalProperties: false,
      // webservice: `path: string` and `port: int` are required; host, scheme, headers optional.
      required: ['path', 'port'],
      properties: {
        path: { type: 'string' },
        port: { type: 'integer' },
        host: { type: 'string' },
        scheme: { type: 'string' },
        httpHeaders: {
          type: 'array',
          items: { type: 'object', required: ['name', 'value'], properties: { name: { type: 'string' }, value: { type: 'string' } } },
        },
      },
    },
    tcpSocket: { type: 'object', required: ['port'], properties: { port: { type: 'integer' } } },
    initialDelaySeconds: { type: 'integer' },
    periodSeconds: { type: 'integer' },
    timeoutSeconds: { type: 'integer' },
    successThreshold: { type: 'integer' },
    failureThreshold: { type: 'integer' },
  },
} as const;

const keyRef = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'key'],
  properties: { name: { type: 'string' }, key: { type: 'string' } },
} as const;

/** `webservice` parameters, as far as the example uses them. */
export const webserviceParameters = {
  type: 'object',
  additionalProperties: false,
  required: ['image'],
  properties: {
    image: { type: 'string' },
    imagePullPolicy: { enum: ['Always', 'Never', 'IfNotPresent'] },
    ports: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['port'],
        properties: {
          port: { type: 'integer' },
          name: { type: 'string' },
          protocol: { enum: ['TCP', 'UDP', 'SCTP'] },
          expose: { type: 'boolean' },
        },
      },
    },
    env: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: {
          name: { type: 'string' },
          // `value?: string`: a bare YAML number here is refused by the definition.
          value: { type: 'string' },
          valueFrom: {
            type: 'object',
            additionalProperties: false,
            properties: { secretKeyRef: keyRef, configMapKeyRef: keyRef },
          },
        },
      },
    },
    cpu: { type: 'string' },
    memory: { type: 'string' },
    livenessProbe: healthProbe,
    readinessProbe: healthProbe,
  },
} as const;

/** `scaler` parameters. */
export const scalerParameters = {
  type: 'object',
  additionalProperties: false,
  properties: { replicas: { type: 'integer' } },
} as const;

const cpuAndMemory = {
  type: 'object',
  additionalProperties: false,
  properties: {
    cpu: { type: ['number', 'string'] },
    memory: { type: 'string', pattern: velaMemoryPattern },
  },
} as const;

/** `resource` parameters. */
export const resourceParameters = {
  type: 'object',
  additionalProperties: false,
  properties: {
    cpu: { type: ['number', 'string'] },
    memory: { type: 'string', pattern: velaMemoryPattern },
    requests: cpuAndMemory,
    limits: cpuAndMemory,
  },
} as const;
