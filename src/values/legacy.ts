/**
 * Keys upstream's charts once had. Values files still carry them, so the schema accepts them
 * (a generic "additional property" error would not say what to do); deprecated ones are
 * warned about in NOTES.txt with their replacement, removed ones fail rendering naming it.
 */
import { DEFAULTS_FILE, JsonSchema } from './model';

export interface LegacyKey {
  /** Dotted path, e.g. `global.proxy.accessLogFile`. */
  readonly path: string;
  /** What to set instead; none when nothing takes its place. */
  readonly replacement?: string;
  /** The key has no effect (no template reads it); a string says why. */
  readonly ignored?: true | string;
  /** Rendering fails (true) or NOTES.txt warns (false). */
  readonly removed: boolean;
}

/**
 * What is said of a key after its path: "is deprecated; use X instead", "has no effect (why);
 * set X instead", "was removed; use X". One sentence for the NOTES, the failure and the schema.
 */
export function legacyAdvice(k: LegacyKey): string {
  const instead = k.replacement ? `${k.ignored ? 'set' : 'use'} ${k.replacement}${k.removed ? '' : ' instead'}` : '';
  if (k.removed) return `was removed${instead ? `; ${instead}` : ''}`;
  if (k.ignored) return `has no effect${typeof k.ignored === 'string' ? ` (${k.ignored})` : ''}${instead ? `; ${instead}` : ''}`;
  return `is deprecated${instead ? `; ${instead}` : ''}`;
}

/** Add every legacy key to the schema (any type), creating closed parents' properties. */
export function withLegacyKeys(schema: JsonSchema, keys: readonly LegacyKey[]): JsonSchema {
  const copy = JSON.parse(JSON.stringify(schema));
  for (const k of keys) {
    let node = copy;
    const parts = k.path.split('.');
    for (const [i, part] of parts.entries()) {
      node.properties ??= {};
      const last = i === parts.length - 1;
      if (last) {
        node.properties[part] ??= { description: `This key ${legacyAdvice(k)}.` };
      } else {
        if (node.additionalProperties !== false && !node.properties[part]) break; // an open map accepts it already
        node.properties[part] ??= { type: 'object', additionalProperties: true };
        node = node.properties[part];
      }
    }
  }
  return copy;
}

/**
 * A loop over legacy keys (path -> what is said of it) that runs `body` for each one the user
 * set: not null and not its chart default (upstream's defaults still carry a few deprecated
 * keys). `$path` and `$advice` are in scope. The lookup walks the path through maps only, so a missing
 * or non-map parent counts as unset.
 */
function whenSet(keys: readonly LegacyKey[], body: string): string {
  if (!keys.length) return '';
  const entries = keys.map((k) => `${JSON.stringify(k.path)} ${JSON.stringify(legacyAdvice(k))}`);
  const inline = entries.join(' ');
  const table = inline.length <= 200 ? ` ${inline} ` : `\n  ${entries.join('\n  ')}\n`;
  return [
    `{{- $defaults := .Files.Get "${DEFAULTS_FILE}" | fromYaml }}`,
    `{{- range $path, $advice := dict${table}}}`,
    '{{- $set := $.Values }}{{ $default := $defaults }}',
    '{{- range splitList "." $path }}{{ $set = index (kindIs "map" $set | ternary $set dict) . }}{{ $default = index (kindIs "map" $default | ternary $default dict) . }}{{ end }}',
    '{{- if and (not (kindIs "invalid" $set)) (ne (toJson $set) (toJson $default)) }}',
    body,
    '{{- end }}',
    '{{- end }}',
  ].join('\n');
}

/** NOTES.txt lines warning about the deprecated keys that are set. */
export function deprecationNotes(keys: readonly LegacyKey[]): string {
  return whenSet(
    keys.filter((k) => !k.removed),
    'WARNING: {{ $path }} {{ $advice }}.',
  );
}

/** Checks that fail rendering when a removed key is set, naming its replacement. */
export function removedKeyChecks(keys: readonly LegacyKey[]): string {
  return whenSet(
    keys.filter((k) => k.removed),
    '{{- fail (printf "%s %s" $path $advice) }}',
  );
}

/** Upstream istiod's deprecated and removed keys, with their replacements. */
export const ISTIOD_LEGACY_KEYS: LegacyKey[] = [
  ...[
    ['global.outboundTrafficPolicy', 'meshConfig.outboundTrafficPolicy'],
    ['global.certificates', 'meshConfig.certificates'],
    ['global.localityLbSetting', 'meshConfig.localityLbSetting'],
    ['global.policyCheckFailOpen', 'meshConfig.policyCheckFailOpen'],
    ['global.enableTracing', 'meshConfig.enableTracing'],
    ['global.proxy.accessLogFormat', 'meshConfig.accessLogFormat'],
    ['global.proxy.accessLogFile', 'meshConfig.accessLogFile'],
    ['global.proxy.concurrency', 'meshConfig.defaultConfig.concurrency'],
    ['global.proxy.envoyAccessLogService', 'meshConfig.defaultConfig.envoyAccessLogService'],
    ['global.proxy.envoyMetricsService', 'meshConfig.defaultConfig.envoyMetricsService'],
    ['global.proxy.protocolDetectionTimeout', 'meshConfig.protocolDetectionTimeout'],
    ['global.proxy.holdApplicationUntilProxyStarts', 'meshConfig.defaultConfig.holdApplicationUntilProxyStarts'],
    ['pilot.ingress', 'meshConfig.ingressService, meshConfig.ingressControllerMode and meshConfig.ingressClass'],
    ['global.mtls', 'a PeerAuthentication resource (and meshConfig.enableAutoMtls)'],
    ['global.tracer', 'meshConfig.defaultConfig.tracing'],
    ['global.meshExpansion', 'Gateway and other Istio networking resources'],
    ['istiocoredns', 'DNS capture in the proxy (ISTIO_META_DNS_CAPTURE)'],
  ].map(([path, replacement]) => ({ path, replacement, removed: false })),
  ...[
    ['telemetry.v2.prometheus.configOverride', 'Telemetry resources'],
    ['telemetry.v2.stackdriver.configOverride', 'Telemetry resources'],
    ['telemetry.v2.stackdriver.disableOutbound', 'Telemetry resources'],
    ['telemetry.v2.stackdriver.outboundAccessLogging', 'Telemetry resources'],
    ['global.tracer.stackdriver', 'a supported tracer under meshConfig.defaultConfig.tracing'],
    ['meshConfig.defaultConfig.tracing.stackdriver', 'a supported tracer under meshConfig.defaultConfig.tracing'],
  ].map(([path, replacement]) => ({ path, replacement, removed: true })),
];
