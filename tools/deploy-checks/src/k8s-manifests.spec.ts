import { generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SERVICE_NAMES, type ServiceName } from '@tongban/config';
import { piiEnvSchema } from '@tongban/pii';
import { serviceConfigSchemaWith } from '@tongban/runtime';
import { smsEnvSchema } from '@tongban/sms';
import { parseAllDocuments, parse } from 'yaml';
import { WORKSPACE_ROOT } from '@tongban/testing';

/*
 * deploy/k8s: every object is validated against the Kubernetes OpenAPI schemas (kubernetes-models:
 * the official definitions compiled to ajv validators: types, required fields, enums, formats),
 * then checked for what the services need: probes on the right paths, resources, a locked-down
 * security context, and every variable their config schema requires.
 */

const K8S_DIR = path.join(WORKSPACE_ROOT, 'deploy/k8s');

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [key: string]: unknown;
}
interface EnvFromSource {
  configMapRef?: { name: string };
  secretRef?: { name: string };
}
interface Probe {
  httpGet?: { path: string; port: string | number };
}
interface Container {
  name: string;
  image: string;
  command?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string }[];
  envFrom?: EnvFromSource[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: {
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    runAsNonRoot?: boolean;
    capabilities?: { drop?: string[] };
  };
}
interface PodSpec {
  containers: Container[];
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  terminationGracePeriodSeconds?: number;
}
interface Workload extends K8sObject {
  spec: {
    replicas?: number;
    selector?: { matchLabels?: Record<string, string> };
    minAvailable?: number | string;
    template: { metadata?: { labels?: Record<string, string> }; spec: PodSpec };
  };
}

const kustomization = parse(readFileSync(path.join(K8S_DIR, 'kustomization.yaml'), 'utf8')) as {
  namespace?: string;
  resources: string[];
};

/** The manifests as `kubectl apply -k deploy/k8s` sends them (plain resources + the namespace). */
function render(): K8sObject[] {
  return kustomization.resources.flatMap((file) =>
    parseAllDocuments(readFileSync(path.join(K8S_DIR, file), 'utf8')).map((document) => {
      if (document.errors.length > 0) throw new Error(`${file}: ${document.errors.join('; ')}`);
      const object = document.toJS() as K8sObject;
      if (object.kind !== 'Namespace' && kustomization.namespace)
        object.metadata = { ...object.metadata, namespace: kustomization.namespace };
      return object;
    }),
  );
}

/** kubernetes-models' class for an apiVersion/kind, e.g. apps/v1 Deployment -> kubernetes-models/apps/v1. */
function modelFor(apiVersion: string, kind: string): new (data: unknown) => { validate(): void } {
  const models = require(`kubernetes-models/${apiVersion}`) as Record<
    string,
    new (data: unknown) => { validate(): void }
  >;
  const model = models[kind];
  if (!model) throw new Error(`no schema for ${apiVersion} ${kind}`);
  return model;
}

