/**
 * Keys upstream's charts once had. Values files still carry them, so the schema accepts them
 * (a generic "additional property" error would not say what to do); deprecated ones are
 * warned about in NOTES.txt with their replacement, removed ones fail rendering naming it.
 */
import { JsonSchema } from './model';

export interface LegacyKey {
  /** Dotted path, e.g. `global.proxy.accessLogFile`. */
  readonly path: string;
  /** What to use instead. */
  readonly replacement: string;
  /** Rendering fails (true) or NOTES.txt warns (false). */
  readonly removed: boolean;
}

/** Null-safe Go-template access: `((.Values.a).b).c`. */
export function safePath(path: string): string {
  const parts = path.split('.');
  return parts.slice(1).reduce((acc, p) => `(${acc}).${p}`, `.Values.${parts[0]}`);
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
        node.properties[part] ??= { description: `${k.removed ? 'Removed' : 'Deprecated'}: use ${k.replacement}.` };
      } else {
        if (node.additionalProperties !== false && !node.properties[part]) break; // an open map accepts it already
        node.properties[part] ??= { type: 'object', additionalProperties: true };
        node = node.properties[part];
      }
    }
  }
  return copy;
}

/** NOTES.txt lines warning about deprecated keys that are set. */
export function deprecationNotes(keys: readonly LegacyKey[]): string {
  return keys
    .filter((k) => !k.removed)
    .map((k) => `{{- if not (eq (toString ${safePath(k.path)}) "<nil>") }}\nWARNING: ${k.path} is deprecated; use ${k.replacement} instead.\n{{- end }}`)
    .join('\n');
}

/** A template that fails rendering when a removed key is set. */
export function removedKeyChecks(keys: readonly LegacyKey[]): string {
  return keys
    .filter((k) => k.removed)
    .map((k) => `{{- if not (eq (toString ${safePath(k.path)}) "<nil>") }}\n{{- fail "${k.path} was removed; use ${k.replacement}" }}\n{{- end }}`)
    .join('\n');
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
