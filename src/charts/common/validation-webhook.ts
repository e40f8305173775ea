/**
 * What the two validating webhooks (istiod-default-validator in base, istio-validator in
 * istiod) have in common: the Istio API groups they guard and how failurePolicy is chosen.
 */
import * as k8s from '../../helm/kube';
import { Release, ifSet, not, spread, when } from '../../helm';

/** CREATE and UPDATE of every Istio config API. */
export const ISTIO_CONFIG_RULES: k8s.RuleWithOperations[] = [
  {
    operations: ['CREATE', 'UPDATE'],
    apiGroups: ['security.istio.io', 'networking.istio.io', 'telemetry.istio.io', 'extensions.istio.io'],
    apiVersions: ['*'],
    resources: ['*'],
  },
];

export interface ValidationValues {
  readonly validationCABundle: string;
  readonly validationFailurePolicy: string;
}

/**
 * failurePolicy: a pinned CA bundle means istiod will not manage the webhook, so Fail;
 * an explicit policy wins next; a fresh install starts at Ignore (istiod switches it to Fail
 * once it serves); an upgrade leaves the field out so the live value (Fail) is kept.
 */
export function failurePolicy(base: ValidationValues): string {
  return when(base.validationCABundle, 'Fail', when(base.validationFailurePolicy, base.validationFailurePolicy, when(not(Release.isUpgrade), 'Ignore')));
}

/** clientConfig: the URL when one is given, else the revision's istiod Service. */
export function clientConfig(base: { validationURL: string; validationCABundle: string }, service: k8s.ServiceReference): k8s.WebhookClientConfig {
  return {
    ...spread(when(base.validationURL, { url: base.validationURL }, { service })),
    caBundle: ifSet(base.validationCABundle),
  } as k8s.WebhookClientConfig;
}

/** One validating webhook for Istio config, sent to `service` (or base.validationURL). */
export function istioValidationWebhook(
  name: string,
  base: ValidationValues & { validationURL: string },
  service: k8s.ServiceReference,
  extra: Partial<k8s.ValidatingWebhook> = {},
): k8s.ValidatingWebhook {
  return {
    name,
    clientConfig: clientConfig(base, service),
    rules: ISTIO_CONFIG_RULES,
    failurePolicy: failurePolicy(base),
    sideEffects: 'None',
    admissionReviewVersions: ['v1'],
    ...extra,
  };
}