function schemaErrors(object: unknown): string | null {
  const { apiVersion, kind } = object as K8sObject;
  try {
    new (modelFor(apiVersion, kind))(object).validate();
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

const objects = render();
const named = (kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata.name === name);
const ofService = (kind: string, service: ServiceName) =>
  objects.filter(
    (o) => o.kind === kind && o.metadata.labels?.['app.kubernetes.io/name'] === service,
  ) as Workload[];
const configSource = (service: ServiceName) =>
  readFileSync(path.join(WORKSPACE_ROOT, `services/${service}/src/config/${service}-config.ts`), 'utf8');
const needsPii = (service: ServiceName) => configSource(service).includes('piiEnvSchema');
/** The shared variable groups a service's config schema adds: the PII keys, the SMS provider. */
const extraShape = (service: ServiceName) => ({
  ...(needsPii(service) ? piiEnvSchema.shape : {}),
  ...(configSource(service).includes('smsEnvSchema') ? smsEnvSchema.shape : {}),
});

/** The variables a container gets: its env, then each ConfigMap/Secret of envFrom. */
function containerEnv(container: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    const ref = source.configMapRef ?? source.secretRef;
    const object = ref && named(source.configMapRef ? 'ConfigMap' : 'Secret', ref.name);
    if (!object)
      throw new Error(`${container.name}: envFrom names a missing object ${JSON.stringify(source)}`);
    Object.assign(env, object['data'] ?? {}, object['stringData'] ?? {});
  }
  for (const variable of container.env ?? [])
    if (variable.value !== undefined) env[variable.name] = variable.value;
  return env;
}

describe('deploy/k8s manifests', () => {
  it('lists every manifest file in kustomization.yaml', () => {
    const files = readdirSync(K8S_DIR).filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml');
    expect([...kustomization.resources].sort()).toEqual(files.sort());
  });

  it('validates every object against the Kubernetes OpenAPI schemas', () => {
    expect(objects.length).toBeGreaterThan(20);
    const failures = objects
      .map((object) => ({ object: `${object.kind}/${object.metadata?.name}`, error: schemaErrors(object) }))
      .filter(({ error }) => error !== null);
    expect(failures).toEqual([]);
  });

  it('has a validator that refuses what the API server would', () => {
    const deployment = structuredClone(named('Deployment', 'tongban-intake')) as Workload;
    expect(schemaErrors(deployment)).toBeNull();
    expect(schemaErrors({ ...deployment, spec: { ...deployment.spec, replicas: '2' } })).toMatch(/replicas/);
    const noImage = structuredClone(deployment);
    delete (noImage.spec.template.spec.containers[0] as Partial<Container>).image;
    expect(schemaErrors(noImage)).toBeNull(); // image is optional in the schema (set by defaults/policies)
    const badPort = structuredClone(deployment);
    badPort.spec.template.spec.containers[0]!.ports = [
      { name: 'http', containerPort: 'x' as unknown as number },
    ];
    expect(schemaErrors(badPort)).toMatch(/containerPort/);
    const noName = structuredClone(deployment);
    delete (noName.spec.template.spec.containers[0] as Partial<Container>).name;
    expect(schemaErrors(noName)).toMatch(/name/);
    expect(
      schemaErrors({ ...named('PodDisruptionBudget', 'tongban-intake')!, spec: { minAvailable: {} } }),
    ).not.toBeNull();
  });

  describe.each(SERVICE_NAMES)('%s', (service) => {
    const [deployment] = ofService('Deployment', service);
    const container = () => deployment!.spec.template.spec.containers[0]!;

    it('runs 2 replicas of its 0.1.0 image, with a Service and a PodDisruptionBudget (minAvailable 1)', () => {
      expect(ofService('Deployment', service)).toHaveLength(1);
      expect(deployment!.spec.replicas).toBe(2);
      expect(container().image).toBe(`tongban/${service}:0.1.0`);
      expect(container().command).toEqual([
        'node',
        '-r',
        './tools/runtime-paths.cjs',
        `dist/services/${service}/src/main.js`,
      ]);
      const selector = deployment!.spec.selector!.matchLabels!;
      expect(deployment!.spec.template.metadata!.labels).toMatchObject(selector);
      const [pdb] = ofService('PodDisruptionBudget', service);
      expect(pdb!.spec.minAvailable).toBe(1);
      expect(pdb!.spec.selector!.matchLabels).toEqual(selector);
      const [svc] = ofService('Service', service) as unknown as {
        spec: { selector: Record<string, string> };
      }[];
      expect(svc!.spec.selector).toEqual(selector);
    });

    it('probes /health/live (liveness) and /health/ready (readiness) on its HTTP port', () => {
      const port = container().ports?.find((p) => p.name === 'http');
      expect(port?.containerPort).toBe(Number(containerEnv(container())['PORT']));
      expect(container().livenessProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });
      expect(container().readinessProbe?.httpGet).toEqual({ path: '/health/ready', port: 'http' });
      // SIGTERM waits SHUTDOWN_TIMEOUT_MS for in-flight work; Kubernetes must wait longer before SIGKILL
      const shutdownMs = Number(containerEnv(container())['SHUTDOWN_TIMEOUT_MS'] ?? 20000);
      expect(deployment!.spec.template.spec.terminationGracePeriodSeconds! * 1000).toBeGreaterThan(
        shutdownMs,
      );
    });

    it('sets CPU and memory requests and limits, runs as non-root on a read-only root filesystem', () => {
      expect(container().resources).toEqual({
        requests: { cpu: expect.any(String), memory: expect.any(String) },
        limits: { cpu: expect.any(String), memory: expect.any(String) },
      });
      expect(deployment!.spec.template.spec.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 1000,
      });
      expect(container().securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
    });

    it('gets configuration from ConfigMaps and DATABASE_URL, AUTH_* and PII_* from Secrets', () => {
      const sources = container().envFrom ?? [];
      const fromSecrets = Object.assign(
        {},
        ...sources.filter((s) => s.secretRef).map((s) => named('Secret', s.secretRef!.name)!['stringData']),
      ) as Record<string, string>;
      const fromConfigMaps = Object.assign(
        {},
        ...sources
          .filter((s) => s.configMapRef)
          .map((s) => named('ConfigMap', s.configMapRef!.name)!['data']),
      ) as Record<string, string>;
      const secretKeys = Object.keys(fromSecrets);
      expect(secretKeys).toEqual(
        expect.arrayContaining(['DATABASE_URL', 'AUTH_JWT_ISSUER', 'AUTH_JWT_AUDIENCE']),
      );
      for (const key of Object.keys(fromConfigMaps)) expect(key).not.toMatch(/^(DATABASE_URL|AUTH_|PII_)/);
      if (needsPii(service))
        expect(secretKeys).toEqual(expect.arrayContaining(['PII_ENCRYPTION_KEYS', 'PII_HASH_KEY']));
      else expect(secretKeys.filter((key) => key.startsWith('PII_'))).toEqual([]);
      expect(fromSecrets['DATABASE_URL']).toMatch(new RegExp(`/tongban_${service}$`));
    });

    it('provides every variable its config schema requires, and only known ones', () => {
      const schema = serviceConfigSchemaWith(service, extraShape(service));
      const shape = schema.shape as Record<string, { safeParse(value: unknown): { success: boolean } }>;
      const required = Object.keys(shape).filter((key) => !shape[key]!.safeParse(undefined).success);
      const env = containerEnv(container());
      expect(required.filter((key) => !(key in env))).toEqual([]);
      // with production values the localhost defaults would be wrong: these must be set too
      expect(env).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0' });
      for (const key of ['DATABASE_URL', 'KAFKA_BROKERS', 'REDIS_URL', 'PORT', 'KAFKA_GROUP_ID'])
        expect({ key, set: key in env }).toEqual({ key, set: true });
      expect(env['KAFKA_BROKERS']!.split(',')).toHaveLength(3);
      expect(Object.keys(env).filter((key) => !(key in shape))).toEqual([]);
    });

    it('passes the config schema once the Secret placeholders hold real values', () => {
      const env = containerEnv(container());
      const filled = {
        ...env,
        ...(needsPii(service)
          ? {
              PII_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
              PII_HASH_KEY: Buffer.alloc(32, 9).toString('base64'),
            }
          : {}),
      };
      const schema = serviceConfigSchemaWith(service, extraShape(service));
      const result = schema.safeParse(filled);
      expect(result.error?.issues ?? []).toEqual([]);
      // the other key source (a PEM instead of the JWKS URL) works as well
      const withoutUrl: Record<string, string> = { ...filled };
      delete withoutUrl['AUTH_JWKS_URL'];
      const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
      expect(schema.safeParse({ ...withoutUrl, AUTH_JWT_PUBLIC_KEY: pem }).error?.issues ?? []).toEqual([]);
    });

    it('has a migration Job running its migrate script with the same image and configuration', () => {
      const jobs = ofService('Job', service);
      expect(jobs).toHaveLength(1);
      const job = jobs[0]!.spec.template.spec.containers[0]!;
      expect(job.image).toBe(container().image);
      expect(job.command).toEqual([
        'node',
        '-r',
        './tools/runtime-paths.cjs',
        `dist/services/${service}/src/database/migrate.js`,
      ]);
      expect(job.envFrom).toEqual(container().envFrom);
      expect(job.securityContext).toEqual(container().securityContext);
      expect(jobs[0]!.spec.template.spec.securityContext).toEqual(
        deployment!.spec.template.spec.securityContext,
      );
    });
  });
});
