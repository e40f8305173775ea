/**
 * Values of the `base` chart: keys and defaults as upstream's base chart, so a values file
 * written for it works unchanged.
 */
import { dnsLabel } from './formats';
import { field, refsOf, section } from './model';
import { globalShared } from './global';
import { profileSelectors } from './profiles';

export const baseValues = section('', {
  global: section(
    'Settings shared by all Istio charts; a parent chart may add more, so unknown keys are accepted here.',
    {
      ...globalShared,
      enableReaderRBAC: field(
        true,
        'Create the istio-reader-service-account (and, in the istiod chart, its ClusterRole and binding).\nOnly multicluster remote-secret workflows need them.',
      ),
      readerServiceAccount: section('Bind the reader ClusterRole to your own ServiceAccount instead of creating one.', {
        name: field('', 'Name of an existing ServiceAccount; when set, istio-reader-service-account is not created.'),
        namespace: field('', 'Its namespace. @default global.istioNamespace'),
      }),
    },
    { open: true },
  ),

  base: section('CRDs and the default validation webhook.', {
    excludedCRDs: field<string[]>([], 'CRDs to leave out, by full name, e.g. ["envoyfilters.networking.istio.io"].', {
      items: { type: 'string', pattern: '^[a-z0-9-]+\\.[a-z0-9.-]+$' },
    }),
    enableCRDTemplates: field(
      true,
      'Label the CRDs as Helm-owned so helm upgrade upgrades them (they are kept on uninstall).\nfalse writes them with the legacy static labels instead.',
    ),
    validationURL: field('', 'Send validation to this URL instead of the istiod Service, e.g. https://<remote-istiod>:15017/validate.'),
    validationCABundle: field('', 'PEM bundle (base64) that signs the validation endpoint; setting it also pins failurePolicy to Fail.'),
    validationFailurePolicy: field('', 'failurePolicy of the validation webhook; empty lets istiod switch Ignore to Fail once it serves.', {
      enum: ['', 'Fail', 'Ignore'],
    }),
    enableIstioConfigCRDs: field(true, 'Read by istioctl only; the chart ignores it (use excludedCRDs).'),
  }),

  defaultRevision: field(
    'default',
    'Revision whose istiod validates Istio config that carries no istio.io/rev label (istiod-default-validator).\nEmpty disables that webhook.',
    { schema: dnsLabel },
  ),

  experimental: section('Experimental features.', {
    stableValidationPolicy: field(
      false,
      'Reject, with a ValidatingAdmissionPolicy, the Istio APIs and fields that are not yet stable.',
    ),
  }),

  ...profileSelectors,
});

export const V = refsOf(baseValues);
