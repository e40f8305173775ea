/**
 * MutatingWebhookConfiguration `istio-sidecar-injector[-rev][-<ns>]`: which pods the
 * apiserver sends to this revision's istiod for injection. Each webhook pairs a namespace
 * selector with an object selector; together they implement the rules users know:
 * - a namespace labelled istio.io/rev=<rev> (and not istio-injection), unless the pod opts out;
 * - a pod labelled istio.io/rev=<rev> in an unlabelled namespace;
 * and for the default revision also istio-injection=enabled namespaces, pods labelled
 * sidecar.istio.io/inject=true, and optionally every unlabelled namespace.
 * Revision tags reuse the same webhooks with the tag's name (see revision-tags.ts).
 */
import * as k8s from '../../../helm/kube';
import { Construct } from 'constructs';
import { HelmObject, and, comment, eq, not, spread, toYaml, when } from '../../../helm';
import { V } from '../../../values/istiod';
import { INJECTOR_WEBHOOK } from './_injector';
import { clusterScoped, pilotLabels, revisionOrDefault, IstiodTemplate, injectorWebhookName } from '../names';

type Selector = k8s.LabelSelector;
const exists = (key: string, present: boolean): k8s.LabelSelectorRequirement => ({ key, operator: present ? 'Exists' : 'DoesNotExist' });
const inValues = (key: string, values: string[]): k8s.LabelSelectorRequirement => ({ key, operator: 'In', values });
const notIn = (key: string, values: string[]): k8s.LabelSelectorRequirement => ({ key, operator: 'NotIn', values });

const notOptedOut = notIn('sidecar.istio.io/inject', ['false']);
const SYSTEM_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage'];

/** One injection webhook: the shared part, and for which pods. */
export function injectionWebhook(prefix: string, namespaceSelector: Selector, objectSelector: Selector): k8s.MutatingWebhook {
  return {
    name: `${prefix}sidecar-injector.istio.io`,
    ...spread(INJECTOR_WEBHOOK),
    namespaceSelector,
    objectSelector,
  } as k8s.MutatingWebhook;
}

/** The webhooks selecting pods for revision (or tag) `rev`. */
export function revisionWebhooks(rev: string): k8s.MutatingWebhook[] {
  return [
    comment('namespace opted into this revision; pods may still opt out', injectionWebhook(
      'rev.namespace.',
      { matchExpressions: [inValues('istio.io/rev', [rev]), exists('istio-injection', false)] },
      { matchExpressions: [notOptedOut] },
    )),
    comment('pod opted into this revision in a namespace that chose none', injectionWebhook(
      'rev.object.',
      { matchExpressions: [exists('istio.io/rev', false), exists('istio-injection', false)] },
      { matchExpressions: [notOptedOut, inValues('istio.io/rev', [rev])] },
    )),
  ];
}

/** The extra webhooks only the default revision has (the legacy istio-injection label and friends). */
export function defaultRevisionWebhooks(): unknown[] {
  return [
    injectionWebhook('namespace.', { matchExpressions: [inValues('istio-injection', ['enabled'])] }, { matchExpressions: [notOptedOut] }),
    injectionWebhook(
      'object.',
      { matchExpressions: [exists('istio-injection', false), exists('istio.io/rev', false)] },
      { matchExpressions: [inValues('sidecar.istio.io/inject', ['true']), exists('istio.io/rev', false)] },
    ),
    when(
      V.sidecarInjectorWebhook.enableNamespacesByDefault,
      injectionWebhook(
        'auto.',
        {
          matchExpressions: [exists('istio-injection', false), exists('istio.io/rev', false), notIn('kubernetes.io/metadata.name', SYSTEM_NAMESPACES)],
        },
        { matchExpressions: [exists('sidecar.istio.io/inject', false), exists('istio.io/rev', false)] },
      ),
    ),
  ];
}

export class InjectionWebhook extends IstiodTemplate {
  constructor(scope: Construct) {
    super(scope, 'mutatingwebhook', { condition: and(clusterScoped, not(V.global.operatorManageWebhooks)) });
    new HelmObject(this, 'injector', {
      gvk: k8s.GVK.MutatingWebhookConfiguration,
      metadata: {
        name: injectorWebhookName,
        labels: pilotLabels({ app: 'sidecar-injector' }),
        annotations: toYaml(V.pilot.sidecarInjectorWebhookAnnotations),
      },
      body: {
        webhooks: [...revisionWebhooks(revisionOrDefault), when(eq(V.revision, ''), defaultRevisionWebhooks())],
      },
    });
  }
}
