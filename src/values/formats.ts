/**
 * Schema pieces for values with a format Kubernetes or istiod will check later, when it is too
 * late to name the key: resource quantities, Go durations, DNS labels, ports and percentages.
 * Each is checked at `helm install`, where the error names the key.
 */
import { JsonSchema } from './model';

/**
 * A Kubernetes quantity (resource.Quantity): a non-negative decimal number with an optional
 * binary (Ki..Ei), decimal (n, u, m, k, M..E) or exponent suffix. YAML numbers are quantities too.
 */
export const QUANTITY_PATTERN = '^\\+?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([KMGTPE]i|[numkMGTPE]|[eE][-+]?[0-9]+)?$';
export const quantity: JsonSchema = {
  anyOf: [
    { type: 'string', pattern: QUANTITY_PATTERN },
    { type: 'number', minimum: 0 },
    // an empty or null entry is dropped by the templates
    { type: 'string', maxLength: 0 },
    { type: 'null' },
  ],
};

/** requests or limits: quantities by resource name (cpu, memory, ephemeral-storage, hugepages-2Mi, ...). */
const quantities: JsonSchema = {
  type: ['object', 'null'],
  propertyNames: { pattern: '^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$' },
  additionalProperties: quantity,
};

/** A container's requests and limits (the templates render only these two; claims would be dropped). */
export const resources: JsonSchema = {
  properties: { requests: quantities, limits: quantities },
  additionalProperties: false,
};

/** time.ParseDuration: "0", or decimal numbers each with a unit (300ms, 1h30m). */
export const DURATION_PATTERN = '^[-+]?(0|(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+)$';
export const duration: JsonSchema = { type: 'string', pattern: DURATION_PATTERN };

/** An RFC 1123 DNS label (revisions and tags end up in object names and label values), or empty. */
export const DNS_LABEL_PATTERN = '^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$';
export const dnsLabel: JsonSchema = { type: 'string', pattern: DNS_LABEL_PATTERN, maxLength: 63 };

export const port: JsonSchema = { type: 'integer', minimum: 1, maximum: 65535 };
/** A port number or an IANA service name (a container port's name). */
export const portOrName: JsonSchema = {
  anyOf: [port, { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 15 }],
};

export const percentage: JsonSchema = { type: 'number', minimum: 0, maximum: 100 };
